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
    """Whether an active person belongs to one of the role groups of `accounts.roles`."""
    return role in role_names(user)


def members_of_role(role: str) -> QuerySet:
    """The active people holding a role, for notifications (the communication group of the newsletter,
    say). Membership alone: it does not add the team."""
    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct()


# ---------------------------------------------------------------------------------------------------------
# The team


def is_superuser(user) -> bool:
    """Superusers: the team members who manage accounts and groups (and approve stories in the admin in
    the source's stead)."""
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
    """The staff overview of every source: the team."""
    return is_team(user)


# ---------------------------------------------------------------------------------------------------------
# Kits: training sessions and one-to-one requests


def can_run_session(user, session) -> bool:
    """Attendance, registrants' list and cancellations of a training session: its trainer and the team."""
    return _active(user) and (is_team(user) or user.pk == session.trainer_id)


def can_see_session_visio(user, session, *, confirmed: bool) -> bool:
    """The visio link of a session: its trainer, the team, and people holding a confirmed seat
    (`confirmed`, which the caller reads from the registrations)."""
    return _active(user) and (confirmed or can_run_session(user, session))


def _one_to_one_model():
    from django.apps import apps

    return apps.get_model("kits", "OneToOneRequest")  # by name: accounts imports no feature app


def can_follow_up(user, request) -> bool:
    """A one-to-one request (and its follow-up notes). Becoming an ambassador: the team and the
    communication group. Data quality (it holds the requester's contact and her account of her data): the
    team, and the maintainers of the source the request names, if it names one; not every maintainer of
    every source."""
    if not _active(user):
        return False
    if is_team(user):
        return True
    if request.topic == _one_to_one_model().Topic.AMBASSADOR:
        return has_role(user, roles.COMMUNICATION_GROUP)
    return bool(request.source_id) and request.source.maintainers.filter(pk=user.pk).exists()


def one_to_one_requests_visible_to(user) -> QuerySet | None:
    """The one-to-one requests this person may list, those `can_follow_up` opens to them; `None` when the
    list is closed to them (neither the team, the communication group nor a source's maintainer)."""
    OneToOneRequest = _one_to_one_model()
    if not _active(user):
        return None
    if is_team(user):
        return OneToOneRequest.objects.all()
    communication = has_role(user, roles.COMMUNICATION_GROUP)
    if not communication and not sources_visible_to(user).exists():
        return None
    scope = Q(topic=OneToOneRequest.Topic.DATA_QUALITY, source__maintainers=user)
    if communication:
        scope |= Q(topic=OneToOneRequest.Topic.AMBASSADOR)
    return OneToOneRequest.objects.filter(scope).distinct()


def one_to_one_recipients(request) -> QuerySet:
    """Who is told of a new one-to-one request: the communication group for becoming an ambassador; the
    team, and the named source's maintainers, for data quality."""
    if request.topic == _one_to_one_model().Topic.AMBASSADOR:
        return members_of_role(roles.COMMUNICATION_GROUP)
    people = Q(pk__in=team_members().values("pk"))
    if request.source_id:
        people |= Q(maintained_sources=request.source_id)
    return get_user_model().objects.filter(people, is_active=True).distinct()


# ---------------------------------------------------------------------------------------------------------
# Forum, agenda, stories, newsletter


def can_moderate(user) -> bool:
    """Forum moderation: the team, and anyone granted `community.change_post`."""
    return _active(user) and (is_team(user) or user.has_perm("community.change_post"))


def _forum_visibility():
    from django.apps import apps

    return apps.get_model("community", "Category").Visibility


def forum_categories_filter(user, *, prefix: str = "") -> Q:
    """The forum categories a person sees (and so may write in), as a filter on `community.Category`, or
    with `prefix="category__"` on what points at one (topics).

    - public categories: everyone; members' categories: anyone signed in;
    - the steering committee's: its members;
    - a source's own category (`Category.source` set): that source's maintainers (`Source.maintainers`),
      with or without the role, and no other source's;
    - the general sources' categories (no source): whoever has the source-maintainer role or maintains
      a source;
    - forum moderators (`can_moderate`, the team included) see every category."""
    visibility = _forum_visibility()
    field = f"{prefix}visibility"
    if can_moderate(user):
        return Q()
    if not _active(user):
        return Q(**{field: visibility.PUBLIC})
    seen = Q(**{f"{field}__in": [visibility.PUBLIC, visibility.MEMBERS]})
    if has_role(user, roles.STEERING_COMMITTEE):
        seen |= Q(**{field: visibility.STEERING})
    # a subquery, not a join: a join on the maintainers would repeat a category once per maintainer
    own_source = Q(**{field: visibility.SOURCES, f"{prefix}source__in": user.maintained_sources.values("pk")})
    seen |= own_source
    if has_role(user, roles.SOURCE_MAINTAINER) or maintains_a_source(user):
        seen |= Q(**{field: visibility.SOURCES, f"{prefix}source__isnull": True})
    return seen


def can_view_forum_category(user, category) -> bool:
    """The same rule as `forum_categories_filter`, for one category already loaded."""
    visibility = _forum_visibility()
    if category.visibility == visibility.PUBLIC or can_moderate(user):
        return True
    if not _active(user):
        return False
    if category.visibility == visibility.MEMBERS:
        return True
    if category.visibility == visibility.STEERING:
        return has_role(user, roles.STEERING_COMMITTEE)
    if category.visibility == visibility.SOURCES:
        if category.source_id is not None:
            return user.maintained_sources.filter(pk=category.source_id).exists()
        return has_role(user, roles.SOURCE_MAINTAINER) or maintains_a_source(user)
    return False


def maintains_a_source(user) -> bool:
    """Whoever is among the maintainers of at least one source (with or without the role)."""
    return _active(user) and user.maintained_sources.exists()


def can_answer_questionnaire(user) -> bool:
    """The sources' questionnaire: the team, and whoever maintains a source (they answer for it)."""
    return is_team(user) or maintains_a_source(user)


def can_moderate_agenda(user) -> bool:
    """Events proposed by the public are reviewed by the team."""
    return is_team(user)


def can_export_answers(user) -> bool:
    """Questionnaire and form answers hold personal data: the team only."""
    return is_team(user)


def is_communication_group(user) -> bool:
    """The communication group, and the team."""
    return is_team(user) or has_role(user, roles.COMMUNICATION_GROUP)


def can_review_submissions(user) -> bool:
    """Testimonies sent to a call (personal data, unmoderated): whoever holds the Wagtail right
    `stories.change_submission` (the communication group, the team)."""
    return _active(user) and user.has_perm("stories.change_submission")


def can_approve_for_source(user) -> bool:
    """The "source approves" workflow step is done by the source through its e-mailed link; in the admin,
    only superusers may act in the source's stead."""
    return is_superuser(user)


def can_view_newsletter_issue(user) -> bool:
    """Previewing a newsletter issue: whoever holds `newsletter.view_newsletterissue` (the communication
    group, the team)."""
    return _active(user) and user.has_perm("newsletter.view_newsletterissue")


def can_send_newsletter_issue(user) -> bool:
    """Sending a newsletter issue: whoever holds `newsletter.change_newsletterissue`."""
    return _active(user) and user.has_perm("newsletter.change_newsletterissue")


def scope_page_chooser(user, pages: QuerySet) -> QuerySet:
    """The pages Wagtail's page chooser lists. The team sees every page. Anyone else (a source's
    maintainers, the communication group) sees the pages their Wagtail page permissions open (and the
    pages above them, to navigate there), plus live pages without unpublished changes: no other source's
    draft, and no draft title of a live page (the chooser shows draft titles)."""
    if is_team(user):
        return pages
    if not _active(user):
        return pages.none()
    from wagtail.models import Page
    from wagtail.permission_policies.pages import PagePermissionPolicy

    policy = PagePermissionPolicy()
    own = Page.objects.none()
    if policy.instances_with_direct_explore_permission(user):
        own = policy.explorable_instances(user)
    allowed = Page.objects.filter(Q(pk__in=own.values("pk")) | Q(live=True, has_unpublished_changes=False))
    # `id` is one of the page's search filter fields: the chooser's search view filters through the index.
    return pages.filter(id__in=list(allowed.values_list("pk", flat=True)))


def may_answer_form(user, *, login_required: bool, group_id: int | None) -> bool:
    """A questionnaire (Wagtail form page): everyone when open; signed-in people when `login_required`;
    members of the chosen group (and superusers) when restricted to one."""
    if not (login_required or group_id):
        return True
    if not _active(user):
        return False
    if group_id:
        return is_superuser(user) or user.groups.filter(pk=group_id).exists()
    return True


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
