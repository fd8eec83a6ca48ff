"""Reading an ICS file into occurrences, without touching the database.

Google's `X-WR-TIMEZONE` is repaired with x-wr-timezone, recurrences are expanded over a window with
recurring-ical-events, `VTODO`/`VJOURNAL` are ignored, and a broken `VEVENT` is set aside with its
position and `UID` while the others are read. Times come out in UTC; floating times are read in the
calendar's time zone (Europe/Paris by default) and all-day dates as midnight in Paris.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

import icalendar
import recurring_ical_events
import x_wr_timezone

from core.sanitize import safe_url, sanitize_html

PARIS = ZoneInfo("Europe/Paris")
# A broken value in one of these makes the whole VEVENT unusable; elsewhere the property is just dropped.
ESSENTIAL_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
TEXT_PROPERTIES = ("SUMMARY", "DESCRIPTION", "X-ALT-DESC", "LOCATION", "URL", "CATEGORIES", "ORGANIZER")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_POSTCODE = re.compile(r"\b(\d{5})\b")


class FeedUnparseable(Exception):
    """The body is not a calendar at all; the message is one line meant for people."""


@dataclass
class ParsedFeed:
    occurrences: list[dict] = field(default_factory=list)
    errors: list[tuple[int | None, str, str]] = field(default_factory=list)  # (position, uid, message)
    occurrence_count: int = 0  # as recurring-ical-events counts them, cancelled ones included
    cancelled_components: int = 0  # master events or overrides whose STATUS is CANCELLED


def default_window(today: date | None = None) -> tuple[date, date]:
    """Yesterday to one year ahead."""
    today = today or datetime.now(PARIS).date()
    return today - timedelta(days=1), today + timedelta(days=365)


def parse_feed(content: bytes | str, *, window_start: date, window_end: date) -> ParsedFeed:
    calendar = _read_calendar(content)
    parsed = ParsedFeed()
    recurring_uids: set[str] = set()
    kept = []
    position = 0
    for component in list(calendar.subcomponents):
        if component.name in {"VTODO", "VJOURNAL"}:
            calendar.subcomponents.remove(component)
            continue
        if component.name != "VEVENT":
            continue
        position += 1
        problem = _problem_with(component)
        uid = str(component.get("UID", "") or "").strip()
        if problem:
            parsed.errors.append((position, uid, problem))
            calendar.subcomponents.remove(component)
            continue
        if not uid:
            # A feed without UIDs still deserves an agenda: a stable id made of what identifies the event.
            seed = f"{component.get('DTSTART').to_ical()!r}|{component.get('SUMMARY', '')}"
            uid = "sans-uid-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:16]
            component["UID"] = uid
        if "RRULE" in component or "RDATE" in component or "RECURRENCE-ID" in component:
            recurring_uids.add(uid)
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            parsed.cancelled_components += 1
        kept.append((position, uid, component))

    texts: dict = {}
    for uid, component in _expand(calendar, kept, window_start, window_end, parsed):
        parsed.occurrence_count += 1
        try:
            parsed.occurrences.append(
                _occurrence(component, uid=uid, recurring=uid in recurring_uids, texts=texts)
            )
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            parsed.errors.append((None, uid, _("Occurrence illisible : %(error)s") % {"error": error}))
    return parsed


def _read_calendar(content: bytes | str) -> icalendar.Calendar:
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    content = content.lstrip("\ufeff \t\r\n")
    if not content[:15].upper().startswith("BEGIN:VCALENDAR"):
        raise FeedUnparseable(_("Ce n'est pas un fichier ICS (il ne commence pas par BEGIN:VCALENDAR)."))
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except Exception as error:  # icalendar raises ValueError and a few others on garbage
        raise FeedUnparseable(_("Fichier ICS illisible : %(error)s") % {"error": _one_line(error)}) from error
    try:
        return x_wr_timezone.to_standard(calendar)
    except Exception as error:
        raise FeedUnparseable(
            _("Fuseau horaire X-WR-TIMEZONE inutilisable : %(error)s") % {"error": _one_line(error)}
        ) from error


def _problem_with(component) -> str:
    for name, message in getattr(component, "errors", ()):
        if name in ESSENTIAL_PROPERTIES:
            return _("%(property)s illisible : %(error)s") % {"property": name, "error": _one_line(message)}
    if "DTSTART" not in component:
        return _("DTSTART manquant.")
    try:
        start = component.decoded("DTSTART")
        if "DTEND" in component:
            end = component.decoded("DTEND")
            if type(end) is not type(start) and not (isinstance(end, date) and isinstance(start, date)):
                return _("DTEND et DTSTART de types différents.")
    except Exception as error:
        return _("Date illisible : %(error)s") % {"error": _one_line(error)}
    return ""


def _expand(calendar, kept, window_start, window_end, parsed):
    """Occurrences in the window as (uid, component); a series that cannot be expanded is an error."""
    try:
        occurrences = list(recurring_ical_events.of(calendar).between(window_start, window_end))
    except Exception:
        occurrences = None
    if occurrences is not None:
        for component in occurrences:
            yield str(component.get("UID")), component
        return
    timezones = [sub for sub in calendar.subcomponents if sub.name == "VTIMEZONE"]
    series: dict[str, list] = {}
    for position, uid, component in kept:
        series.setdefault(uid, []).append((position, component))
    for uid, members in series.items():
        single = icalendar.Calendar()
        for sub in timezones + [component for _position, component in members]:
            single.add_component(sub)
        try:
            found = list(recurring_ical_events.of(single).between(window_start, window_end))
        except Exception as error:
            parsed.errors.append(
                (members[0][0], uid, _("Répétition illisible : %(error)s") % {"error": _one_line(error)})
            )
            continue
        for component in found:
            yield uid, component


def _utc(value, *, end: bool = False) -> tuple[datetime, bool]:
    """A UTC datetime and whether the value was a whole day."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=PARIS)
        return value.astimezone(UTC), False
    return datetime(value.year, value.month, value.day, tzinfo=PARIS).astimezone(UTC), True


def _recurrence_key(value) -> str:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=PARIS) if value.tzinfo is None else value
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return " ".join(str(value).split())


def _description(component) -> str:
    alt = component.get("X-ALT-DESC")
    if alt is not None and "html" in str(getattr(alt, "params", {}).get("FMTTYPE", "")).lower():
        return sanitize_html(str(alt)).strip()
    text = str(component.get("DESCRIPTION", "") or "").strip()
    if not text:
        return ""
    if _HTML_TAG.search(text):
        return sanitize_html(text).strip()
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return sanitize_html(
        "".join("<p>" + html.escape(part).replace("\n", "<br>") + "</p>" for part in paragraphs)
    )


def _categories(component) -> list[str]:
    values = component.get("CATEGORIES")
    if values is None:
        return []
    found = []
    for value in values if isinstance(values, list) else [values]:
        for category in getattr(value, "cats", [value]):
            category = " ".join(str(category).split())
            if category and category not in found:
                found.append(category)
    return found


def _organiser(component) -> str:
    organiser = component.get("ORGANIZER")
    if organiser is None:
        return ""
    return " ".join(str(organiser.params.get("CN", "")).split())[:300]


def _url(component) -> str:
    url = safe_url(_text(component, "URL"))
    return url if len(url) <= 1000 else ""


def _geo(component) -> tuple[float | None, float | None]:
    geo = component.get("GEO")
    try:
        latitude, longitude = float(geo.latitude), float(geo.longitude)
    except (AttributeError, TypeError, ValueError):
        return None, None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None, None


def _raw(value):
    """A hashable form of a property value with its parameters (CN, ALTREP...)."""
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(_raw(item) for item in value)
    return value.to_ical(), tuple(sorted(getattr(value, "params", {}).items()))


def _texts(component) -> dict:
    location = _text(component, "LOCATION")[:500]
    return {
        "title": (_text(component, "SUMMARY") or _("(sans titre)"))[:500],
        "description": _description(component),
        "url": _url(component),
        "location": location,
        "postcode": (_POSTCODE.findall(location) or [""])[-1],
        "categories": _categories(component),
        "organiser": _organiser(component),
    }


def _occurrence(component, *, uid: str, recurring: bool, texts: dict) -> dict:
    start, all_day = _utc(component.decoded("DTSTART"))
    end_value = component.decoded("DTEND") if "DTEND" in component else None
    end = (
        _utc(end_value)[0]
        if end_value is not None
        else start + (timedelta(days=1) if all_day else timedelta())
    )
    end = max(end, start)
    status = str(component.get("STATUS", "")).upper()
    last_modified = component.decoded("LAST-MODIFIED") if "LAST-MODIFIED" in component else None
    latitude, longitude = _geo(component)
    try:
        sequence = int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    recurrence_id = ""
    if recurring and "RECURRENCE-ID" in component:
        recurrence_id = _recurrence_key(component.decoded("RECURRENCE-ID"))
    if recurring:
        # Occurrences of a series carry the same texts: read and sanitise them once per import.
        key = (uid, *(_raw(component.get(name)) for name in TEXT_PROPERTIES))
        if key not in texts:
            texts[key] = _texts(component)
        found = texts[key]
    else:
        found = _texts(component)
    return {
        "uid": uid[:500],
        "recurrence_id": recurrence_id,
        **found,
        "categories": list(found["categories"]),
        "latitude": latitude,
        "longitude": longitude,
        "start": start,
        "end": end,
        "all_day": all_day,
        "status": {"CANCELLED": "cancelled", "TENTATIVE": "tentative"}.get(status, "confirmed"),
        "sequence": sequence,
        "last_modified": _utc(last_modified)[0] if isinstance(last_modified, datetime) else None,
    }


def _one_line(error) -> str:
    return " ".join(str(error).split())[:300]
