"""Bench of the agenda import: a generated ICS feed of 5,000 events (20% recurring).

Prints wall time and peak memory (tracemalloc) of
  - the baseline: icalendar parsing + x-wr-timezone + recurring-ical-events expansion of the same file;
  - the whole import (`import_feed_content`: parse, expand, hash, upsert into the database, duplicates);
  - a second import of the same file (everything unchanged).
Goal from issue 4: whole import within 2x the baseline.

    .venv/bin/python bench/agenda_import.py [--events 5000] [--recurring 0.2]

Uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set.
"""

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(count: int, recurring_share: float, seed: int = 4) -> bytes:
    rng = random.Random(seed)
    today = date.today()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Transiscope bench//FR",
        "X-WR-CALNAME:Bench",
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    rules = ["FREQ=WEEKLY;COUNT=8", "FREQ=MONTHLY;COUNT=6", "FREQ=DAILY;COUNT=5"]
    towns = [("30000", "Nîmes"), ("69004", "Lyon"), ("34000", "Montpellier"), ("29200", "Brest")]
    for index in range(count):
        start = datetime.combine(
            today + timedelta(days=rng.randint(0, 330)), datetime.min.time()
        ) + timedelta(hours=rng.randint(8, 20))
        postcode, town = rng.choice(towns)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{index}@exemple.org",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            f"DTEND:{start + timedelta(hours=2):%Y%m%dT%H%M%S}Z",
            f"SUMMARY:Atelier de la transition numéro {index}",
            f"LOCATION:Salle {index % 50}\\, {postcode} {town}",
            "DESCRIPTION:Un atelier ouvert à toutes et tous\\, avec un temps d'échange.",
            "CATEGORIES:Atelier,Transition",
        ]
        if index < count * recurring_share:
            lines.append(f"RRULE:{rules[index % len(rules)]}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def measure(function):
    gc.collect()
    started = time.perf_counter()
    result = function()
    wall = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    function_again = function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return wall, peak, result, function_again


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--recurring", type=float, default=0.2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="agenda-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    from agenda.models import AgendaFeed, Event
    from agenda.services.ics import default_window, parse_feed
    from agenda.services.imports import import_feed_content
    from sources.models import Source

    content = generate(args.events, args.recurring)
    window_start, window_end = default_window()
    print(f"feed: {args.events} events, {args.recurring:.0%} recurring, {len(content) / 1024:.0f} KiB")

    def baseline():
        calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(content))
        return len(list(recurring_ical_events.of(calendar).between(window_start, window_end)))

    wall, peak, occurrences, _ = measure(baseline)
    print(
        f"baseline (icalendar + x-wr-timezone + recurring-ical-events): {wall:.2f} s, "
        f"peak {peak / 2**20:.1f} MiB, {occurrences} occurrences"
    )

    started = time.perf_counter()
    parse_feed(content, window_start=window_start, window_end=window_end)
    print(f"agenda parse_feed alone (no database): {time.perf_counter() - started:.2f} s")

    source, _ = Source.objects.get_or_create(slug="bench", defaults={"name": "Bench", "source_key": "bench"})
    feeds = iter(AgendaFeed.objects.create(source=source, url=f"bench-{n}", is_active=True) for n in range(4))

    def whole_import():
        return import_feed_content(feed=next(feeds), content=content)

    import_wall, import_peak, run, _ = measure(whole_import)
    print(
        f"whole import (parse + store {run.counters['events_created']} rows): {import_wall:.2f} s, "
        f"peak {import_peak / 2**20:.1f} MiB, state {run.state}"
    )
    print(f"ratio whole import / baseline: time {import_wall / wall:.2f}x, memory {import_peak / peak:.2f}x")

    feed = AgendaFeed.objects.get(pk=run.counters["feed_id"])
    started = time.perf_counter()
    again = import_feed_content(feed=feed, content=content)
    print(
        f"second import of the same file: {time.perf_counter() - started:.2f} s, "
        f"unchanged {again.counters['events_unchanged']}, created {again.counters['events_created']}, "
        f"updated {again.counters['events_updated']}"
    )
    print(f"rows in the database: {Event.objects.count()}")


if __name__ == "__main__":
    main()
