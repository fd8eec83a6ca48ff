"""The territorial newsletter: subscribers (no account needed), issues, and one delivery per subscriber.

It is its own app because subscriptions, composition and batch sending form a domain fed by every other
app (map alternatives, stories, sources, agenda, trainings) and owned by none of them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.territories import DEPARTEMENTS, REGIONS, resolve
from newsletter.communes import COMMUNES


class Topic(models.TextChoices):
    ALTERNATIVES = "alternatives", _("nouvelles alternatives sur la carte")
    STORIES = "stories", _("récits")
    SOURCES = "sources", _("nouvelles sources")
    EVENTS = "events", _("agenda")
    TRAININGS = "trainings", _("formations")


def all_topics() -> list[str]:
    return list(Topic.values)


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("chaque semaine")
    MONTHLY = "monthly", _("chaque mois")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de confirmation")
        ACTIVE = "active", _("inscrit·e")
        UNSUBSCRIBED = "unsubscribed", _("désinscrit·e")
        BOUNCED = "bounced", _("adresse en échec")

    class Scope(models.TextChoices):
        DEPARTEMENT = "departement", _("un département")
        REGION = "region", _("une région")
        RADIUS = "radius", _("autour d'une commune")

    email = models.EmailField(_("adresse e-mail"), unique=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    scope = models.CharField(_("territoire"), max_length=12, choices=Scope.choices)
    territory_code = models.CharField(
        _("code du territoire"), max_length=5, help_text=_("Département (30), région (76) ou commune INSEE.")
    )
    radius_km = models.PositiveSmallIntegerField(_("rayon (km)"), null=True, blank=True)
    topics = models.JSONField(_("thèmes"), default=all_topics)
    frequency = models.CharField(
        _("fréquence"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrit·e le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "frequency"])]

    def __str__(self):
        return self.email

    @property
    def territory_key(self) -> str:
        """Subscribers with the same key receive the same territorial blocks."""
        if self.scope == self.Scope.RADIUS:
            return f"C{self.territory_code}:{self.radius_km}"
        if self.scope == self.Scope.REGION:
            return f"R{self.territory_code}"
        return f"D{self.territory_code}"

    @property
    def territory_label(self) -> str:
        return territory_label(self.territory_key)


def territory_label(key: str) -> str:
    if key.startswith("C"):
        code, radius = key[1:].split(":")
        name = COMMUNES.get(code, (code,))[0]
        return _("%(radius)s km autour de %(name)s") % {"radius": radius, "name": name}
    if key.startswith("R"):
        return REGIONS.get(key[1:], key[1:])
    territory = resolve(key[1:])
    return str(territory) if territory else key[1:]


def departements_of_region(region: str) -> list[str]:
    return [code for code, (_name, reg) in DEPARTEMENTS.items() if reg == region]


class NewsletterIssue(models.Model):
    """One issue: an editor's introduction and a period; each subscriber's content is composed when sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SENDING = "sending", _("envoi en cours")
        SENT = "sent", _("envoyée")

    title = models.CharField(_("titre"), max_length=200)
    frequency = models.CharField(_("pour les abonné·es"), max_length=8, choices=Frequency.choices)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)
    period_start = models.DateTimeField(_("nouveautés depuis le"))
    period_end = models.DateTimeField(_("jusqu'au"))
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    sending_started_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)
    created_automatically = models.BooleanField(_("préparé automatiquement"), default=False, editable=False)
    held = models.BooleanField(
        _("ne pas envoyer automatiquement"),
        default=False,
        help_text=_(
            "Pour un numéro préparé automatiquement : il ne partira pas tout seul après le délai prévu. "
            "Vous pouvez toujours l'envoyer vous-même."
        ),
    )

    class Meta:
        verbose_name = _("numéro de la lettre")
        verbose_name_plural = _("numéros de la lettre")
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("newsletter:issue", kwargs={"pk": self.pk})


class PreparedPeriod(models.Model):
    """A period whose draft was prepared automatically. It outlives the draft: a draft an editor deleted
    is not prepared again."""

    frequency = models.CharField(_("fréquence"), max_length=8, choices=Frequency.choices)
    period_start = models.DateTimeField(_("début de la période"))
    period_end = models.DateTimeField(_("fin de la période"))
    prepared_at = models.DateTimeField(auto_now_add=True)
    issue = models.ForeignKey(
        NewsletterIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("période préparée")
        verbose_name_plural = _("périodes préparées")
        constraints = [
            models.UniqueConstraint(fields=["frequency", "period_start"], name="one_preparation_per_period")
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} {self.period_start:%Y-%m-%d}"


class Delivery(models.Model):
    """One issue to one subscriber. The unique pair is claimed before sending, so nobody gets an issue twice.

    pending -> sending (claimed by one worker, just before the provider is called) -> sent | skipped | failed,
    or -> empty when the subscriber's territory and topics have nothing to show this time (no e-mail).
    A row left in "sending" by a worker that died is a claim that expires: the resume job puts it back to
    "pending" once (`attempts` counts the claims), then marks it failed. The message may have left before
    the worker died, so that one person may get the issue twice; nobody is lost silently.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENDING = "sending", _("envoi en cours")
        SENT = "sent", _("envoyé")
        SKIPPED = "skipped", _("non envoyé (adresse bloquée)")
        EMPTY = "empty", _("non envoyé (rien de nouveau)")
        FAILED = "failed", _("échec")

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    updated_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_subscriber_and_issue"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue} → {self.subscriber} ({self.get_status_display()})"
