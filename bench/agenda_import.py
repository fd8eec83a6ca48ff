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


def timed(function):
    gc.collect()
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def peak_memory(function):
    gc.collect()
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--recurring", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=2)
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

    source, _ = Source.objects.get_or_create(slug="bench", defaults={"name": "Bench", "source_key": "bench"})
    feeds = iter(
        AgendaFeed.objects.create(source=source, url=f"bench-{n}", is_active=True) for n in range(99)
    )

    def whole_import():
        return import_feed_content(feed=next(feeds), content=content)

    # The machine is shared: interleave the measures and keep the best of each.
    baseline_times, parse_times, import_times = [], [], []
    for _repeat in range(args.repeats):
        wall, occurrences = timed(baseline)
        baseline_times.append(wall)
        parse_times.append(
            timed(lambda: parse_feed(content, window_start=window_start, window_end=window_end))[0]
        )
        wall, run = timed(whole_import)
        import_times.append(wall)
    baseline_peak = peak_memory(baseline)
    import_peak = peak_memory(whole_import)
    best_baseline, best_import = min(baseline_times), min(import_times)

    def show(times):
        return ", ".join(f"{value:.2f}" for value in times)

    print(
        f"baseline (icalendar + x-wr-timezone + recurring-ical-events): best {best_baseline:.2f} s "
        f"[{show(baseline_times)}], peak {baseline_peak / 2**20:.1f} MiB, {occurrences} occurrences"
    )
    print(f"agenda parse_feed alone (no database): best {min(parse_times):.2f} s [{show(parse_times)}]")
    print(
        f"whole import (parse + store {run.counters['events_created']} rows + duplicates): best "
        f"{best_import:.2f} s [{show(import_times)}], peak {import_peak / 2**20:.1f} MiB, state {run.state}"
    )
    print(
        f"ratio whole import / baseline: time {best_import / best_baseline:.2f}x, "
        f"memory {import_peak / baseline_peak:.2f}x"
    )

    feed = AgendaFeed.objects.get(pk=run.counters["feed_id"])
    wall, again = timed(lambda: import_feed_content(feed=feed, content=content))
    print(
        f"second import of the same file: {wall:.2f} s, unchanged {again.counters['events_unchanged']}, "
        f"created {again.counters['events_created']}, updated {again.counters['events_updated']}"
    )
    print(f"rows in the database: {Event.objects.count()}")


if __name__ == "__main__":
    main()
