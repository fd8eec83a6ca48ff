"""Sources: the organisations whose data feeds the map, the checks of their feeds, and their elements.

The vocabulary follows GoGoCarto's (see shared/GOGOCARTO.md): an `ImportRun` has a `state`
(started, downloading, in_progress, completed, errors, failed) and a `level` (success, warning, error),
and its counters are stored under GoGoCarto's own names (elementsCount, elementsErrorsCount, ...).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.fields import RichTextField
from wagtail.search import index

from home.territories import validate_territory_code


class Source(index.Indexed, models.Model):
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
    is_active = models.BooleanField(_("active"), default=True)
    check_every_hours = models.PositiveIntegerField(_("vérifier le flux toutes les (heures)"), default=24)
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

    class Level(models.TextChoices):
        SUCCESS = "success", _("succès")
        WARNING = "warning", _("avertissement")
        ERROR = "error", _("erreur")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("planifié")
        MANUAL = "manual", _("à la demande")
        COMMAND = "command", _("ligne de commande")

    FINISHED_STATES = (State.COMPLETED, State.ERRORS, State.FAILED)

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
    counters = models.JSONField(_("compteurs"), default=dict, blank=True)
    http_status = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    bytes_read = models.PositiveBigIntegerField(_("octets lus"), default=0)
    started_at = models.DateTimeField(_("début"), auto_now_add=True, db_index=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("exécution d'import")
        verbose_name_plural = _("exécutions d'import")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "kind", "-started_at"])]

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
    An element that leaves the feed keeps its row with `removed_at` set.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="elements")
    element_id = models.CharField(_("identifiant dans la source"), max_length=300)
    name = models.CharField(_("nom"), max_length=500)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    categories = models.JSONField(_("catégories"), default=list, blank=True)
    email = models.CharField(max_length=300, blank=True)
    website = models.CharField(max_length=1000, blank=True)
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
        indexes = [models.Index(fields=["source", "removed_at"])]

    def __str__(self):
        return self.name
