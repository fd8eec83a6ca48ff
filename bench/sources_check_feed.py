"""Bench: check a generated 30,000-record GoGoCarto feed, next to a plain `json.load` + loop baseline.

Prints, for each check, its CPU and peak memory beside the baseline's, and the two ratios of issue 22's
goal (CPU <= 3x the baseline's for an unchanged feed; memory over the process base <= 2x the feed).

    .venv/bin/python bench/sources_check_feed.py [--records 30000] [--other-elements 100000]

Each measure runs in its own process (so peak memory is that measure's alone): the baseline reads the
file with `json.load` and loops over the records; the check serves the same file from a local HTTP
server and runs `checks.check_source` on a throw-away SQLite database (first run: everything created;
second run: same content with a changed ETag, nothing to do; third: 10% modified). The duplicate grid is
also timed alone at N and 2N records, to show it grows linearly.

With `--other-elements N`, the three checks are run a second time on a database where ~100 other
sources' snapshots first hold N generated elements (one in 20 a near twin of a feed record, by name
and place, some sharing its e-mail or website): a check's cost should follow its feed, not the map;
the plan of one query of other sources' candidates is printed. `--database-url postgres://...` runs
the checks on that throw-away PostgreSQL database instead (its sources are deleted first; ANALYZE runs
before each check, as autovacuum would between checks hours apart).
"""

import argparse
import json
import os
import random
import re
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


def fill_other_sources(*, count: int, feed_path: str) -> None:
    """`count` current elements spread over ~100 other sources, written in batches like a check does."""
    from django.utils import timezone

    from sources.models import Source, SourceElement

    records = json.loads(Path(feed_path).read_text())["data"]
    feed = [r for r in records if r["name"] and r["geo"]["latitude"] is not None]  # usable, with a place
    rng = random.Random(5)
    sources = [
        Source.objects.create(name=f"Autre {n}", slug=f"autre-{n}", source_key=f"Autre{n}")
        for n in range(max(1, min(100, count // 100)))
    ]
    now = timezone.now()
    rows = []
    for n in range(count):
        if n % 20 == 0:  # a near twin of a feed record: same name, 0-70 m away; sometimes same contacts
            twin = feed[(n * 7) % len(feed)]
            name = twin["name"]
            latitude = twin["geo"]["latitude"] + rng.uniform(-0.0005, 0.0005)
            longitude = twin["geo"]["longitude"] + rng.uniform(-0.0005, 0.0005)
            email = twin["email"].upper() if n % 40 == 0 else f"lieu{n}@autre.org"
            website = twin["website"] + "/" if n % 60 == 0 else f"https://lieu-{n}.autre.org"
        else:
            name = f"Lieu {n}"
            latitude, longitude = 41.5 + rng.random() * 9.5, -4.5 + rng.random() * 12.5
            email, website = f"lieu{n}@autre.org", f"https://lieu-{n}.autre.org"
        element = SourceElement(
            source=sources[n % len(sources)],
            element_id=f"autre-{n}",
            name=name,
            latitude=latitude,
            longitude=longitude,
            categories=["Alimentation"],
            email=email,
            website=website,
            content_hash="x" * 64,
            first_seen_at=now,
            last_seen_at=now,
        )
        if hasattr(element, "set_keys"):  # the stored duplicate keys, where the code has them
            element.set_keys()
        rows.append(element)
        if len(rows) == 2000:
            SourceElement.objects.bulk_create(rows)
            rows = []
    SourceElement.objects.bulk_create(rows)


def check(arguments: list) -> dict:
    paths, other_elements, database_url = arguments
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from pytest_httpserver import HTTPServer

    from sources.models import Source, SourceElement

    if database_url:  # a throw-away database of the caller's: its sources are deleted first
        Source.objects.all().delete()
    from sources.services import checks
    from sources.services.checks import check_source

    if other_elements:
        fill_other_sources(count=other_elements, feed_path=paths[0])
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
        if connection.vendor == "postgresql":
            # What autovacuum does between two checks hours apart, after a bulk load (this machine runs
            # PostgreSQL without it): planner statistics. Without them, right after the fill or the
            # first check, PostgreSQL takes 130,000 rows for a few and may read them all.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
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
    rows = SourceElement.objects.filter(source=source).count()
    plan = ""
    if other_elements and hasattr(checks, "sharing_a_key"):
        # The plan of one query of other sources' candidates: a batch of the feed's slugs.
        slugs = sorted(set(SourceElement.objects.filter(source=source).values_list("name_slug", flat=True)))
        sql, params = checks.sharing_a_key(
            column="name_slug", values=slugs[: checks.BATCH_SIZE], excluded_sources=[source.pk]
        )
        explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(explain + sql, params)
            plan = "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())
        # The 2,000 slugs are cut short: the plan is what is worth reading.
        plan = re.sub(r"\('[^)]{60,}\)", lambda m: m.group(0)[:60] + "...)", plan)
    return {"start_mb": round(start_rss, 1), "runs": results, "snapshot_rows": rows, "plan": plan}


def duplicates(count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from sources.services.duplicates import Candidate, find_pairs

    rng = random.Random(3)
    # The contact keys' field names, before and after they were stored (so "before" can be measured).
    fields = Candidate.__dataclass_fields__
    no_contact = (
        {"email_key": "", "website_key": ""} if "email_key" in fields else {"email": "", "website": ""}
    )
    candidates = []
    for n in range(count):
        latitude, longitude = 41.5 + rng.random() * 9.5, -4.5 + rng.random() * 12.5
        if n % 10 == 9:  # one record in ten is a twin of the previous one, 0-150 m away
            latitude = candidates[-1].latitude + rng.uniform(-0.001, 0.001)
            longitude = candidates[-1].longitude + rng.uniform(-0.001, 0.001)
        name = f"alternative-{n - 1 if n % 10 == 9 else n}"
        candidates.append(
            Candidate(key=(1, str(n)), name_slug=name, latitude=latitude, longitude=longitude, **no_contact)
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
    parser.add_argument("--other-elements", type=int, default=0, help="other sources' elements (0: none)")
    parser.add_argument("--database-url", default="", help="a throw-away database (its sources are deleted)")
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
    loads = [0, options.other_elements] if options.other_elements else [0]
    for other_elements in loads:
        if options.other_elements:
            print(f"-- other sources' current elements: {other_elements}")
        result = in_subprocess(
            "check", [[str(first), str(same), str(modified)], other_elements, options.database_url]
        )
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
            # Issue 22's goal, side by side: CPU <= 3x the baseline's for an unchanged feed, memory over
            # the process base <= 2x the feed's size.
            print(
                f"{'':28}  CPU {run['cpu'] / max(base['cpu'], 0.01):5.1f}x the baseline's; memory over the "
                f"process base {(run['peak_mb'] - result['start_mb']) / size_mb:4.1f}x the feed "
                f"(baseline {(base['peak_mb'] - base['start_mb']) / size_mb:.1f}x)"
            )
        print(
            f"(Django + migrations loaded before the checks: {result['start_mb']:.0f} MB; "
            f"snapshot rows {result['snapshot_rows']})"
        )
        if result["plan"]:
            print("Plan of a query of other sources' candidates (a batch of the feed's slugs):")
            print(result["plan"])
    for count in (options.records, options.records * 2):
        dup = in_subprocess("duplicates", count)
        print(
            f"Duplicate grid alone: {dup['records']} records in {dup['seconds']:.3f} s ({dup['pairs']} pairs)"
        )


if __name__ == "__main__":
    main()
