"""The one answer to "may this person do this?".

Every view, service, middleware and template asks here; nothing else in the portal looks at `is_staff`,
`is_superuser` or role groups to decide access (a test keeps it so).

Who is who (the roles are Django groups created by `accounts/migrations/0002_roles.py`, see `roles.py`):

- **The team** (`is_team`): the people who run the portal day to day: superusers, accounts flagged
  `is_staff`, and members of the "Équipe" role (`staff` group). They see every source, triage support
  requests, moderate the forum and the agenda, and reach the Wagtail admin. Because they reach personal
  data, they must use two-factor authentication (`requires_mfa`).
- **Superusers** (`is_superuser`): the team members who also manage accounts and groups.
- **Source maintainers** (`source_maintainer` role, and each source's `maintainers`): see and act on the
  sources they maintain, and only those (`can_view_source`). The role alone opens no source.
- **Ambassadors** (`ambassador`): kits, trainings, the directory, one-to-one follow-up of their own.
- **Steering committee** (`steering_committee`): reads the anonymous figures (support, observatory).
- **Communication group** (`communication_group`): stories, calls for testimonies, the newsletter, and the
  ambassadors' one-to-one requests.
- **Trusted partners** (`trusted_partner`): answer support requests through their own secret link only;
  their account opens no team screen.
- **Members**: anyone signed in with a verified address; **visitors**: everyone else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts import roles


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_names(user) -> frozenset[str]:
    """The role groups of a person, read once per request (cached on the user object)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_portal_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_role_names = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in role_names(user)


# ---------------------------------------------------------------------------------------------------------
# The team


def is_superuser(user) -> bool:
    return _active(user) and bool(user.is_superuser)


def is_team(user) -> bool:
    """Superusers, `is_staff` accounts and the "Équipe" role."""
    return _active(user) and bool(user.is_superuser or user.is_staff or roles.STAFF in role_names(user))


def team_members() -> QuerySet:
    """Everyone `is_team` says yes to, for notifications."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name=roles.STAFF), is_active=True)
        .distinct()
    )


def can_access_admin(user) -> bool:
    """Whoever may open the Wagtail admin (the team, and roles granted `wagtailadmin.access_admin`)."""
    return _active(user) and (is_team(user) or user.has_perm("wagtailadmin.access_admin"))


def requires_mfa(user) -> bool:
    """Whoever reaches the admin or a team screen must use two-factor authentication."""
    return can_access_admin(user)


# ---------------------------------------------------------------------------------------------------------
# Sources


def can_view_source(user, source) -> bool:
    """The team, and the source's own maintainers."""
    if not _active(user):
        return False
    if is_team(user):
        return True
    return source.maintainers.filter(pk=user.pk).exists()


def sources_visible_to(user) -> QuerySet:
    """The sources whose dashboard this person may open."""
    from django.apps import apps

    Source = apps.get_model("sources", "Source")
    if not _active(user):
        return Source.objects.none()
    if is_team(user):
        return Source.objects.all()
    return Source.objects.filter(maintainers=user)


def can_view_all_sources(user) -> bool:
    """The staff overview of every source."""
    return is_team(user)


# ---------------------------------------------------------------------------------------------------------
# Forum, agenda, stories, newsletter


def can_moderate(user) -> bool:
    """Forum moderation: the team, and anyone granted `community.change_post`."""
    return _active(user) and (is_team(user) or user.has_perm("community.change_post"))


def can_moderate_agenda(user) -> bool:
    """Events proposed by the public are reviewed by the team."""
    return is_team(user)


def can_export_answers(user) -> bool:
    """Questionnaire and form answers hold personal data: the team only."""
    return is_team(user)


def is_communication_group(user) -> bool:
    return is_team(user) or has_role(user, roles.COMMUNICATION_GROUP)


def can_view_testimony_photos(user) -> bool:
    """Photos sent with a testimony stay private until they are published: the team, the communication
    group (who turns testimonies into stories) and whoever may view testimonies in the admin."""
    return _active(user) and (is_communication_group(user) or user.has_perm("stories.view_submission"))


# ---------------------------------------------------------------------------------------------------------
# Support


def can_triage_support(user) -> bool:
    """The team triages support requests. Trusted partners are not the team: they see a request only
    through their own secret link, and the requester's contact only once they accept."""
    return is_team(user)


def can_see_support_figures(user) -> bool:
    return is_team(user) or has_role(user, roles.STEERING_COMMITTEE)
