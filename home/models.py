"""Pages of the site's frame: home, standard and form pages, and the site settings."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts import permissions
from core.csv_export import GuardedSubmissionsExportMixin
from core.forms import HoneypotFormMixin
from home.blocks import BodyBlock, LinkBlock


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


class StandardPage(Page):
    """A page of text: about, charter, legal notice… Its body is made of blocks (see home.blocks)."""

    introduction = models.TextField(_("chapeau"), blank=True, help_text=_("Une ou deux phrases d'accroche."))
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "home.FormPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")


class FormField(AbstractFormField):
    """A question of a form page (its label, type, choices, and whether it must be answered)."""

    page = ParentalKey("home.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class PortalFormSubmission(AbstractFormSubmission):
    """An answer to a form page, tied to the person who sent it when signed in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("réponse à un formulaire")
        verbose_name_plural = _("réponses aux formulaires")


class FormPage(GuardedSubmissionsExportMixin, AbstractEmailForm):
    """A form built in the admin (contact, questionnaire). Public forms have a honeypot and a rate limit;
    a form can be kept for signed-in people, or for the members of one group (e.g. source maintainers).

    Subclass it for a specialised form: override `process_form_submission` or `get_form_class`."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )
    login_required = models.BooleanField(
        _("réservé aux personnes connectées"),
        default=False,
        help_text=_("Les réponses sont alors liées au compte de la personne."),
    )
    restricted_to_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("réservé au groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Seules les personnes de ce rôle peuvent répondre (implique d'être connecté·e)."),
    )

    content_panels = AbstractEmailForm.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("login_required"), FieldPanel("restricted_to_group")], heading=_("Accès")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail de notification"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []
    template = "pages/form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    class Meta:
        verbose_name = _("page formulaire")
        verbose_name_plural = _("pages formulaire")

    def get_form_class(self):
        return type("PortalFormPageForm", (HoneypotFormMixin, super().get_form_class()), {})

    def get_submission_class(self):
        return PortalFormSubmission

    def may_answer(self, user) -> bool:
        return permissions.may_answer_form(
            user, login_required=self.login_required, group_id=self.restricted_to_group_id
        )

    def serve(self, request, *args, **kwargs):
        from django_ratelimit.core import is_ratelimited

        from core.views import rate_limited

        if not self.may_answer(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            return TemplateResponse(
                request, "pages/form_page_forbidden.html", self.get_context(request), status=403
            )
        if request.method == "POST" and is_ratelimited(
            request,
            group="home.form_page",
            key="ip",
            rate=getattr(settings, "PORTAL_FORM_RATE_LIMIT", "10/h"),
            increment=True,
        ):
            return rate_limited(request)
        return super().serve(request, *args, **kwargs)

    def process_form_submission(self, form):
        from home.services import form_submission_create

        return form_submission_create(page=self, form=form, user=getattr(form, "user", None))

    def send_mail(self, form):
        from home.services import form_submission_notify

        form_submission_notify(page=self, form=form)


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """What the site's frame shows: contact address, social links, footer links, legal notice."""

    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    peertube_url = models.URLField(_("PeerTube"), blank=True)
    newsletter_url = models.URLField(_("lettre d'information"), blank=True)
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("mentions légales et données personnelles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("liens du pied de page"), blank=True)

    panels = [
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [FieldPanel("mastodon_url"), FieldPanel("peertube_url"), FieldPanel("newsletter_url")],
            heading=_("Réseaux"),
        ),
        FieldPanel("legal_page"),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = _("réglages du portail")
