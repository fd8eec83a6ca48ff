"""The ambassador programme: applications, public profiles (opt-in fields only), staff follow-up."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.territories import validate_territory_code

THEMES = [
    ("alimentation", _("Alimentation")),
    ("energie", _("Énergie")),
    ("mobilite", _("Mobilité")),
    ("habitat", _("Habitat")),
    ("economie", _("Économie solidaire")),
    ("education", _("Éducation populaire")),
    ("numerique", _("Numérique libre")),
    ("biodiversite", _("Biodiversité")),
    ("democratie", _("Démocratie locale")),
]
LANGUAGES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("es", _("espagnol")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("oc", _("occitan")),
    ("br", _("breton")),
    ("eu", _("basque")),
    ("lsf", _("langue des signes française")),
]


class AmbassadorKind(models.TextChoices):
    SOURCE = "source", _("source")
    STEERING = "steering", _("comité de pilotage")
    INDIVIDUAL = "individual", _("personne")


class AmbassadorApplication(models.Model):
    """A request to become an ambassador, decided by the staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_applications"
    )
    motivation = models.TextField(_("pourquoi souhaitez-vous devenir ambassadeur·rice ?"))
    territory = models.CharField(
        _("territoire"),
        max_length=5,
        validators=[validate_territory_code],
        help_text=_("Numéro de département (30, 2A, 974) ou code INSEE de votre commune."),
    )
    themes = models.JSONField(_("thèmes"), default=list)
    languages = models.JSONField(_("langues"), default=list)
    kind = models.CharField(_("à quel titre"), max_length=12, choices=AmbassadorKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_message = models.TextField(_("message de réponse"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidature d'ambassadeur·rice")
        verbose_name_plural = _("candidatures d'ambassadeur·rices")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"


class AmbassadorProfile(models.Model):
    """An accepted ambassador. The directory shows the name, département, themes, languages and kind;
    organisation, presentation and learning record (trainings attended, kits completed) only when the
    ambassador ticked the box. Never the e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador")
    kind = models.CharField(_("à quel titre"), max_length=12, choices=AmbassadorKind.choices)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    region = models.CharField(_("région"), max_length=2, db_index=True)
    themes = models.JSONField(_("thèmes"), default=list)
    languages = models.JSONField(_("langues"), default=list)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("présentation"), blank=True)
    show_in_directory = models.BooleanField(_("apparaître dans l'annuaire public"), default=True)
    show_organisation = models.BooleanField(_("montrer mon organisation"), default=False)
    show_bio = models.BooleanField(_("montrer ma présentation"), default=False)
    show_learning = models.BooleanField(
        _("montrer mon parcours de formation"),
        default=False,
        help_text=_(
            "Les formations suivies et les kits terminés, sur votre page publique de l'annuaire. Sans votre "
            "accord, ils restent visibles de vous et de l'équipe seulement."
        ),
    )
    is_available = models.BooleanField(_("disponible"), default=True)
    unavailable_note = models.CharField(_("message d'indisponibilité"), max_length=300, blank=True)
    replacement = models.ForeignKey(
        "self",
        verbose_name=_("remplaçant·e"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacing",
    )
    next_contact_on = models.DateField(_("prochain contact"), null=True, blank=True)
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    since = models.DateField(_("ambassadeur·rice depuis"), auto_now_add=True)

    class Meta:
        verbose_name = _("ambassadeur·rice")
        verbose_name_plural = _("ambassadeur·rices")
        ordering = ["user__display_name"]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("community:ambassador", kwargs={"pk": self.pk})

    @property
    def departement_name(self) -> str:
        from core.territories import DEPARTEMENTS

        return DEPARTEMENTS.get(self.departement, ("", ""))[0]

    def theme_labels(self):
        labels = dict(THEMES)
        return [labels[code] for code in self.themes if code in labels]

    def language_labels(self):
        labels = dict(LANGUAGES)
        return [labels[code] for code in self.languages if code in labels]


class AmbassadorExchange(models.Model):
    """The staff's follow-up: a one-to-one exchange or a note."""

    class Kind(models.TextChoices):
        CALL = "call", _("appel")
        MEETING = "meeting", _("rencontre")
        EMAIL = "email", _("échange écrit")
        NOTE = "note", _("note")

    profile = models.ForeignKey(AmbassadorProfile, on_delete=models.CASCADE, related_name="exchanges")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("compte rendu"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("échange de suivi")
        verbose_name_plural = _("échanges de suivi")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.profile} – {self.happened_on}"


class ContactMessage(models.Model):
    """A message relayed to an ambassador through the directory (the ambassador's address stays hidden)."""

    profile = models.ForeignKey(AmbassadorProfile, on_delete=models.CASCADE, related_name="contact_messages")
    sender_name = models.CharField(_("votre nom"), max_length=120)
    sender_email = models.EmailField(_("votre adresse e-mail"))
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message à un·e ambassadeur·rice")
        verbose_name_plural = _("messages aux ambassadeur·rices")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.sender_name} → {self.profile}"
