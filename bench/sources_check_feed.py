"""Bench: check a generated 30,000-record GoGoCarto feed, next to a plain `json.load` + loop baseline.

    .venv/bin/python bench/sources_check_feed.py [--records 30000]

Each measure runs in its own process (so peak memory is that measure's alone): the baseline reads the
file with `json.load` and loops over the records; the check serves the same file from a local HTTP
server and runs `checks.check_source` on a throw-away SQLite database (first run: everything created;
second run: same content with a changed ETag, nothing to do; third: 10% modified). The duplicate grid is
also timed alone at N and 2N records, to show it grows linearly.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(path: Path, count: int, *, modified_share: float = 0.0, seed: int = 1) -> None:
    rng = random.Random(seed)
    records = []
    for n in range(count):
        lat, lng = 41.5 + rng.random() * 9.5, -4.5 + rng.random() * 12.5  # metropolitan France
        name = f"Alternative {n}" if rng.random() > modified_share else f"Alternative {n} (modifiée)"
        records.append(
            {
                "id": f"el-{n}",
                "name": name,
                "geo": {"latitude": round(lat, 6), "longitude": round(lng, 6)},
                "address": {
                    "streetAddress": f"{n} rue de la Transition",
                    "postalCode": "30000",
                    "addressLocality": "Nîmes",
                },
                "categories": rng.sample(["Alimentation", "Réemploi", "Mobilité", "Énergie", "Habitat"], k=2),
                "email": f"contact{n}@exemple.org",
                "website": f"https://alternative-{n}.exemple.org",
                "description": "Une alternative de la transition écologique et sociale. " * 3,
                "sourceKey": "Bench",
                "createdAt": "2026-01-01T00:00:00+00:00",
            }
        )
    # A few realistic flaws.
    for n in range(0, count, 1000):
        records[n]["geo"] = {"latitude": None, "longitude": None}
        records[n + 1]["categories"] = []
        records[n + 2]["name"] = ""
    path.write_text(
        json.dumps(
            {"licence": "https://opendatacommons.org/licenses/odbl/", "ontology": "gogofull", "data": records}
        )
    )


def generate_file(arguments: list) -> dict:
    path, count, modified_share = arguments
    generate(Path(path), count, modified_share=modified_share)
    return {"path": path}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(path: str) -> dict:
    start_rss = peak_mb()
    started, cpu = time.perf_counter(), cpu_seconds()
    with open(path, "rb") as handle:
        document = json.load(handle)
    usable = 0
    for record in document["data"]:
        if isinstance(record, dict) and record.get("id") and record.get("name"):
            usable += 1
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu": round(cpu_seconds() - cpu, 2),
        "peak_mb": round(peak_mb(), 1),
        "start_mb": round(start_rss, 1),
        "usable": usable,
    }


def check(paths: list[str]) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pytest_httpserver import HTTPServer

    from sources.models import Source, SourceElement
    from sources.services.checks import check_source

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    source = Source.objects.create(
        name="Bench", slug="bench", source_key="Bench", feed_url=server.url_for("/flux.json")
    )
    start_rss = peak_mb()
    results = []
    for index, path in enumerate(paths):
        server.clear()
        server.expect_request("/flux.json").respond_with_data(
            Path(path).read_bytes(), content_type="application/json", headers={"ETag": f'"v{index}"'}
        )
        started, cpu = time.perf_counter(), cpu_seconds()
        run = check_source(source=source)
        results.append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "cpu": round(cpu_seconds() - cpu, 2),
                "peak_mb": round(peak_mb(), 1),
                "state": run.state,
                "counters": {k: v for k, v in run.counters.items() if k != "errorMessages"},
            }
        )
    server.stop()
    return {"start_mb": round(start_rss, 1), "runs": results, "snapshot_rows": SourceElement.objects.count()}


def duplicates(count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from sources.services.duplicates import Candidate, find_pairs

    rng = random.Random(3)
    candidates = []
    for n in range(count):
        latitude, longitude = 41.5 + rng.random() * 9.5, -4.5 + rng.random() * 12.5
        if n % 10 == 9:  # one record in ten is a twin of the previous one, 0-150 m away
            latitude = candidates[-1].latitude + rng.uniform(-0.001, 0.001)
            longitude = candidates[-1].longitude + rng.uniform(-0.001, 0.001)
        name = f"alternative-{n - 1 if n % 10 == 9 else n}"
        candidates.append(
            Candidate(
                key=(1, str(n)), name_slug=name, latitude=latitude, longitude=longitude, email="", website=""
            )
        )
    started = time.perf_counter()
    pairs = find_pairs(candidates)
    return {"records": count, "seconds": round(time.perf_counter() - started, 3), "pairs": len(pairs)}


def in_subprocess(function: str, argument) -> dict:
    output = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [sys.executable, __file__, "--only", function, "--argument", json.dumps(argument)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--only")
    parser.add_argument("--argument")
    options = parser.parse_args()
    if options.only:
        functions = {
            "baseline": baseline,
            "check": check,
            "duplicates": duplicates,
            "generate": generate_file,
        }
        result = functions[options.only](json.loads(options.argument))
        print(json.dumps(result))
        return
    folder = Path(tempfile.mkdtemp())
    first, same, modified = folder / "v1.json", folder / "v2.json", folder / "v3.json"
    # Generated in a child process: on Linux a child inherits its parent's peak RSS at fork time.
    in_subprocess("generate", [str(first), options.records, 0.0])
    in_subprocess("generate", [str(same), options.records, 0.0])
    in_subprocess("generate", [str(modified), options.records, 0.1])
    size_mb = first.stat().st_size / 1024 / 1024
    print(f"Feed: {options.records} records, {size_mb:.1f} MB (GoGoCarto export)")
    base = in_subprocess("baseline", str(first))
    print(
        f"Baseline json.load + loop : {base['seconds']:6.2f} s wall, {base['cpu']:6.2f} s CPU, "
        f"peak RSS {base['peak_mb']:.0f} MB "
        f"(process start {base['start_mb']:.0f} MB)"
    )
    result = in_subprocess("check", [str(first), str(same), str(modified)])
    labels = ["1st check (all created)   ", "2nd check (nothing to do) ", "3rd check (10% modified)  "]
    for label, run in zip(labels, result["runs"], strict=True):
        c = run["counters"]
        print(
            f"{label}: {run['seconds']:6.2f} s wall, {run['cpu']:6.2f} s CPU, "
            f"peak RSS {run['peak_mb']:.0f} MB — {run['state']}, "
            f"created {c['elementsCreatedCount']}, updated {c['elementsUpdatedCount']}, "
            f"nothing {c['elementsNothingToDoCount']}, errors {c['elementsErrorsCount']}, "
            f"missing geo {c['elementsMissingGeoCount']}, duplicates {c['potentialDuplicatesCount']}"
        )
    print(
        f"(Django + migrations loaded before the checks: {result['start_mb']:.0f} MB; "
        f"snapshot rows {result['snapshot_rows']})"
    )
    for count in (options.records, options.records * 2):
        dup = in_subprocess("duplicates", count)
        print(
            f"Duplicate grid alone: {dup['records']} records in {dup['seconds']:.3f} s ({dup['pairs']} pairs)"
        )


if __name__ == "__main__":
    main()
