"""Models of the agenda app: the sources' agenda feeds, the events they bring, and moderation.

One `Event` row is one occurrence: a recurring series from a feed becomes one row per occurrence in the
import window, keyed by the feed, the `UID` and the occurrence's `RECURRENCE-ID` (empty for a single event).
Times are stored in UTC; all-day events start and end at midnight, Paris time.
"""

from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.territories import validate_territory_code

PARIS = ZoneInfo("Europe/Paris")


@lru_cache(maxsize=4096)
def _slug(category: str) -> str:
    return slugify(category)


def category_index(categories) -> str:
    """Categories as `|slug|slug|`, so that one portable `icontains` finds an event by category."""
    slugs = [_slug(category) for category in categories or []]
    return ("|" + "|".join(slug for slug in slugs if slug) + "|")[:1000] if slugs else ""


class AgendaFeed(models.Model):
    """An ICS feed published by a source (Google Calendar, Nextcloud, Mobilizon, Gancio, any ICS URL)."""

    source = models.ForeignKey(
        "sources.Source", verbose_name=_("source"), on_delete=models.CASCADE, related_name="agenda_feeds"
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    url = models.CharField(
        _("adresse du flux ICS"),
        max_length=1000,
        help_text=_("Une adresse http(s) vers un fichier .ics (webcal:// est accepté)."),
    )
    default_categories = models.JSONField(
        _("catégories par défaut"),
        default=list,
        blank=True,
        help_text=_('Ajoutées à chaque événement du flux, par exemple ["Alimentation", "Atelier"].'),
    )
    territory = models.CharField(
        _("territoire par défaut"),
        max_length=5,
        blank=True,
        validators=[validate_territory_code],
        help_text=_("Un numéro de département (30) ou une région (R76), quand le lieu ne le dit pas."),
    )
    is_active = models.BooleanField(
        _("actif"), default=False, help_text=_("Activez-le après avoir vérifié l'aperçu.")
    )
    is_hidden = models.BooleanField(
        _("masqué"), default=False, help_text=_("Ses événements ne sont plus montrés (modération).")
    )
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified_header = models.CharField(max_length=100, blank=True, editable=False)
    last_import_at = models.DateTimeField(_("dernier import"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flux d'agenda")
        verbose_name_plural = _("flux d'agenda")
        ordering = ["source__name", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="unique_agenda_feed_url")]

    def __str__(self):
        return self.name or f"{self.source} · {self.url}"


class Event(models.Model):
    """One occurrence of an event, from a feed, from the portal itself, or proposed by someone."""

    class Origin(models.TextChoices):
        FEED = "feed", _("flux d'une source")
        PORTAL = "portal", _("portail")
        PROPOSED = "proposed", _("proposé par une personne")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmé")
        TENTATIVE = "tentative", _("à confirmer")
        CANCELLED = "cancelled", _("annulé")

    class Review(models.TextChoices):
        APPROVED = "approved", _("publié")
        PENDING = "pending", _("en attente de modération")
        REJECTED = "rejected", _("refusé")

    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices, default=Origin.FEED)
    feed = models.ForeignKey(
        AgendaFeed,
        verbose_name=_("flux"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_events",
    )
    uid = models.CharField("UID", max_length=500)
    recurrence_id = models.CharField(
        "RECURRENCE-ID", max_length=40, blank=True, help_text=_("Vide pour un événement non répété.")
    )
    title = models.CharField(_("titre"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("adresse web"), max_length=1000, blank=True)
    location = models.CharField(_("lieu"), max_length=500, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    region = models.CharField(_("région"), max_length=2, blank=True, db_index=True)
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    sequence = models.IntegerField("SEQUENCE", default=0)
    last_modified = models.DateTimeField("LAST-MODIFIED", null=True, blank=True)
    categories = models.JSONField(_("catégories"), default=list, blank=True)
    category_index = models.CharField(
        max_length=1000, blank=True, editable=False, help_text="|slug|slug| of the categories, for filtering."
    )
    organiser = models.CharField(_("organisateur·rice"), max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    review = models.CharField(
        _("modération"), max_length=10, choices=Review.choices, default=Review.APPROVED, db_index=True
    )
    is_hidden = models.BooleanField(_("masqué"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text=_("Le même événement publié par une autre source : il est montré une seule fois."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_events",
    )
    submitter_name = models.CharField(_("nom de la personne qui propose"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("e-mail de la personne qui propose"), blank=True)
    first_seen_at = models.DateTimeField(_("apparu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    removed_at = models.DateTimeField(
        _("retiré le"), null=True, blank=True, help_text=_("Disparu du flux : gardé dans l'historique.")
    )

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "uid", "recurrence_id"],
                condition=Q(feed__isnull=False),
                name="unique_event_occurrence_per_feed",
            ),
            models.UniqueConstraint(
                fields=["origin", "uid", "recurrence_id"],
                condition=Q(feed__isnull=True),
                name="unique_event_occurrence_outside_feeds",
            ),
        ]
        indexes = [
            models.Index(fields=["removed_at", "start"]),
            models.Index(fields=["source", "start"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.start:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.category_index = category_index(self.categories)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agenda:event", kwargs={"pk": self.pk})

    @property
    def local_start(self):
        return timezone.localtime(self.start, PARIS)

    @property
    def local_end(self):
        return timezone.localtime(self.end, PARIS)

    @property
    def when(self) -> str:
        """Dates and times in Paris, in the reader's language ("samedi 13 février 2027, 14:00 – 18:00")."""
        start, end = self.local_start, self.local_end
        if self.all_day:
            last = (end - timedelta(days=1)).date() if end > start else start.date()
            if last <= start.date():
                return date_format(start.date(), "l j F Y")
            return _("du %(start)s au %(end)s") % {
                "start": date_format(start.date(), "l j F"),
                "end": date_format(last, "l j F Y"),
            }
        if start.date() == end.date():
            if start == end:
                return f"{date_format(start, 'l j F Y')}, {time_format(start, 'H:i')}"
            return f"{date_format(start, 'l j F Y')}, {time_format(start, 'H:i')} – {time_format(end, 'H:i')}"
        return _("du %(start)s au %(end)s") % {
            "start": f"{date_format(start, 'l j F Y')}, {time_format(start, 'H:i')}",
            "end": f"{date_format(end, 'l j F Y')}, {time_format(end, 'H:i')}",
        }

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def map_url(self) -> str:
        """OpenStreetMap at the event's coordinates, or an OpenStreetMap search for its address."""
        from urllib.parse import urlencode

        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude:.5f}&mlon={self.longitude:.5f}"
                f"#map=16/{self.latitude:.5f}/{self.longitude:.5f}"
            )
        if self.location:
            return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location})
        return ""


class DuplicateCandidate(models.Model):
    """Two events from different sources that might be the same: a person decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("à examiner")
        MERGED = "merged", _("fusionnés")
        DISTINCT = "distinct", _("distincts")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("ressemblance"))
    reason = models.CharField(_("raison"), max_length=300, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "other"], name="unique_duplicate_pair")]

    def __str__(self):
        return f"{self.event} ≈ {self.other}"
