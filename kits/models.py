"""Kits (Wagtail pages), training sessions and registrations, one-to-one requests and the FAQ."""

import uuid

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    Page,
    RevisionMixin,
    TranslatableMixin,
)
from wagtail.search import index

from core.sanitize import html_to_text
from kits.blocks import KitStepsBlock


class Audience(models.TextChoices):
    SOURCES = "sources", _("Sources")
    AMBASSADORS = "ambassadors", _("Ambassadeur·rices")
    STEERING = "steering", _("Comité de pilotage")
    COLLECTIVES = "collectives", _("Collectifs locaux")
    PUBLIC = "public", _("Grand public")


class Format(models.TextChoices):
    KIT = "kit", _("Kit")
    REMOTE = "remote", _("Formation à distance")
    IN_PERSON = "in_person", _("Formation en présentiel")
    ONE_TO_ONE = "one_to_one", _("Échange individuel")
    OTHER = "other", _("Autre")


class Theme(models.TextChoices):
    TOOLS = "tools", _("Outils numériques (GoGoCarto, Bus sémantique)")
    COOPERATION = "cooperation", _("Coopération entre organisations")
    AMBASSADOR = "ambassador", _("Être ambassadeur·rice")
    DATA = "data", _("Maintenir et enrichir les données")
    CARTOPARTY = "cartoparty", _("Cartoparties")
    AGENDAS = "agendas", _("Agendas agrégatifs")
    NEEDS = "needs", _("Besoins et ressources partageables")
    MEETINGS = "meetings", _("Rencontres entre acteurs")
    TOURS = "tours", _("Tours des alternatives")
    VILLAGES = "villages", _("Villages des alternatives")
    OTHER = "other", _("Autre")


class AudienceOption(models.Model):
    """One of the fixed audiences a kit is written for (rows created by a migration)."""

    code = models.CharField(_("code"), max_length=20, choices=Audience.choices, unique=True)

    class Meta:
        verbose_name = _("public")
        verbose_name_plural = _("publics")
        ordering = ["id"]

    def __str__(self):
        return str(self.get_code_display())


class FormatOption(models.Model):
    """One of the fixed formats a kit is offered in (rows created by a migration)."""

    code = models.CharField(_("code"), max_length=20, choices=Format.choices, unique=True)

    class Meta:
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        ordering = ["id"]

    def __str__(self):
        return str(self.get_code_display())


class ResponsibleGroup(TranslatableMixin, models.Model):
    """The working group in charge of a kit (groupe sources, groupe communication, comité de pilotage...)."""

    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("groupe en charge")
        verbose_name_plural = _("groupes en charge")
        ordering = ["name"]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------


class KitIndexPage(Page):
    """Lists the kits as the strategy's recap table (content × formats × audience × group), with filters."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["kits.KitPage"]
    max_count_per_parent = 1
    template = "kits/kit_index_page.html"
    KITS_PER_PAGE = 30

    class Meta:
        verbose_name = _("index des kits")

    def get_context(self, request, *args, **kwargs):
        from kits.forms import RecapFilterForm
        from kits.selectors import kit_recap

        context = super().get_context(request, *args, **kwargs)
        form = RecapFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        rows = kit_recap(
            index_page=self,
            audience=filters.get("audience") or None,
            theme=filters.get("theme") or None,
            request=request,
        )
        # Bounded: one page of the table (the whole table grew to 100 KB at ten times the demo's kits).
        page_obj = Paginator(rows, self.KITS_PER_PAGE).get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        context["rows"] = page_obj.object_list
        query = request.GET.copy()
        query.pop("page", None)
        context["extra_query"] = query.urlencode()
        context["formats"] = [(code, label) for code, label in Format.choices]
        return context


class KitPage(Page):
    """A kit: who it is for, its theme and formats, its ordered steps, and its versions."""

    summary = models.TextField(_("résumé"), max_length=500, blank=True)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices, default=Theme.OTHER)
    audiences = ParentalManyToManyField(AudienceOption, blank=True, verbose_name=_("publics"))
    formats = ParentalManyToManyField(FormatOption, blank=True, verbose_name=_("formats proposés"))
    responsible_group = models.ForeignKey(
        ResponsibleGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("groupe en charge"),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("durée estimée (minutes)"), default=30, help_text=_("Temps pour parcourir le kit.")
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Augmentez-la et décrivez les changements dans le journal : les personnes qui ont terminé le "
            "kit seront prévenues à la publication."
        ),
    )
    body = StreamField(KitStepsBlock(), verbose_name=_("étapes"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("theme"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("formats", widget=forms.CheckboxSelectMultiple),
                FieldPanel("responsible_group"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Fiche du kit"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("version"), InlinePanel("changes", label=_("journal des versions"))],
            heading=_("Versions"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["kits.KitIndexPage"]
    subpage_types = []
    template = "kits/kit_page.html"

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    @property
    def steps(self) -> list:
        """The body's blocks, each a step (with a stable `.id`)."""
        return list(self.body)

    def step_ids(self) -> list[str]:
        return [block.id for block in self.body]

    def get_context(self, request, *args, **kwargs):
        from kits.selectors import kit_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(kit_page_context(kit=self, user=request.user))
        return context


class KitVersionChange(Orderable):
    """One entry of a kit's change log: what changed in a given version."""

    page = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField(_("version"))
    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("ce qui a changé"))

    panels = [FieldPanel("version"), FieldPanel("date"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("changement de version")


class FaqIndexPage(Page):
    """The FAQ: questions grouped by category, each with an anchor, and a search field."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "kits/faq_index_page.html"

    class Meta:
        verbose_name = _("foire aux questions")

    def get_context(self, request, *args, **kwargs):
        from kits.selectors import faq_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(faq_page_context(locale=self.locale, query=request.GET.get("q", "")))
        return context


# ---------------------------------------------------------------------------------------------------------
# FAQ
# ---------------------------------------------------------------------------------------------------------


class FaqCategory(TranslatableMixin, models.Model):
    """A group of questions in the FAQ (Carte, Compte, Formations...)."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("ancre"), max_length=80, allow_unicode=False)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("catégorie de FAQ")
        verbose_name_plural = _("catégories de FAQ")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="kits_faqcategory_unique_slug_per_locale")
        ]

    def __str__(self):
        return self.name


class FaqEntry(TranslatableMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A question and its answer. Published entries show on the FAQ page at `#<slug>`.

    Drafts (`live=False`) come from the forum (a solved topic turned into an entry) or from editors;
    they are published from the snippets admin. Support reuses published entries as canned answers.
    """

    question = models.CharField(_("question"), max_length=300)
    answer = RichTextField(_("réponse"), features=["bold", "italic", "link", "ol", "ul", "document-link"])
    category = models.ForeignKey(
        FaqCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        verbose_name=_("catégorie"),
    )
    slug = models.SlugField(_("ancre"), max_length=120, help_text=_("Identifiant dans l'adresse (#ancre)."))
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)
    origin_url = models.URLField(_("origine"), blank=True, help_text=_("Discussion d'où vient la question."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    panels = [
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("category"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
        FieldPanel("origin_url"),
    ]
    search_fields = [index.SearchField("question", boost=2), index.SearchField("answer")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question de la FAQ")
        verbose_name_plural = _("questions de la FAQ")
        ordering = ["sort_order", "question"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="kits_faqentry_unique_slug_per_locale")
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self) -> str:
        """The FAQ page of the entry's language followed by `#<slug>`; the `kits:faq` view without a page."""
        page = FaqIndexPage.objects.live().filter(locale_id=self.locale_id).first()
        if page is None:
            page = FaqIndexPage.objects.live().first()
        base = page.url if page is not None and page.url else None
        if base is None:
            from django.utils import translation

            language = self.locale.language_code if self.locale_id else None
            with translation.override(language):
                base = reverse("kits:faq")
        return f"{base}#{self.slug}"

    def answer_text(self) -> str:
        """The answer as plain text (canned answers, e-mails, search snippets)."""
        return html_to_text(self.answer)


# ---------------------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------------------


class KitProgress(models.Model):
    """Where a person is in a kit: the steps they ticked, and when they marked it done (at which version).

    Progress is kept against the kit in the default language, so a kit done in English counts in French.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kit_progress")
    kit = models.ForeignKey(KitPage, on_delete=models.CASCADE, related_name="progress")
    done_steps = models.JSONField(_("étapes faites"), default=list, blank=True)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    completed_version = models.PositiveIntegerField(_("version terminée"), null=True, blank=True)
    notified_version = models.PositiveIntegerField(_("version annoncée"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("progression dans un kit")
        verbose_name_plural = _("progressions dans les kits")
        constraints = [models.UniqueConstraint(fields=["user", "kit"], name="kits_progress_unique_user_kit")]

    def __str__(self):
        return f"{self.user} · {self.kit}"


# ---------------------------------------------------------------------------------------------------------
# Training sessions
# ---------------------------------------------------------------------------------------------------------


class SessionKind(models.TextChoices):
    REMOTE = "remote", _("à distance")
    IN_PERSON = "in_person", _("en présentiel")
    ONE_TO_ONE = "one_to_one", _("échange individuel")


class TrainingSession(models.Model):
    """A training linked to a kit: remote, in person, or a one-to-one slot. Times are stored in UTC and
    shown in Europe/Paris."""

    kit = models.ForeignKey(KitPage, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("kit"))
    title = models.CharField(_("titre"), max_length=200, blank=True, help_text=_("Par défaut, celui du kit."))
    kind = models.CharField(_("type"), max_length=20, choices=SessionKind.choices, default=SessionKind.REMOTE)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("places"), default=12)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings_given",
        verbose_name=_("formateur·rice"),
    )
    visio_url = models.URLField(
        _("lien de visio"), blank=True, help_text=_("Visible seulement par les personnes inscrites.")
    )
    location = models.CharField(_("lieu"), max_length=300, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    is_cancelled = models.BooleanField(
        _("annulée"), default=False, help_text=_("Les personnes inscrites sont prévenues par e-mail.")
    )
    ics_sequence = models.PositiveIntegerField(
        _("version de l'invitation"),
        default=0,
        editable=False,
        help_text=_(
            "SEQUENCE iCalendar : augmente quand l'horaire, le lieu, la visio ou l'annulation changent."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("kit"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("capacity"),
        FieldPanel("trainer"),
        FieldPanel("visio_url"),
        FieldPanel("location"),
        FieldPanel("departement"),
        FieldPanel("is_cancelled"),
    ]

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="kits_session_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.display_title} ({timezone.localtime(self.start):%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("kits:session_detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or self.kit.title

    @cached_property
    def confirmed_count(self) -> int:
        if hasattr(self, "n_confirmed"):
            return self.n_confirmed
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)


class Registration(models.Model):
    """A person's seat (or place in the waiting list) for a session."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit·e")
        WAITING = "waiting", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices)
    registered_at = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    cancel_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(
        _("version communiquée"),
        default=0,
        editable=False,
        help_text=_(
            "SEQUENCE iCalendar du dernier fichier .ics envoyé à cette personne (ou version de la session "
            "dont elle a été informée) : chaque envoi suivant porte un numéro plus grand."
        ),
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="kits_registration_unique_session_user")
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.user} · {self.session} · {self.get_status_display()}"

    def get_cancel_url(self) -> str:
        return reverse("kits:registration_cancel", kwargs={"token": self.cancel_token})


class SessionFeedback(models.Model):
    """What a participant thought of a session."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("note"), choices=[(n, str(n)) for n in range(1, 6)], help_text=_("De 1 (décevant) à 5 (excellent).")
    )
    useful = models.TextField(_("ce qui vous a été utile"), blank=True)
    improve = models.TextField(_("ce qui pourrait être amélioré"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis sur une session")
        verbose_name_plural = _("avis sur les sessions")

    def __str__(self):
        return f"{self.registration} · {self.rating}/5"


# ---------------------------------------------------------------------------------------------------------
# One-to-one requests
# ---------------------------------------------------------------------------------------------------------


class OneToOneRequest(models.Model):
    """A person asks for a one-to-one exchange; the group in charge of the topic picks it up."""

    class Topic(models.TextChoices):
        AMBASSADOR = "ambassador", _("Être ambassadeur·rice")
        DATA_QUALITY = "data_quality", _("Qualité des données")

    class Status(models.TextChoices):
        NEW = "new", _("nouvelle")
        TAKEN = "taken", _("prise en charge")
        SCHEDULED = "scheduled", _("rendez-vous fixé")
        CLOSED = "closed", _("terminée")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_to_one_requests"
    )
    topic = models.CharField(_("sujet"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("votre demande"))
    availability = models.CharField(_("vos disponibilités"), max_length=300, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="one_to_one_assigned",
        verbose_name=_("suivi par"),
    )
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="one_to_one_requests"
    )
    source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="one_to_one_requests",
        verbose_name=_("source concernée"),
        help_text=_("Pour la qualité des données : ses mainteneur·euses lisent aussi la demande."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demande d'échange individuel")
        verbose_name_plural = _("demandes d'échange individuel")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_topic_display()} · {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("kits:one_to_one_detail", kwargs={"pk": self.pk})


class FollowUpNote(models.Model):
    """A note on a one-to-one request, visible to staff and the group in charge only."""

    request = models.ForeignKey(OneToOneRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note de suivi")
        verbose_name_plural = _("notes de suivi")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]
