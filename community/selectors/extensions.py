"""What the community app shows on screens it does not own (core/extensions.py): the home page's section
and figures, and its part of "Mes données"."""

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import (
    AmbassadorApplication,
    AmbassadorProfile,
    Category,
    Post,
    Subscription,
    Topic,
)


def home_section(*, request):
    topics = (
        Topic.objects.filter(category__visibility=Category.Visibility.PUBLIC)
        .select_related("category")
        .order_by(F("last_post_at").desc(nulls_last=True))[:5]
    )
    return {
        "title": _("Dernières discussions"),
        "items": [
            {
                "title": topic.title,
                "url": topic.get_absolute_url(),
                "meta": _("%(category)s · %(n)s réponses")
                % {"category": topic.category.name, "n": topic.reply_count},
            }
            for topic in topics
        ],
        "more_url": reverse("community:index"),
        "more_label": _("Aller au forum"),
    }


def key_figures():
    return [
        {
            "value": AmbassadorProfile.objects.filter(user__is_active=True).count(),
            "label": _("ambassadeur·rices"),
        },
        {"value": Topic.objects.count(), "label": _("sujets de discussion")},
    ]


def personal_data(*, user) -> dict:
    from ..models import AmbassadorExchange, ContactMessage, JoinRequest

    profile = AmbassadorProfile.objects.filter(user=user).first()
    return {
        "forum_handle": getattr(getattr(user, "forum_profile", None), "handle", None),
        "forum_posts": [
            {
                "topic": post.topic.title,
                "created_at": post.created_at.isoformat(),
                "status": post.status,
                "body": post.body,
            }
            for post in Post.objects.filter(author=user).select_related("topic")
        ],
        "forum_subscriptions": [
            {
                "category": s.category.name if s.category else None,
                "topic": s.topic.title if s.topic else None,
                "frequency": s.frequency,
            }
            for s in Subscription.objects.filter(user=user).select_related("category", "topic")
        ],
        "ambassador_applications": [
            {
                "created_at": a.created_at.isoformat(),
                "motivation": a.motivation,
                "territory": a.territory,
                "themes": a.themes,
                "languages": a.languages,
                "status": a.status,
            }
            for a in AmbassadorApplication.objects.filter(user=user)
        ],
        "ambassador_profile": None
        if profile is None
        else {
            "departement": profile.departement,
            "themes": profile.themes,
            "languages": profile.languages,
            "organisation": profile.organisation,
            "bio": profile.bio,
            "show_in_directory": profile.show_in_directory,
            "show_organisation": profile.show_organisation,
            "show_bio": profile.show_bio,
            "show_learning": profile.show_learning,
            "is_available": profile.is_available,
            "follow_up_exchanges": [
                {"date": e.happened_on.isoformat(), "kind": e.kind, "summary": e.summary}
                for e in AmbassadorExchange.objects.filter(profile=profile)
            ],
            "messages_received": ContactMessage.objects.filter(profile=profile).count(),
        },
        "working_group_requests": [
            {"group": r.group.name, "created_at": r.created_at.isoformat(), "message": r.message}
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
    }


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
