"""Demo agenda: four sources' ICS feeds shipped in agenda/demo_feeds/, imported by the real import code,
portal events (the anniversary at the end of September, the sources' meetings) and one proposal.

Feeds are addressed as `demo:<file>.ics`: `services.download.fetch` reads those files instead of the
network, so the schedule keeps them up to date like any other feed. Idempotent.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.demo import demo_user
from sources.models import ImportRun, Source

from .models import AgendaFeed, Event
from .services.ics import PARIS
from .services.imports import import_feed
from .services.moderation import propose_event
from .services.portal_events import upsert_portal_event

DEMO_FEEDS = [
    # source slug, source name, territory, feed file, feed name, default categories
    ("alternatiba-nimes", "Alternatiba Nîmes", "30", "alternatiba-nimes.ics", "Agenda Google", []),
    ("colibris-gard", "Colibris du Gard", "30", "colibris-gard.ics", "Framagenda", ["Colibris"]),
    ("repair-cafe-lyon", "Repair Café Lyon", "69", "repair-cafe-lyon.ics", "Nextcloud", ["Réparation"]),
    ("amap-montpellier", "AMAP de Montpellier", "34", "amap-montpellier.ics", "Calendrier", []),
]


def _last_saturday_of_september(year: int) -> date:
    day = date(year, 9, 30)
    return day - timedelta(days=(day.weekday() - 5) % 7)


def _first_thursday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(3 - day.weekday()) % 7)


def load(*, stdout) -> None:
    for slug, name, territory, filename, feed_name, categories in DEMO_FEEDS:
        source = Source.objects.filter(slug=slug).first()
        if source is None:
            source = Source.objects.create(
                slug=slug, name=name, territory=territory, source_key=f"demo-agenda-{slug}"
            )
        feed, _created = AgendaFeed.objects.update_or_create(
            source=source,
            url=f"demo:{filename}",
            defaults={
                "name": feed_name,
                "territory": territory,
                "default_categories": categories,
                "is_active": True,
            },
        )
        run = import_feed(feed=feed, trigger=ImportRun.Trigger.MANUAL, conditional=False)
        stdout.write(
            f"  agenda: {source.name}: {run.state}, {run.counters.get('occurrences', 0)} occurrences"
        )

    today = timezone.localdate()
    anniversary = _last_saturday_of_september(today.year)
    if anniversary < today:
        anniversary = _last_saturday_of_september(today.year + 1)
    upsert_portal_event(
        key="portail:anniversaire",
        title="Anniversaire de Transiscope",
        start=datetime.combine(anniversary, time(14, 0), tzinfo=PARIS),
        end=datetime.combine(anniversary, time(23, 0), tzinfo=PARIS),
        location="La Maison de la transition, 30000 Nîmes",
        departement="30",
        categories=["Transiscope", "Fête"],
        description="<p>Un après-midi de rencontres entre les sources de la carte, puis un repas.</p>",
        organiser="Transiscope",
    )
    for offset in range(3):
        month_start = (today.replace(day=1) + timedelta(days=32 * offset)).replace(day=1)
        meeting = _first_thursday(month_start.year, month_start.month)
        if meeting < today:
            continue
        upsert_portal_event(
            key=f"portail:reunion-sources:{meeting:%Y-%m}",
            title="Réunion mensuelle des sources (visio)",
            start=datetime.combine(meeting, time(18, 0), tzinfo=PARIS),
            end=datetime.combine(meeting, time(19, 30), tzinfo=PARIS),
            location="En ligne",
            categories=["Transiscope", "Réunion des sources"],
            description="<p>Les mainteneuses et mainteneurs des sources font le point sur leurs flux.</p>",
            organiser="Transiscope",
        )

    member = demo_user("membre")
    if not Event.objects.filter(origin=Event.Origin.PROPOSED, submitted_by=member).exists():
        propose_event(
            title="Grainothèque éphémère au jardin partagé",
            start_date=today + timedelta(days=12),
            start_time=time(14, 0),
            end_time=time(17, 0),
            location="Jardin partagé du Mas de Mingue, 30000 Nîmes",
            departement="30",
            description="Apportez vos graines, repartez avec celles des autres !",
            submitter_name=member.display_name,
            submitter_email=member.email,
            submitted_by=member,
        )
    stdout.write(f"  agenda: {Event.objects.filter(removed_at__isnull=True).count()} events in the agenda")
