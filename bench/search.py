"""Bench: the search index at scale, through the real feed check.

    .venv/bin/python bench/search.py [--alternatives 100000] [--pages 5000] [--database-url postgres://...]

On a throw-away database (SQLite in a temporary folder by default; `--database-url` for a throw-away
PostgreSQL database, whose documents and sources are deleted first): generates a GoGoCarto feed of N
alternatives with descriptions and runs `checks.check_content` twice on two sources of N/2 (once with the
search app following the check, once without: the check's time with and without indexing), adds `--pages`
FAQ entries and forum topics (through their models, indexed by their signals), times
`search_rebuild`, then 50 mixed queries (one word, two words, prefix, a typo, a filter), printing
p50/p95 latency and the peak memory of the process.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "réparation",
    "vélo",
    "jardin",
    "partagé",
    "épicerie",
    "solidaire",
    "compost",
    "énergie",
    "habitat",
    "monnaie",
    "locale",
    "recyclerie",
    "atelier",
    "alimentation",
    "mobilité",
    "coopérative",
    "café",
]
TOWNS = [
    ("Nîmes", "30000"),
    ("Montpellier", "34000"),
    ("Lyon", "69001"),
    ("Rennes", "35000"),
    ("Lille", "59000"),
]


def feed(count: int, *, offset: int, rng: random.Random) -> bytes:
    records = []
    for n in range(offset, offset + count):
        town, postcode = rng.choice(TOWNS)
        words = rng.sample(WORDS, k=3)
        records.append(
            {
                "id": f"el-{n}",
                "name": f"{words[0].capitalize()} {words[1]} {n}",
                "geo": {"latitude": 43 + rng.random() * 7, "longitude": -1 + rng.random() * 7},
                "address": {
                    "streetAddress": f"{n} rue de la Transition",
                    "postalCode": postcode,
                    "addressLocality": town,
                },
                "categories": rng.sample(["Alimentation", "Réemploi", "Mobilité", "Énergie", "Habitat"], k=2),
                "description": f"Une alternative autour de {words[2]} et de la transition à {town}.",
            }
        )
    return json.dumps({"data": records}).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alternatives", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=5_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from community.models import Category, Topic
    from kits.models import FaqEntry
    from search import receivers, selectors
    from search.models import SearchDocument
    from sources import signals
    from sources.models import Source
    from sources.services.checks import check_content

    SearchDocument.objects.all().delete()
    Source.objects.all().delete()
    rng = random.Random(1)
    half = args.alternatives // 2
    with_index, without_index = Source.objects.create(name="A", slug="bench-a", source_key="bench-a"), None
    start = time.perf_counter()
    check_content(source=with_index, content=feed(half, offset=0, rng=rng))
    timed_with = time.perf_counter() - start
    signals.snapshot_applied.disconnect(dispatch_uid="search-snapshot-applied")
    without_index = Source.objects.create(name="B", slug="bench-b", source_key="bench-b")
    start = time.perf_counter()
    check_content(source=without_index, content=feed(half, offset=half, rng=rng))
    timed_without = time.perf_counter() - start
    signals.snapshot_applied.connect(
        receivers.snapshot_applied, weak=False, dispatch_uid="search-snapshot-applied"
    )
    print(
        f"check of {half} alternatives: {timed_with:.1f} s with indexing, {timed_without:.1f} s without "
        f"({100 * (timed_with / timed_without - 1):+.0f} %)"
    )

    category = Category.objects.create(name="Bench", slug="bench", visibility="public")
    for n in range(args.pages // 2):
        words = " ".join(rng.sample(WORDS, k=4))
        FaqEntry.objects.create(
            question=f"Question {n} : {words} ?", answer=f"<p>Réponse sur {words}.</p>", slug=f"q{n}"
        )
        Topic.objects.create(category=category, title=f"Sujet {n} {words}")
    start = time.perf_counter()
    call_command("search_rebuild", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(
        f"search_rebuild: {SearchDocument.objects.count()} documents in {time.perf_counter() - start:.1f} s"
    )

    queries = []
    for _ in range(50):
        kind = rng.randrange(5)
        word = rng.choice(WORDS)
        if kind == 0:
            queries.append({"q": word})
        elif kind == 1:
            queries.append({"q": f"{word} {rng.choice(TOWNS)[0]}"})
        elif kind == 2:
            queries.append({"q": word[:4]})
        elif kind == 3:
            position = rng.randrange(1, len(word) - 1)
            queries.append({"q": word[:position] + word[position + 1 :]})  # one letter missing
        else:
            queries.append({"q": word, "departement": "30"})
    timings = []
    for query in queries:
        params = selectors.SearchParams(q=query["q"], departement=query.get("departement", ""))
        start = time.perf_counter()
        selectors.search(user=None, params=params)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{connection.vendor}: 50 queries, p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
