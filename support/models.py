"""Support requests from local collectives, forwarded to trusted partners.

A collective asks for help without an account (`SupportRequest`); the team triages it, then forwards it
(`Referral`) to an organisation of the partners directory (`Partner`, not an account either). Requester
and partner act through secret links; everything said goes into one thread of `Message`s.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import territories


class Theme(models.TextChoices):
    CARTOPARTY = "cartoparty", _("Organiser une cartopartie")
    AGENDA = "agenda", _("Lancer un agenda agrégatif")
    COOPERATION = "cooperation", _("Coopérer entre organisations")
    MAPPING_TOOLS = "outils", _("Outils de cartographie et données")
    COMMUNICATION = "communication", _("Communication et mobilisation")
    GOVERNANCE = "gouvernance", _("Gouvernance et animation de collectif")
    FUNDING = "financement", _("Financement")
    OTHER = "autre", _("Autre besoin")


def new_token() -> str:
    """The secret of a link (256 random bits). It exists in clear only in the e-mail that carries it:
    the database keeps its `hash_token` (`SecretLink`)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 is enough, without salt or stretching: the token is random, not chosen by a person."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class Partner(models.Model):
    """An organisation the team trusts to support collectives. Its contact person has no account."""

    class Coverage(models.TextChoices):
        LOCAL = "local", _("Départements et régions choisis")
        NATIONAL = "national", _("Toute la France")

    organisation = models.CharField(_("organisation"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    themes = models.JSONField(_("compétences"), default=list, blank=True)
    coverage = models.CharField(
        _("couverture"), max_length=10, choices=Coverage.choices, default=Coverage.LOCAL
    )
    departements = models.JSONField(_("départements couverts"), default=list, blank=True)
    regions = models.JSONField(_("régions couvertes"), default=list, blank=True)
    languages = models.JSONField(_("langues"), default=list, blank=True)
    contact_name = models.CharField(_("personne de contact"), max_length=150)
    contact_email = models.EmailField(_("e-mail de contact"))
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacité"), default=3, help_text=_("Nombre de demandes suivies en même temps.")
    )
    is_active = models.BooleanField(_("actif"), default=True)
    in_directory = models.BooleanField(
        _("visible dans le répertoire public"),
        default=False,
        help_text=_("Seulement avec l'accord écrit de l'organisation."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["organisation"]

    def __str__(self):
        return self.organisation

    @property
    def is_national(self) -> bool:
        return self.coverage == self.Coverage.NATIONAL

    @property
    def language(self) -> str:
        """The language the portal writes to them in."""
        codes = {code for code, _name in settings.LANGUAGES}
        return next((code for code in self.languages if code in codes), settings.LANGUAGE_CODE)

    def theme_labels(self) -> list[str]:
        return [str(Theme(value).label) for value in self.themes if value in Theme.values]

    def territory_labels(self) -> list[str]:
        if self.is_national:
            return [str(_("Toute la France"))]
        labels = [territories.REGIONS[code] for code in self.regions if code in territories.REGIONS]
        labels += [
            f"{territories.DEPARTEMENTS[code][0]} ({code})"
            for code in self.departements
            if code in territories.DEPARTEMENTS
        ]
        return labels


class SupportRequest(models.Model):
    """A collective's request for support, from the public form to its resolution."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        TRIAGED = "triaged", _("En cours d'orientation")
        FORWARDED = "forwarded", _("Transmise à un partenaire")
        ACCEPTED = "accepted", _("Acceptée par un partenaire")
        IN_PROGRESS = "in_progress", _("Accompagnement en cours")
        RESOLVED = "resolved", _("Résolue")
        CLOSED = "closed", _("Fermée")
        DECLINED = "declined", _("Hors de notre champ")

    OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.FORWARDED, Status.ACCEPTED, Status.IN_PROGRESS)
    FINISHED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.DECLINED)

    collective = models.CharField(_("collectif"), max_length=200)
    contact_name = models.CharField(_("personne de contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True, db_index=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    territory_code = models.CharField(_("code du territoire"), max_length=5, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    region = models.CharField(_("région"), max_length=2, blank=True, db_index=True)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices, db_index=True)
    description = models.TextField(_("description"))
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    consent_at = models.DateTimeField(_("consentement donné le"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_requests",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    token_expires_at = models.DateTimeField(_("lien de suivi valable jusqu'au"))
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    first_response_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} — {self.collective}"

    def get_absolute_url(self) -> str:
        """The team's page of the request (the requester's page needs the secret token)."""
        return reverse("support:team_request", args=[self.pk])

    def follow_path(self, token: str) -> str:
        """The requester's secret page, in the active language (the token is known only when a link is
        made: `support.services.requester_link_issue`)."""
        return reverse("support:follow", args=[self.pk, token])

    @property
    def reference(self) -> str:
        return f"ACC-{self.pk:05d}" if self.pk else "ACC-?"

    @property
    def territory(self) -> territories.Territory | None:
        return territories.resolve(self.departement or (f"R{self.region}" if self.region else ""))

    @property
    def territory_label(self) -> str:
        label = str(self.territory or "")
        return f"{self.commune}, {label}" if self.commune and label else (self.commune or label)

    @property
    def region_name(self) -> str:
        return territories.REGIONS.get(self.region, "")

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Referral(models.Model):
    """A request forwarded to one partner, with the secret link the partner answers through."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        EXPIRED = "expired", _("Sans réponse")
        WITHDRAWN = "withdrawn", _("Retirée")

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="referrals"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partenaire"), on_delete=models.CASCADE, related_name="referrals"
    )
    message = models.TextField(
        _("texte transmis"),
        help_text=_("Ce que le partenaire lit : relu et, si besoin, caviardé par l'équipe."),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decline_reason = models.TextField(_("raison du refus"), blank=True)
    token_expires_at = models.DateTimeField(_("lien valable jusqu'au"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transmise par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("transmise le"), default=timezone.now)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    responded_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("transmission")
        verbose_name_plural = _("transmissions")
        ordering = ["-sent_at"]
        constraints = [
            # A request is in one partner's hands at a time (see `support.services.request_forward`).
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_referral_per_request",
            )
        ]

    def __str__(self):
        return f"{self.request.reference} → {self.partner}"

    def answer_path(self, token: str) -> str:
        """The partner's secret page, in the active language (see `support.services.partner_link_issue`)."""
        return reverse("support:partner", args=[self.pk, token])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ACCEPTED)

    @property
    def answer_deadline(self):
        from support.conf import partner_reply_days

        return self.sent_at + timedelta(days=partner_reply_days())


class SecretLink(models.Model):
    """One secret link sent by e-mail: to the requester (no referral) or to the partner of a referral.

    Only the hash of its token is stored, so a copy of the database opens no page. Every e-mail carries a
    new link and the earlier ones keep working until the request's (or referral's) `token_expires_at`;
    sending a new link on purpose deletes the earlier ones.
    """

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="secret_links"
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("transmission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="secret_links",
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lien secret")
        verbose_name_plural = _("liens secrets")

    def __str__(self):
        return f"{self.request.reference} ({self.created_at:%Y-%m-%d})"


class Message(models.Model):
    """One message of a request's thread. Internal notes are seen by the team only."""

    class Author(models.TextChoices):
        REQUESTER = "requester", _("Demandeur·euse")
        TEAM = "team", _("Équipe Transiscope")
        PARTNER = "partner", _("Partenaire")
        SYSTEM = "system", _("Suivi automatique")

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="messages"
    )
    author_kind = models.CharField(_("auteur·rice"), max_length=20, choices=Author.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(_("note interne"), default=False)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_author_kind_display()} — {self.created_at:%Y-%m-%d}"

    @property
    def author_label(self) -> str:
        if self.author_kind == self.Author.PARTNER and self.partner:
            return self.partner.organisation
        if self.author_kind == self.Author.TEAM:
            return str(_("Équipe Transiscope"))
        if self.author_kind == self.Author.REQUESTER:
            return self.request.contact_name or str(_("Demandeur·euse"))
        return str(self.get_author_kind_display())


class CannedAnswer(models.Model):
    """A reusable answer. Variables such as {{ requester_name }} are filled in when it is inserted."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Variables : {{ requester_name }}, {{ collective }}, {{ territory }}, {{ theme }}, "
            "{{ reference }}."
        ),
    )
    usage_count = models.PositiveIntegerField(_("utilisations"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ["-usage_count", "title"]

    def __str__(self):
        return self.title


class FaqAnswerUse(models.Model):
    """How often a FAQ entry (kits app) was sent as an answer. Kept by id so the kits app stays optional."""

    faq_entry_id = models.PositiveIntegerField(_("entrée de FAQ"), unique=True)
    question = models.CharField(_("question"), max_length=300)
    usage_count = models.PositiveIntegerField(_("utilisations"), default=0)

    class Meta:
        verbose_name = _("utilisation d'une entrée de FAQ")
        verbose_name_plural = _("utilisations des entrées de FAQ")
        ordering = ["-usage_count"]

    def __str__(self):
        return self.question
