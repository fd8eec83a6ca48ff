"""Compose and send a newsletter issue to 20,000 subscribers through anymail's test backend.

Prints wall time, peak memory and queries per recipient, for a small and a large run, so one can see the
queries per recipient do not grow with the number of subscribers.

    .venv/bin/python bench/newsletter_send.py [--subscribers 20000] [--small 2000] [--elements 5000]

Runs on a throwaway SQLite database in a temporary folder (or DATABASE_URL if set), with the test
settings (django-q2 in sync mode: batches run in this process, one after another).
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="bench-newsletter-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def populate(*, subscribers: int, small: int, elements: int) -> None:
    from core.territories import DEPARTEMENTS
    from newsletter.communes import COMMUNES
    from newsletter.models import Subscriber
    from sources.models import Source, SourceElement

    rng = random.Random(42)
    departements = list(DEPARTEMENTS)
    regions = sorted({region for _name, region in DEPARTEMENTS.values()})
    communes = list(COMMUNES)
    sources = [
        Source.objects.create(name=f"Source {n}", slug=f"source-{n}", source_key=f"s{n}", territory="")
        for n in range(20)
    ]
    now = timezone.now()
    rows = []
    for n in range(elements):
        code = rng.choice(communes)
        _name, lat, lon = COMMUNES[code]
        rows.append(
            SourceElement(
                source=rng.choice(sources),
                element_id=f"e{n}",
                name=f"Alternative {n}",
                latitude=lat + rng.uniform(-0.3, 0.3),
                longitude=lon + rng.uniform(-0.3, 0.3),
                departement=code[:3] if code.startswith("97") else code[:2],
                content_hash="x",
                first_seen_at=now - timedelta(days=rng.randint(0, 40)),
                last_seen_at=now,
            )
        )
    SourceElement.objects.bulk_create(rows, batch_size=2000)

    def subscriber(n, frequency):
        kind = rng.random()
        if kind < 0.7:
            scope, code, radius = "departement", rng.choice(departements), None
        elif kind < 0.85:
            scope, code, radius = "region", rng.choice(regions), None
        else:
            scope, code, radius = "radius", rng.choice(communes), rng.choice([10, 20, 30, 50])
        topics = ["alternatives", "stories", "sources", "events", "trainings"]
        if rng.random() < 0.3:
            topics = rng.sample(topics, 2)
        return Subscriber(
            email=f"{frequency}{n}@bench.example",
            scope=scope,
            territory_code=code,
            radius_km=radius,
            topics=topics,
            frequency=frequency,
            language="en" if rng.random() < 0.1 else "fr",
            status="active",
            confirmed_at=now,
        )

    Subscriber.objects.bulk_create([subscriber(n, "monthly") for n in range(subscribers)], batch_size=2000)
    Subscriber.objects.bulk_create([subscriber(n, "weekly") for n in range(small)], batch_size=2000)


def run(*, frequency: str, trace_memory: bool) -> dict:
    from newsletter import selectors, services
    from newsletter.models import Delivery, NewsletterIssue

    now = timezone.now()
    issue = NewsletterIssue.objects.create(
        title=f"Bench {frequency}",
        frequency=frequency,
        introduction="Un **édito** pour le banc d'essai.",
        period_start=now - timedelta(days=30),
        period_end=now,
    )
    recipients = selectors.recipient_count(issue=issue)
    mail.outbox = []
    counter = QueryCounter()
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        services.issue_send(issue=issue)
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace_memory else None
    if trace_memory:
        tracemalloc.stop()
    sent = Delivery.objects.filter(issue=issue, status="sent").count()
    messages = len(mail.outbox)
    distinct = len({message.to[0] for message in mail.outbox})
    mail.outbox = []
    issue.refresh_from_db()
    return {
        "recipients": recipients,
        "sent": sent,
        "messages": messages,
        "distinct": distinct,
        "status": issue.status,
        "wall": wall,
        "queries": counter.count,
        "peak": peak,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--elements", type=int, default=5_000)
    parser.add_argument("--no-tracemalloc", action="store_true", help="faster; peak RSS only")
    args = parser.parse_args()

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    print(f"database: {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    populate(subscribers=args.subscribers, small=args.small, elements=args.elements)
    print(
        f"setup (migrate + {args.subscribers + args.small} subscribers, {args.elements} alternatives): "
        f"{time.perf_counter() - started:.1f} s"
    )

    for frequency in ("weekly", "monthly"):
        result = run(frequency=frequency, trace_memory=not args.no_tracemalloc)
        per_recipient = result["queries"] / max(result["recipients"], 1)
        peak = f"{result['peak'] / 1e6:.1f} MB (tracemalloc)" if result["peak"] is not None else "n/a"
        print(
            f"{frequency:8s} recipients={result['recipients']:6d} sent={result['sent']:6d} "
            f"messages={result['messages']:6d} distinct={result['distinct']:6d} status={result['status']} "
            f"wall={result['wall']:.1f} s ({result['recipients'] / result['wall']:.0f}/s) "
            f"queries={result['queries']} ({per_recipient:.2f} per recipient) peak={peak}"
        )
    print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
