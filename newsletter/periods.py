"""The periods automatic issues cover: Monday to Sunday, or a calendar month, in Paris time.

A period runs from local midnight to local midnight, so a week holding a change of clock lasts 167 or
169 hours. Its draft is due on the morning after it ends (`DUE_AT`, Paris time).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DUE_AT = time(6)


@dataclass(frozen=True)
class Period:
    frequency: str
    start: datetime  # in UTC
    end: datetime  # in UTC, excluded: the start of the next period

    @property
    def last_day(self) -> date:
        return self.end.astimezone(PARIS).date() - timedelta(days=1)


def _first_day(frequency: str, day: date) -> date:
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    raise ValueError(f"Unknown newsletter frequency: {frequency!r}")


def _midnight(day: date) -> datetime:
    # In UTC: Python subtracts two datetimes of the same zone by their wall clocks, ignoring the change.
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def last_due_period(*, frequency: str, now: datetime) -> Period:
    """The latest period whose draft is due at `now`: it has ended, and the morning after has come."""
    local = now.astimezone(PARIS)
    today = local.date() if local.time() >= DUE_AT else local.date() - timedelta(days=1)
    end = _first_day(frequency, today)
    start = _first_day(frequency, end - timedelta(days=1))
    return Period(frequency=frequency, start=_midnight(start), end=_midnight(end))
