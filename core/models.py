"""Models of the kernel: what every app needs and no feature owns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuppressedAddress(models.Model):
    """An address the portal stops writing to: a hard bounce, a complaint, or a rejection by the provider."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("adresse en échec définitif")
        COMPLAINED = "complained", _("signalé comme indésirable")
        REJECTED = "rejected", _("refusé par le prestataire")
        UNSUBSCRIBED = "unsubscribed", _("désinscription chez le prestataire")

    email = models.EmailField(_("adresse"), unique=True)
    reason = models.CharField(_("raison"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("détail"), blank=True)
    events = models.PositiveIntegerField(_("événements reçus"), default=1)
    first_seen_at = models.DateTimeField(_("premier événement"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("dernier événement"), auto_now=True)

    class Meta:
        verbose_name = _("adresse bloquée")
        verbose_name_plural = _("adresses bloquées")
        ordering = ["-last_seen_at"]
        db_table = "home_suppressedaddress"  # created by home 0001, kept when the model moved here

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"


class SubmissionToken(models.Model):
    """A form sent once: the token its page carried, stored in the same transaction as what the form
    created, so a double click or a resent POST is recognised (the unique index decides, even when both
    arrive at the same moment). Tokens older than two days are cleared daily."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("envoi de formulaire")
        verbose_name_plural = _("envois de formulaires")

    def __str__(self):
        return self.token
