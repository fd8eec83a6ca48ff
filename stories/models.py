"""Stories told with the sources, calls for testimonies, and the sources showcase.

The tree is: home › StoryIndexPage ("Récits") › StoryPage | CallPage | SourceStoriesFolderPage › StoryPage.
Each source gets its own folder page so a Wagtail group per source can hold page permissions on that
subtree only: a maintainer sees and edits the drafts of their own source and nothing else.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from accounts import permissions
from core.territories import resolve, validate_territory_code
from core.uploads import IMAGE_EXTENSIONS, private_storage, random_name
from stories.blocks import StoryBodyBlock

STORIES_PER_PAGE = 12


class StoryKind(models.TextChoices):
    SOURCE = "source", _("récit de source")
    CARTOPARTY = "cartoparty", _("cartoparty")
    TOUR = "tour", _("tour des alternatives")
    VILLAGE = "village", _("village des alternatives")
    TESTIMONY = "testimony", _("témoignage")
    COOPERATION = "cooperation", _("coopération")
    ARTICLE = "article", _("article")
    VIDEO = "video", _("vidéo")


class Contributor(index.Indexed, models.Model):
    """Someone who writes or tells a story: a member with an account or an outside contributor."""

    name = models.CharField(_("nom"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_contributions",
        help_text=_("Vide pour une personne extérieure au portail."),
    )

    panels = [FieldPanel("name"), FieldPanel("organisation"), FieldPanel("bio"), FieldPanel("website")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("contributeur·rice")
        verbose_name_plural = _("contributeur·rices")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


register_snippet(Contributor)


class StoryTag(TaggedItemBase):
    content_object = ParentalKey("stories.StoryPage", on_delete=models.CASCADE, related_name="tagged_items")


class StoryIndexPage(Page):
    """The list of published stories, filterable by kind, with its RSS and Atom feeds."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage", "stories.CallPage", "stories.SourceStoriesFolderPage"]
    max_count_per_parent = 1
    template = "stories/story_index_page.html"

    class Meta:
        verbose_name = _("liste des récits")

    def get_context(self, request, *args, **kwargs):
        from stories.selectors import story_list

        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("type", "")
        if kind not in StoryKind.values:
            kind = ""
        stories = story_list(locale=self.locale, kind=kind or None)
        context["kinds"] = StoryKind.choices
        context["current_kind"] = kind
        context["stories"] = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
        context["calls"] = CallPage.objects.live().descendant_of(self).filter(is_open=True)
        return context


class SourceStoriesFolderPage(Page):
    """The drafts and stories of one source. Its maintainers' group holds permissions on this page only."""

    source = models.OneToOneField(
        "sources.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories_folder",
    )

    content_panels = Page.content_panels + [FieldPanel("source", read_only=True)]
    # A source has one folder: a copy or a translation of the folder starts without it (the translation
    # stays tied to the source through its original, see `services.story_sources`).
    exclude_fields_in_copy = ["source"]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = ["stories.StoryPage"]
    template = "stories/source_stories_folder_page.html"

    class Meta:
        verbose_name = _("récits d'une source")
        verbose_name_plural = _("récits des sources")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = StoryPage.objects.live().child_of(self).order_by("-first_published_at")
        return context


class StoryPage(Page):
    """One story: a source's story, an action in a territory, a testimony, a cooperation, an article..."""

    kind = models.CharField(_("type de récit"), max_length=20, choices=StoryKind.choices)
    introduction = models.TextField(_("chapô"), max_length=600, blank=True)
    territory = models.CharField(
        _("territoire"),
        max_length=5,
        blank=True,
        validators=[validate_territory_code],
        help_text=_("Département (30), région (R76) ou commune (code INSEE). Vide : national."),
    )
    departement = models.CharField(max_length=3, blank=True, editable=False, db_index=True)
    region = models.CharField(max_length=3, blank=True, editable=False)
    sources = ParentalManyToManyField("sources.Source", verbose_name=_("sources liées"), blank=True)
    themes = ClusterTaggableManager(through=StoryTag, verbose_name=_("thèmes"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que l'image montre. Vide seulement si l'image est purement décorative."),
    )
    image_credit = models.CharField(_("crédit de l'image"), max_length=150, blank=True)
    body = StreamField(StoryBodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_credit")],
            heading=_("image principale"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("territory"), FieldPanel("sources"), FieldPanel("themes")], heading=_("classement")
        ),
        InlinePanel("story_authors", label=_("auteur·rices"), heading=_("auteur·rices")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("departement"),
    ]
    parent_page_types = ["stories.StoryIndexPage", "stories.SourceStoriesFolderPage"]
    subpage_types: list = []
    template = "stories/story_page.html"
    # wagtail-localize: words are translated; the facts (kind, territory, sources, picture) stay in sync.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("introduction"),
        TranslatableField("image_alt"),
        TranslatableField("body"),
        SynchronizedField("kind"),
        SynchronizedField("territory"),
        SynchronizedField("sources"),
        SynchronizedField("themes"),
        SynchronizedField("image"),
        SynchronizedField("image_credit"),
        SynchronizedField("story_authors"),
    ]

    class Meta:
        verbose_name = _("récit")
        verbose_name_plural = _("récits")

    def save(self, *args, **kwargs):
        # The département and region are derived so lists and the newsletter filter with a plain index.
        territory = resolve(self.territory)
        self.departement = territory.departement if territory else ""
        self.region = territory.region if territory else ""
        return super().save(*args, **kwargs)

    @property
    def territory_label(self) -> str:
        territory = resolve(self.territory)
        return str(territory) if territory else ""

    def authors(self):
        return [link.contributor for link in self.story_authors.select_related("contributor")]

    def get_context(self, request, *args, **kwargs):
        from stories.selectors import share_links

        context = super().get_context(request, *args, **kwargs)
        context["share"] = share_links(page=self, request=request)
        context["related_sources"] = self.sources.filter(is_active=True)
        return context


class StoryAuthor(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="story_authors")
    contributor = models.ForeignKey(
        Contributor, verbose_name=_("contributeur·rice"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("rôle"), max_length=80, blank=True, help_text=_("Texte, photos, témoignage, vidéo...")
    )

    panels = [FieldPanel("contributor"), FieldPanel("role")]


class CallPage(Page):
    """A call for testimonies with its public submission form."""

    introduction = RichTextField(_("présentation de l'appel"), features=["bold", "italic", "link", "ul"])
    why_we_ask = models.TextField(
        _("pourquoi nous demandons ces informations"),
        default=_(
            "Nous utilisons votre adresse e-mail uniquement pour vous recontacter au sujet de votre "
            "témoignage. Vos photos ne sont publiées qu'avec votre accord et avec le crédit que vous "
            "indiquez. Vous pouvez demander leur suppression à tout moment."
        ),
    )
    is_open = models.BooleanField(_("appel ouvert"), default=True)
    closes_on = models.DateField(_("date de clôture"), null=True, blank=True)
    thank_you = models.TextField(
        _("message de remerciement"),
        default=_("Merci ! Nous avons bien reçu votre témoignage et reviendrons vers vous."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("why_we_ask"),
        FieldPanel("is_open"),
        FieldPanel("closes_on"),
        FieldPanel("thank_you"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types: list = []
    template = "stories/call_page.html"

    class Meta:
        verbose_name = _("appel à témoignages")
        verbose_name_plural = _("appels à témoignages")

    def accepts_submissions(self) -> bool:
        from django.utils import timezone

        return self.is_open and (self.closes_on is None or self.closes_on >= timezone.localdate())

    def get_context(self, request, *args, **kwargs):
        from stories.forms import SubmissionForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = SubmissionForm()
        context["accepts"] = self.accepts_submissions()
        return context

    def serve(self, request, *args, **kwargs):
        from stories.views import call_page_serve

        return call_page_serve(request, page=self, base_serve=super().serve)


class Submission(models.Model):
    """A testimony sent through a call page, followed up by the communication group."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("reçu")
        CONTACTED = "contacted", _("contacté·e")
        DRAFTED = "drafted", _("récit en cours d'écriture")
        PUBLISHED = "published", _("publié")
        DECLINED = "declined", _("décliné")

    call = models.ForeignKey(
        CallPage, verbose_name=_("appel"), on_delete=models.CASCADE, related_name="submissions"
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    territory = models.CharField(_("territoire"), max_length=5, validators=[validate_territory_code])
    text = models.TextField(_("témoignage"))
    status = models.CharField(_("suivi"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    notes = models.TextField(_("notes internes"), blank=True)
    story = models.ForeignKey(
        StoryPage,
        verbose_name=_("récit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_submissions",
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    panels = [FieldPanel("status"), FieldPanel("notes"), FieldPanel("story", read_only=True)]

    class Meta:
        verbose_name = _("témoignage reçu")
        verbose_name_plural = _("témoignages reçus")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.name} — {self.call.title}"

    def get_photos_display(self):
        """In the admin's inspect view: a link to each photo (served privately by stories.views)."""
        photos = list(self.photos.all())
        if not photos:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}" target="_blank" rel="noopener">{}</a> ({})',
            (
                (
                    reverse("stories:submission_photo", args=[photo.pk]),
                    photo.credit,
                    _("publication acceptée") if photo.consent else _("sans accord de publication"),
                )
                for photo in photos
            ),
        )

    @property
    def territory_label(self) -> str:
        territory = resolve(self.territory)
        return str(territory) if territory else self.territory


def submission_photo_path(instance, filename):
    """A random name in the private storage, its extension from the checked image format."""
    checked = getattr(getattr(instance.file, "_file", None), "checked_content_type", "")
    return random_name(f"temoignages/{instance.submission.call_id}", IMAGE_EXTENSIONS.get(checked, ""))


class SubmissionPhoto(models.Model):
    """A photo sent with a testimony, with the consent to publish it and its credit."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    # Not public until the communication group turns it into a story (with consent): private storage,
    # served by stories.views.submission_photo to those who handle testimonies.
    file = models.ImageField(
        _("photo"), upload_to=submission_photo_path, storage=private_storage, max_length=200
    )
    credit = models.CharField(_("crédit"), max_length=150)
    consent = models.BooleanField(_("accord de publication"), default=False)

    class Meta:
        verbose_name = _("photo de témoignage")
        verbose_name_plural = _("photos de témoignage")

    def __str__(self):
        return self.credit


class SourcesShowcasePage(RoutablePageMixin, Page):
    """Every active source with what it brings to the map; one sub-page per source."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list = []
    max_count_per_parent = 1
    template = "stories/sources_showcase_page.html"

    class Meta:
        verbose_name = _("vitrine des sources")

    def source_url(self, source) -> str:
        return self.url + self.reverse_subpage("source", kwargs={"slug": source.slug})

    @path("")
    def index_route(self, request):
        from stories.selectors import showcase_sources

        sources = showcase_sources()
        for source in sources:
            source.showcase_url = self.source_url(source)
        return self.render(request, context_overrides={"sources": sources})

    @re_path(r"^(?P<slug>[-\w]+)/$", name="source")
    def source_route(self, request, slug):
        from sources.models import Source
        from stories.selectors import showcase_source_detail

        source = get_object_or_404(Source, slug=slug, is_active=True)
        return self.render(
            request,
            template="stories/showcase_source.html",
            context_overrides={"source": source, **showcase_source_detail(source=source, locale=self.locale)},
        )


class SourceApprovalTask(Task):
    """Workflow step where the source itself approves the story, through a signed link sent by e-mail.

    No admin skills needed: the e-mail goes to the source's maintainers and contact address when the
    step starts; the link opens a public page showing the story with "approve" and "ask for changes".
    Staff can also approve from the admin.
    """

    admin_form_fields = Task.admin_form_fields

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        from stories.services import source_approval_request

        source_approval_request(task_state=task_state)
        return task_state

    def user_can_access_editor(self, obj, user):
        return permissions.can_approve_for_source(user)

    def locked_for_user(self, obj, user):
        return not permissions.can_approve_for_source(user)

    def get_actions(self, obj, user):
        if permissions.can_approve_for_source(user):
            return [("reject", _("Demander des modifications"), True), ("approve", _("Approuver"), False)]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if permissions.can_approve_for_source(user):
            return TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task=self.task_ptr)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("La source liée au récit l'approuve par un lien reçu par e-mail.")

    class Meta:
        verbose_name = _("approbation par la source")
        verbose_name_plural = _("approbations par la source")
