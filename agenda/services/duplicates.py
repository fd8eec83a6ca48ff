"""The same event published by two sources: shown once, with both sources as co-organisers.

Two events are the same when they start at the same time, their titles are close and their place is the
same. When only some of that holds, a `DuplicateCandidate` waits for a person; nothing is merged silently.
"""

import re
import unicodedata
from difflib import SequenceMatcher

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DuplicateCandidate, Event

SAME_TITLE = 0.85
CLOSE_TITLE = 0.6
_POSTCODE = re.compile(r"\b\d{5}\b")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def title_similarity(first: str, second: str) -> float:
    first, second = normalise(first), normalise(second)
    if not first or not second:
        return 0.0
    if first == second:
        return 1.0
    return SequenceMatcher(None, first, second).ratio()


def same_place(first: Event, second: Event) -> bool | None:
    """True, False, or None when we cannot tell (a place is missing)."""
    if None not in (first.latitude, second.latitude, first.longitude, second.longitude):
        return abs(first.latitude - second.latitude) < 0.005 and abs(first.longitude - second.longitude) < 0.005
    a, b = normalise(first.location), normalise(second.location)
    if not a or not b:
        return None
    codes_a, codes_b = set(_POSTCODE.findall(a)), set(_POSTCODE.findall(b))
    if codes_a and codes_b and not codes_a & codes_b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.6


def detect_duplicates(*, events) -> tuple[int, int]:
    """Compare `events` (just imported) with other sources' events at the same start.
    Returns (merged, sent to moderation)."""
    events = [event for event in events.filter(duplicate_of__isnull=True, source__isnull=False)]
    if not events:
        return 0, 0
    starts = {event.start for event in events}
    by_start: dict = {}
    start_list = sorted(starts)
    for offset in range(0, len(start_list), 500):
        others = Event.objects.filter(
            start__in=start_list[offset : offset + 500],
            removed_at__isnull=True,
            duplicate_of__isnull=True,
            source__isnull=False,
        ).only("pk", "title", "location", "latitude", "longitude", "start", "source_id", "first_seen_at")
        for other in others:
            by_start.setdefault(other.start, []).append(other)
    decided = set(
        DuplicateCandidate.objects.filter(Q(event__in=events) | Q(other__in=events)).values_list(
            "event_id", "other_id"
        )
    )
    merged = review = 0
    for event in events:
        for other in by_start.get(event.start, ()):
            if other.source_id == event.source_id or other.pk == event.pk:
                continue
            if (event.pk, other.pk) in decided or (other.pk, event.pk) in decided:
                continue
            score = title_similarity(event.title, other.title)
            if score < CLOSE_TITLE:
                continue
            place = same_place(event, other)
            # The one seen first stays the main event; the later one points to it.
            primary, duplicate = (other, event) if other.first_seen_at <= event.first_seen_at else (event, other)
            if score >= SAME_TITLE and place:
                merge(duplicate=duplicate, primary=primary)
                merged += 1
                break
            reason = (
                _("titres proches, lieux différents")
                if place is False
                else _("titres proches, lieu inconnu")
                if place is None
                else _("titres seulement ressemblants")
            )
            DuplicateCandidate.objects.get_or_create(
                event=duplicate, other=primary, defaults={"score": round(score, 3), "reason": reason}
            )
            decided.add((duplicate.pk, primary.pk))
            review += 1
    return merged, review


def merge(*, duplicate: Event, primary: Event) -> None:
    """`duplicate` is shown as `primary`, whose page lists both sources."""
    if primary.duplicate_of_id:
        primary = primary.duplicate_of
    Event.objects.filter(duplicate_of=duplicate).update(duplicate_of=primary)
    duplicate.duplicate_of = primary
    duplicate.save(update_fields=["duplicate_of"])


def decide(*, candidate: DuplicateCandidate, same: bool, by) -> DuplicateCandidate:
    """A person's answer to "is this the same event?"."""
    if same:
        merge(duplicate=candidate.event, primary=candidate.other)
    candidate.state = DuplicateCandidate.State.MERGED if same else DuplicateCandidate.State.DISTINCT
    candidate.decided_at, candidate.decided_by = timezone.now(), by
    candidate.save(update_fields=["state", "decided_at", "decided_by"])
    return candidate
