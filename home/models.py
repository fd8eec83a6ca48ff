"""Pages of the site's frame (home, standard, form) and the e-mail suppression list."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The portal's front page: an introduction, key figures and the latest items of every section."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        from home.selectors import home_sections, key_figures

        context = super().get_context(request, *args, **kwargs)
        context["key_figures"] = key_figures()
        context["sections"] = home_sections(request=request)
        return context


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

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"
