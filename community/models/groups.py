"""Working groups of the strategy and the requests to join them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkingGroup(models.Model):
    """A working group (technique, sources, partnership...) with its referents and its welcomer."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=60, unique=True)
    purpose = models.TextField(_("raison d'être"))
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("référent·es (binôme)"), blank=True, related_name="+"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    welcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne qui accueille les bénévoles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chat_url = models.URLField(_("salon de discussion"), blank=True)
    mailing_list_url = models.URLField(_("liste de diffusion"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=100)

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:group", kwargs={"slug": self.slug})


class JoinRequest(models.Model):
    """Someone asks to join a group; the welcomer receives it by e-mail."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("votre nom"), max_length=120)
    email = models.EmailField(_("votre adresse e-mail"))
    message = models.TextField(_("ce que vous aimeriez y faire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demande pour rejoindre un groupe")
        verbose_name_plural = _("demandes pour rejoindre un groupe")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} → {self.group}"
