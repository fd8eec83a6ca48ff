from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsletter.periods import PARIS, last_due_period

UTC = ZoneInfo("UTC")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        # Monday morning: the Monday-Sunday that just ended.
        (paris(2026, 11, 30, 6, 0), paris(2026, 11, 23), paris(2026, 11, 30)),
        # Monday before the morning, and Sunday: still the week before (already prepared).
        (paris(2026, 11, 30, 5, 59), paris(2026, 11, 16), paris(2026, 11, 23)),
        (paris(2026, 11, 29, 23, 0), paris(2026, 11, 16), paris(2026, 11, 23)),
        # Later in the week: the same last week.
        (paris(2026, 12, 3, 15, 0), paris(2026, 11, 23), paris(2026, 11, 30)),
        # Across a month and a year.
        (paris(2026, 12, 7, 8, 0), paris(2026, 11, 30), paris(2026, 12, 7)),
        (paris(2027, 1, 4, 7, 0), paris(2026, 12, 28), paris(2027, 1, 4)),
    ],
)
def test_weekly_period(now, start, end):
    period = last_due_period(frequency="weekly", now=now.astimezone(UTC))
    assert (period.start, period.end) == (start, end)
    local_start = period.start.astimezone(PARIS)
    assert local_start.weekday() == 0 and local_start.hour == 0


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (paris(2026, 12, 1, 6, 0), paris(2026, 11, 1), paris(2026, 12, 1)),
        (paris(2026, 12, 1, 5, 0), paris(2026, 10, 1), paris(2026, 11, 1)),  # the 1st, before the morning
        (paris(2027, 1, 1, 9, 0), paris(2026, 12, 1), paris(2027, 1, 1)),  # across a year
        (paris(2026, 3, 1, 9, 0), paris(2026, 2, 1), paris(2026, 3, 1)),  # February
        (paris(2028, 3, 15, 9, 0), paris(2028, 2, 1), paris(2028, 3, 1)),  # leap year
    ],
)
def test_monthly_period(now, start, end):
    period = last_due_period(frequency="monthly", now=now.astimezone(UTC))
    assert (period.start, period.end) == (start, end)


def test_periods_follow_paris_midnight_across_clock_changes():
    # Summer time starts on Sunday 29 March 2026: that week lasts 167 hours, the one in October 169.
    spring = last_due_period(frequency="weekly", now=paris(2026, 3, 30, 7, 0))
    assert spring.start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)  # Monday 23 March, 00:00 (UTC+1)
    assert spring.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # Monday 30 March, 00:00 (UTC+2)
    assert spring.end - spring.start == timedelta(hours=167)
    autumn = last_due_period(frequency="weekly", now=paris(2026, 10, 26, 7, 0))
    assert autumn.end - autumn.start == timedelta(hours=169)
    assert autumn.end.astimezone(PARIS).hour == 0
    march = last_due_period(frequency="monthly", now=paris(2026, 4, 1, 7, 0))
    assert march.end - march.start == timedelta(days=31, hours=-1)
    # Monday 06:00 in Paris is 04:00 UTC in summer: the week is due from then, not from 06:00 UTC.
    assert last_due_period(frequency="weekly", now=datetime(2026, 6, 8, 4, 0, tzinfo=UTC)).end == paris(
        2026, 6, 8
    )
    assert last_due_period(frequency="weekly", now=datetime(2026, 6, 8, 3, 59, tzinfo=UTC)).end == paris(
        2026, 6, 1
    )


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError, match="daily"):
        last_due_period(frequency="daily", now=paris(2026, 6, 8, 9, 0))


@pytest.mark.parametrize(("value", "hours"), [(None, None), ("", None), ("48", 48.0), ("0.5", 0.5)])
def test_the_auto_send_delay_setting(monkeypatch, value, hours):
    from portal.settings.base import env_hours

    if value is None:
        monkeypatch.delenv("NEWSLETTER_AUTO_SEND_AFTER_HOURS", raising=False)
    else:
        monkeypatch.setenv("NEWSLETTER_AUTO_SEND_AFTER_HOURS", value)
    assert env_hours("NEWSLETTER_AUTO_SEND_AFTER_HOURS") == hours


@pytest.mark.parametrize("value", ["deux jours", "-3", "nan"])
def test_a_wrong_auto_send_delay_is_refused_clearly(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.base import env_hours

    monkeypatch.setenv("NEWSLETTER_AUTO_SEND_AFTER_HOURS", value)
    with pytest.raises(
        ImproperlyConfigured, match="NEWSLETTER_AUTO_SEND_AFTER_HOURS must be a number of hours"
    ):
        env_hours("NEWSLETTER_AUTO_SEND_AFTER_HOURS")
