"""The search index: one row per thing a person can find, whatever app it comes from.

The rows are written by the indexers (`search/indexers.py`) and read by the engine (`search/engine/`),
which keeps its own full-text structure next to them: an FTS5 table on SQLite, a generated tsvector column
on PostgreSQL (both created by `migrations/0002_engine.py`, outside Django's model state).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One findable thing: an alternative, a kit, a FAQ entry, a story, an event, a session, a source,
    a forum topic or post, an ambassador profile."""

    class Type(models.TextChoices):
        ALTERNATIVE = "alternative", _("alternatives")
        KIT = "kit", _("kits")
        FAQ = "faq", _("questions fréquentes")
        STORY = "story", _("récits")
        EVENT = "event", _("événements")
        SESSION = "session", _("sessions de formation")
        SOURCE = "source", _("sources")
        TOPIC = "topic", _("discussions du forum")
        AMBASSADOR = "ambassador", _("ambassadeur·rices")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("tout le monde")
        TEAM = "team", _("l'équipe")
        ROLES = "roles", _("certains rôles")

    doc_type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    object_key = models.CharField(_("clé de l'objet"), max_length=400)
    language = models.CharField(
        _("langue"), max_length=5, blank=True, help_text=_("Vide : contenu qui n'existe qu'en une langue.")
    )
    title = models.CharField(_("titre"), max_length=500)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("adresse"), max_length=1000)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    region = models.CharField(_("région"), max_length=3, blank=True, db_index=True)
    commune = models.CharField(_("code commune"), max_length=5, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    categories = models.JSONField(_("catégories"), default=list, blank=True)
    source_ids = models.JSONField(_("sources"), default=list, blank=True)
    event_date = models.DateTimeField(_("date de l'événement"), null=True, blank=True)
    visibility = models.CharField(
        _("visible par"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    audience = models.CharField(
        _("rôle qui peut lire"),
        max_length=40,
        blank=True,
        help_text=_("Pour « certains rôles » : le jeton que l'indexeur du type accorde à une personne."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "object_key", "language"], name="unique_search_document"
            )
        ]
        indexes = [models.Index(fields=["doc_type", "visibility"])]

    def __str__(self):
        return f"{self.doc_type}:{self.object_key} {self.title}"
