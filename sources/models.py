"""Sources: the organisations whose data feeds the map, the checks of their feeds, and their elements.

The vocabulary follows GoGoCarto's (see shared/GOGOCARTO.md): an `ImportRun` has a `state`
(started, downloading, in_progress, completed, errors, failed) and a `level` (success, warning, error),
and its counters are stored under GoGoCarto's own names (elementsCount, elementsErrorsCount, ...).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.search import index

from core.territories import validate_territory_code
from sources.services.duplicates import stored_keys


class Source(index.Indexed, ClusterableModel):
    """A partner organisation whose feed the map imports."""

    class FeedFormat(models.TextChoices):
        AUTO = "auto", _("détection automatique")
        GOGOCARTO = "gogocarto", _("export GoGoCarto")
        JSON = "json", _("JSON")
        GEOJSON = "geojson", _("GeoJSON")
        CSV = "csv", _("CSV")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])
    description_en = RichTextField(
        _("description (anglais)"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    website = models.URLField(_("site web"), blank=True)
    territory = models.CharField(
        _("territoire couvert"),
        max_length=5,
        blank=True,
        validators=[validate_territory_code],
        help_text=_(
            "Vide pour une source nationale ; sinon un numéro de département (30) ou une région (R76)."
        ),
    )
    source_key = models.CharField(
        _("clé de source sur la carte"),
        max_length=200,
        unique=True,
        help_text=_("Le « sourceKey » des éléments de cette source sur la carte GoGoCarto."),
    )
    feed_url = models.URLField(_("adresse du flux"), max_length=1000, blank=True)
    feed_format = models.CharField(
        _("format du flux"), max_length=12, choices=FeedFormat.choices, default=FeedFormat.AUTO
    )
    field_mapping = models.JSONField(
        _("correspondance des champs"),
        default=dict,
        blank=True,
        help_text=_(
            'Pour forcer un champ : {"id": "code", "name": "intitule"}. Vide : détection automatique.'
        ),
    )
    map_url = models.URLField(
        _("adresse de la carte"), blank=True, help_text=_("Vide : la carte Transiscope.")
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mainteneur·euses"),
        blank=True,
        related_name="maintained_sources",
    )
    joined_on = models.DateField(_("date d'arrivée"), null=True, blank=True)
    charter_signed_on = models.DateField(_("charte signée le"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Décochez pour archiver la source : elle n'est plus vérifiée ni affichée, son historique "
            "(vérifications, signalements, forum) est gardé. Une source ne se supprime pas."
        ),
    )
    check_every_hours = models.PositiveIntegerField(_("vérifier le flux toutes les (heures)"), default=24)
    next_check_at = models.DateTimeField(_("prochaine vérification"), null=True, blank=True, db_index=True)
    network_failures = models.PositiveSmallIntegerField(
        _("échecs réseau consécutifs"),
        default=0,
        help_text=_("Sert à espacer les nouvelles tentatives quand le serveur du flux ne répond pas."),
    )
    report_token = models.CharField(
        _("jeton de l'adresse de signalement"), max_length=64, unique=True, default=secrets.token_urlsafe
    )
    map_elements_count = models.PositiveIntegerField(_("éléments sur la carte"), null=True, blank=True)
    map_counted_at = models.DateTimeField(_("carte comptée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sources:dashboard", kwargs={"slug": self.slug})

    @property
    def localized_description(self) -> str:
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description

    @property
    def effective_map_url(self) -> str:
        return (self.map_url or settings.GOGOCARTO_MAP_URL).rstrip("/")

    def report_webhook_path(self) -> str:
        return reverse("sources_api:gogocarto_report", kwargs={"slug": self.slug, "token": self.report_token})


class OnboardingStep(models.Model):
    """One step of a source's onboarding path, with when it was done and by whom."""

    class Step(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("premier contact")
        CHARTER_SIGNED = "charter_signed", _("charte signée")
        FEED_MAPPED = "feed_mapped", _("flux mis en correspondance")
        FIRST_CLEAN_CHECK = "first_clean_check", _("première vérification sans erreur")
        MAINTAINERS_TRAINED = "maintainers_trained", _("mainteneur·euses formé·es")
        LISTED_ON_MAP = "listed_on_map", _("visible sur la carte")

    ORDER = [choice.value for choice in Step]

    source = ParentalKey(Source, on_delete=models.CASCADE, related_name="onboarding_steps")
    step = models.CharField(_("étape"), max_length=30, choices=Step.choices)
    done_on = models.DateField(_("fait le"), default=timezone.localdate)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("étape d'accueil")
        verbose_name_plural = _("étapes d'accueil")
        ordering = ["source", "done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "step"], name="unique_onboarding_step")]

    def __str__(self):
        return f"{self.source} · {self.get_step_display()}"


class ImportRun(models.Model):
    """One run of a source's import: a check of its map feed, or an import of one of its agenda feeds.

    Kept as history. `counters` holds the figures under GoGoCarto's names for a map-feed check
    (elementsCount, elementsErrorsCount, ..., errorMessages) and the agenda's own names for an agenda run.
    """

    class Kind(models.TextChoices):
        MAP_FEED = "map_feed", _("vérification du flux de la carte")
        AGENDA = "agenda", _("import d'agenda")

    class State(models.TextChoices):
        STARTED = "started", _("démarré")
        DOWNLOADING = "downloading", _("téléchargement")
        IN_PROGRESS = "in_progress", _("en cours")
        COMPLETED = "completed", _("terminé sans erreur")
        ERRORS = "errors", _("terminé avec des erreurs")
        FAILED = "failed", _("échec")
        # Usable records dropped sharply: nothing applied until a maintainer confirms (issue 22).
        HELD = "held", _("en attente de confirmation")

    class Level(models.TextChoices):
        SUCCESS = "success", _("succès")
        WARNING = "warning", _("avertissement")
        ERROR = "error", _("erreur")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("planifié")
        MANUAL = "manual", _("à la demande")
        COMMAND = "command", _("ligne de commande")

    FINISHED_STATES = (State.COMPLETED, State.ERRORS, State.FAILED, State.HELD)

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="runs"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.MAP_FEED)
    feed_url = models.CharField(_("adresse lue"), max_length=1000, blank=True)
    trigger = models.CharField(
        _("déclenchement"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.STARTED)
    level = models.CharField(_("niveau"), max_length=8, choices=Level.choices, blank=True)
    not_modified = models.BooleanField(
        _("inchangé"),
        default=False,
        help_text=_("Le serveur a répondu 304 : rien n'a changé depuis la dernière fois."),
    )
    reason = models.CharField(_("raison de l'échec"), max_length=500, blank=True)
    detail = models.CharField(
        _("détail de l'échec"),
        max_length=500,
        blank=True,
        help_text=_(
            "Ce qui a échoué exactement (serveur, adresse, chiffres) : montré aux seuls mainteneurs."
        ),
    )
    counters = models.JSONField(_("compteurs"), default=dict, blank=True)
    http_status = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    bytes_read = models.PositiveBigIntegerField(_("octets lus"), default=0)
    started_at = models.DateTimeField(_("début"), auto_now_add=True, db_index=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    changes = models.JSONField(
        _("changements"),
        default=dict,
        blank=True,
        help_text=_(
            "Identifiants créés, modifiés et retirés, et doublons possibles (les premiers de chaque)."
        ),
    )

    class Meta:
        verbose_name = _("exécution d'import")
        verbose_name_plural = _("exécutions d'import")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "kind", "-started_at"])]
        constraints = [
            # One check of a source's map feed at a time: a second one (a double click, a queued
            # duplicate) cannot even start its run. Agenda feeds of one source may import side by side.
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(kind="map_feed")
                & ~models.Q(state__in=["completed", "errors", "failed", "held"]),
                name="one_unfinished_check_per_source",
            )
        ]

    def __str__(self):
        return f"{self.source} · {self.get_kind_display()} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES


class RunError(models.Model):
    """One record of a run that could not be used: where it was, which id, what was wrong, at which stage."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="errors")
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    element_id = models.CharField(_("identifiant"), max_length=300, blank=True)
    stage = models.CharField(_("étape"), max_length=30, blank=True)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        verbose_name = _("erreur d'import")
        verbose_name_plural = _("erreurs d'import")
        ordering = ["run", "position", "id"]

    def __str__(self):
        return f"#{self.position} {self.element_id}: {self.message}"


class SourceElement(models.Model):
    """An alternative as the source's feed last described it: the source's current snapshot.

    Only a successful run updates these rows, so a failed run never replaces the last good snapshot.
    An element that leaves the feed keeps its row with `removed_at` set. `name_slug`, `email_key` and
    `website_key` are the duplicate-detection keys of `name`, `email` and `website`, kept up to date by
    `save()` and by the check's own batched writes (`sources.services.duplicates.stored_keys`).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="elements")
    element_id = models.CharField(_("identifiant dans la source"), max_length=300)
    name = models.CharField(_("nom"), max_length=500)
    address = models.CharField(_("adresse"), max_length=500, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    categories = models.JSONField(_("catégories"), default=list, blank=True)
    email = models.CharField(max_length=300, blank=True)
    website = models.CharField(max_length=1000, blank=True)
    name_slug = models.CharField(max_length=200, blank=True, default="", editable=False)
    email_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    website_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    KEY_FIELDS = ("name_slug", "email_key", "website_key")
    content_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(_("apparu le"), db_index=True)
    last_seen_at = models.DateTimeField(_("vu pour la dernière fois le"))
    removed_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("élément de source")
        verbose_name_plural = _("éléments de source")
        constraints = [
            models.UniqueConstraint(fields=["source", "element_id"], name="unique_element_per_source")
        ]
        indexes = [
            models.Index(fields=["source", "removed_at"]),
            # Only the current snapshots are compared: partial indexes, without the removed rows.
            models.Index(
                fields=["name_slug"],
                condition=models.Q(removed_at__isnull=True),
                name="element_name_slug_idx",
            ),
            models.Index(
                fields=["email_key"],
                condition=models.Q(removed_at__isnull=True),
                name="element_email_key_idx",
            ),
            models.Index(
                fields=["website_key"],
                condition=models.Q(removed_at__isnull=True),
                name="element_website_key_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.set_keys()
        if update_fields is not None and {"name", "email", "website"} & set(update_fields):
            update_fields = {*update_fields, *self.KEY_FIELDS}
        super().save(*args, update_fields=update_fields, **kwargs)

    def set_keys(self) -> None:
        self.name_slug, self.email_key, self.website_key = stored_keys(
            name=self.name, email=self.email, website=self.website
        )


class Report(models.Model):
    """A report (signalement) on one of a source's alternatives, from the portal or from GoGoCarto."""

    class Reason(models.IntegerChoices):
        # GoGoCarto's own values; there is no 3.
        NO_LONGER_EXISTS = 0, _("L'alternative n'existe plus")
        WRONG_INFORMATION = 1, _("Informations incorrectes")
        CHARTER = 2, _("Ne respecte pas la charte")
        DUPLICATE = 4, _("Référencée plusieurs fois (doublon)")

    class Status(models.TextChoices):
        NEW = "new", _("nouveau")
        ACKNOWLEDGED = "acknowledged", _("pris en compte")
        FIXED = "fixed", _("corrigé")
        REJECTED = "rejected", _("rejeté")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("formulaire du portail")
        GOGOCARTO = "gogocarto", _("carte GoGoCarto")

    OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED)
    RESOLVED_STATUSES = (Status.FIXED, Status.REJECTED)

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="reports"
    )
    channel = models.CharField(_("reçu par"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    element_id = models.CharField(_("identifiant dans la source"), max_length=300, blank=True)
    gogo_id = models.CharField(_("identifiant sur la carte"), max_length=100, blank=True)
    url = models.URLField(_("adresse sur la carte"), max_length=1000, blank=True)
    element_name = models.CharField(_("nom de l'alternative"), max_length=500, blank=True)
    reason = models.PositiveSmallIntegerField(_("motif"), choices=Reason.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    reporter_email = models.EmailField(_("e-mail de la personne"), blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NEW)
    resolution_message = models.TextField(_("message de résolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    reporter_notified_at = models.DateTimeField(_("personne prévenue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="unique_report_fingerprint")
        ]

    def __str__(self):
        element = self.element_name or self.element_id or self.gogo_id
        return f"{self.source} · {element} · {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AlertPreference(models.Model):
    """How a maintainer wants to hear about their sources: at once, or in one daily digest."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("tout de suite")
        DAILY_DIGEST = "daily_digest", _("un résumé par jour")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_alert_preference"
    )
    mode = models.CharField(_("alertes"), max_length=12, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("préférence d'alerte")
        verbose_name_plural = _("préférences d'alerte")

    def __str__(self):
        return f"{self.user} · {self.get_mode_display()}"


class Incident(models.Model):
    """A stretch of time during which a source's runs of one kind are not clean.

    Opened by the first run in `errors` or `failed`, closed by the next `completed` one: alerts go out
    at the opening and at the closing only, never at every run in between.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("type"), max_length=12, choices=ImportRun.Kind.choices)
    opened_by = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_by = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_incident_per_source_kind",
            )
        ]

    def __str__(self):
        return f"{self.source} · {self.kind} · {self.opened_at:%Y-%m-%d}"


class PendingAlert(models.Model):
    """An alert kept for a maintainer's daily digest until it is sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.subject
