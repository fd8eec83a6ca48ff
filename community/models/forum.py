"""The forum: categories seen by role, topics, posts with their history, flags, reading and watching."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.uploads import IMAGE_EXTENSIONS, private_storage, random_name


class Category(models.Model):
    """A place for topics. Who sees it (and so who may write in it) depends on `visibility`."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("publique")
        MEMBERS = "members", _("membres connecté·es")
        SOURCES = "sources", _("sources uniquement")
        STEERING = "steering", _("comité de pilotage")

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    source = models.OneToOneField(
        "sources.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        # A source is archived, not deleted; if one ever is, its category and members' posts stay.
        on_delete=models.SET_NULL,
        related_name="forum_category",
    )
    position = models.PositiveIntegerField(_("ordre"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catégorie du forum")
        verbose_name_plural = _("catégories du forum")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:category", kwargs={"slug": self.slug})


class Topic(models.Model):
    """A conversation: its first post is the question or announcement, the others are replies."""

    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("titre"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_topics",
    )
    is_pinned = models.BooleanField(_("épinglé"), default=False)
    is_locked = models.BooleanField(_("verrouillé"), default=False)
    solution = models.ForeignKey(
        "community.Post",
        verbose_name=_("réponse qui résout"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept up to date by the services so that lists need no aggregation.
    reply_count = models.PositiveIntegerField(_("réponses"), default=0)
    last_post_at = models.DateTimeField(_("dernier message"), null=True, blank=True, db_index=True)
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    faq_entry_url = models.CharField(_("entrée de FAQ créée"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sujet")
        verbose_name_plural = _("sujets")
        ordering = ["-is_pinned", "-last_post_at"]
        indexes = [models.Index(fields=["category", "-is_pinned", "-last_post_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:topic", kwargs={"pk": self.pk})


class Post(models.Model):
    """One message in a topic, written in Markdown and stored also as sanitised HTML."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("publié")
        HELD = "held", _("en attente de modération")
        HIDDEN = "hidden", _("masqué après signalements")
        REMOVED = "removed", _("supprimé")

    topic = models.ForeignKey(Topic, verbose_name=_("sujet"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    body = models.TextField(_("message (Markdown)"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    is_first = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "status", "id"])]

    def __str__(self):
        return f"{self.topic} #{self.pk}"

    def get_absolute_url(self):
        return reverse("community:post", kwargs={"pk": self.pk})


class PostRevision(models.Model):
    """The text of a post before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("texte précédent"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version d'un message")
        verbose_name_plural = _("versions des messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


def attachment_path(instance, filename):
    """A random name in the private storage: the person's file name is kept in `original_name` only."""
    extension = IMAGE_EXTENSIONS.get(
        instance.content_type, "pdf" if instance.content_type == "application/pdf" else ""
    )
    return random_name(f"forum/{instance.post.topic_id}", extension)


class Attachment(models.Model):
    """An image or a PDF joined to a post; served through a view that checks who may see the topic."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Flag(models.Model):
    """A member's report that a post breaks the rules. Three open flags hide the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("raison"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [models.UniqueConstraint(fields=["post", "by"], name="community_flag_once_per_person")]

    def __str__(self):
        return f"{self.by} → {self.post}"


class Mention(models.Model):
    """Someone named with @handle in a post (notified once)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="community_mention_once")]

    def __str__(self):
        return f"@{self.user} in {self.post}"


class ForumProfile(models.Model):
    """What the forum knows of a person: the handle others use to mention them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    handle = models.SlugField(_("pseudonyme pour les mentions"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("profil du forum")
        verbose_name_plural = _("profils du forum")

    def __str__(self):
        return f"@{self.handle}"


class TopicRead(models.Model):
    """How far a person has read a topic: one row per person and topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    last_read_post_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="community_topicread_unique")]

    def __str__(self):
        return f"{self.user} / {self.topic}"


class Subscription(models.Model):
    """A person watches a category or a topic, and says how often they want to hear about it."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("à chaque message")
        DAILY = "daily", _("résumé quotidien")
        WEEKLY = "weekly", _("résumé hebdomadaire")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="community_sub_category_once"),
            models.UniqueConstraint(fields=["user", "topic"], name="community_sub_topic_once"),
            models.CheckConstraint(
                condition=models.Q(category__isnull=False, topic__isnull=True)
                | models.Q(category__isnull=True, topic__isnull=False),
                name="community_sub_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.topic or self.category}"


class DigestSending(models.Model):
    """One digest e-mail sent to one person: the record that keeps it from being sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Subscription.Frequency.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("résumé envoyé")
        verbose_name_plural = _("résumés envoyés")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.user} {self.frequency} {self.sent_at:%Y-%m-%d}"


class PendingNotification(models.Model):
    """A post waiting to go out in someone's daily or weekly digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Subscription.Frequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    digest = models.ForeignKey(
        DigestSending, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="community_pending_once")]
        indexes = [models.Index(fields=["frequency", "digest"])]

    def __str__(self):
        return f"{self.user} ← {self.post}"
