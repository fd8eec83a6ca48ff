"""Every URL of the portal × every role, against an expected-access table (issue 14).

The URLconf is walked: a URL without an entry in `EXPECTED` (or a reason in `NOT_IN_MATRIX`) fails the
suite, so whoever adds a page says who may open it. Each URL is opened with GET by each role, with sample
arguments taken from objects created once for the whole table.

Codes: 200, 403, 404, 405 (POST-only view), "login" (redirect to the sign-in page), 302 (any other
redirect)."""

import uuid
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest

from accounts import roles

ROLES = [
    "anonymous",
    "member",
    "maintainer",  # maintains `source`
    "other_maintainer",  # maintains `other_source` only
    "ambassador",  # also the trainer of `session`
    "steering",
    "partner",
    "communication",
    "team",  # the Équipe role, without the is_staff flag
    "superuser",
]
TEAM = ("team", "superuser")


def access(default, **codes):
    """One row: `default` for every role, except the roles named."""
    unknown = set(codes) - set(ROLES)
    assert not unknown, unknown
    return {role: codes.get(role, default) for role in ROLES}


PUBLIC = access(200)
SIGNED_IN = access(200, anonymous="login")
TEAM_ONLY = access(403, anonymous="login", team=200, superuser=200)
NOBODY = access(404)  # a secret-link URL opened with a wrong token
POST_ONLY = access(405)
POST_ONLY_SIGNED_IN = access(405, anonymous="login")


# URLs left out of the matrix, by prefix of their route, and why.
NOT_IN_MATRIX = {
    "admin/": "Wagtail admin: its own permission system, behind allauth and MFA (tests/accounts)",
    "django-admin/": "Django admin: superusers only, behind allauth and MFA (tests/accounts)",
    "hooks/anymail/": "e-mail provider webhooks: POST with a shared secret, no person",
    "comptes/": "allauth's sign-in, sign-up and 2FA pages (tests/accounts)",
    "i18n/setlang/": "language switch (POST, every visitor)",
    "jsi18n/": "translation catalogue for scripts (every visitor)",
}

EXPECTED = {
    # Machines, the site frame, Wagtail's own serving
    "healthz": PUBLIC,
    "readyz": PUBLIC,  # 200, or 503 with what is down
    "manifest": PUBLIC,
    "service_worker": PUBLIC,
    "wagtail_serve": PUBLIC,  # the home page
    "wagtaildocs_serve": NOBODY,  # no such document
    "wagtaildocs_authenticate_with_password": NOBODY,
    "wagtailcore_authenticate_with_password": NOBODY,
    # Issue 14 (critical): Wagtail's bare login never opens a session, it sends everyone to allauth's.
    "wagtailcore_login": access("login"),
    "robots_txt": PUBLIC,
    "sitemap": PUBLIC,
    "search:results": PUBLIC,  # what each role finds: tests/search
    "search_api": PUBLIC,
    "search_opensearch": PUBLIC,
    "favicon": access(301),  # to the hashed static file
    "sources:confirm_held": POST_ONLY_SIGNED_IN,  # who may confirm: tests/sources (maintainers and team)
    "stories:submission_photo": NOBODY,  # no photo in this data; access: tests/stories (404 unless allowed)
    # Accounts
    "accounts:profile": SIGNED_IN,
    "accounts:profile_edit": SIGNED_IN,
    "accounts:data": SIGNED_IN,
    "accounts:data_download": SIGNED_IN,
    "accounts:delete": SIGNED_IN,
    # Sources: public list and reports; a dashboard for its own maintainers and the team
    "sources_api:status": PUBLIC,
    "sources_api:gogocarto_report": POST_ONLY,
    "sources:index": PUBLIC,
    "sources:report": PUBLIC,
    "sources:overview": TEAM_ONLY,
    "sources:alert_preference": POST_ONLY_SIGNED_IN,
    "sources:dashboard": {**TEAM_ONLY, "maintainer": 200},
    "sources:errors_csv": {**TEAM_ONLY, "maintainer": 200},
    "sources:check_now": POST_ONLY_SIGNED_IN,
    "sources:report_status": POST_ONLY_SIGNED_IN,
    # Agenda: public; moderation by the team
    "agenda_ics": PUBLIC,
    "agenda_rss": PUBLIC,
    "agenda:index": PUBLIC,
    "agenda:month": PUBLIC,
    "agenda:event": PUBLIC,
    "agenda:widget": PUBLIC,
    "agenda:propose": PUBLIC,
    "agenda:moderation": TEAM_ONLY,
    "agenda:feed_preview": TEAM_ONLY,
    "agenda:feed_action": POST_ONLY,
    "agenda:event_action": POST_ONLY,
    "agenda:duplicate_decision": POST_ONLY,
    # Kits: public pages; a session is run by its trainer (the ambassador here) and the team
    "kits:index": access(302),  # to the kit index page
    "kits:faq": PUBLIC,
    "kits:session_list": PUBLIC,
    "kits:session_feed": PUBLIC,
    "kits:session_detail": PUBLIC,
    "kits:session_register": POST_ONLY,
    "kits:session_attendance": {**TEAM_ONLY, "ambassador": 200},
    "kits:session_registration_cancel": POST_ONLY_SIGNED_IN,
    "kits:session_registrants_csv": {**TEAM_ONLY, "ambassador": 200},
    # feedback: the registrant (member) once the session started (403 before); nobody else has a seat
    "kits:session_feedback": access(404, anonymous="login", member=403),
    "kits:registration_cancel": NOBODY,
    "kits:progress_step": POST_ONLY,
    "kits:progress_done": POST_ONLY,
    "kits:offline_bundle": PUBLIC,
    "kits:my_learning": SIGNED_IN,
    "kits:one_to_one_new": SIGNED_IN,
    # the list opens to the team, the communication group and sources' maintainers (each sees their own)
    "kits:one_to_one_list": {**TEAM_ONLY, "maintainer": 200, "other_maintainer": 200, "communication": 200},
    # a data-quality request naming `source`: the team and that source's maintainers (issue 14)
    "kits:one_to_one_detail": {**TEAM_ONLY, "maintainer": 200},
    # Community (current behaviour; the community branch may change rows, e.g. per-source categories)
    "community:index": PUBLIC,
    "community:search": PUBLIC,
    "community:moderation": TEAM_ONLY,
    "community:moderation_decide": {**TEAM_ONLY, "team": 405, "superuser": 405},
    "community:category": PUBLIC,  # a public category
    "community:topic_create": SIGNED_IN,
    "community:watch_category": POST_ONLY_SIGNED_IN,
    "community:category_feed": PUBLIC,
    "community:topic": PUBLIC,
    "community:reply": POST_ONLY_SIGNED_IN,
    "community:watch_topic": POST_ONLY_SIGNED_IN,
    "community:topic_moderate": {**TEAM_ONLY, "team": 405, "superuser": 405},
    "community:topic_to_faq": {**TEAM_ONLY, "team": 405, "superuser": 405},
    "community:post": access(302),  # to the post in its topic
    "community:post_edit": {**TEAM_ONLY, "ambassador": 200},  # its author and the team
    "community:post_history": PUBLIC,  # of a post in a public category
    "community:post_flag": POST_ONLY_SIGNED_IN,
    "community:post_delete": POST_ONLY_SIGNED_IN,
    "community:post_solution": POST_ONLY_SIGNED_IN,
    "community:attachment": NOBODY,
    "community:unsubscribe": access(400),  # a wrong token
    "community:ambassadors": PUBLIC,
    "community:ambassador_apply": access(200, anonymous="login", ambassador=302),  # already one
    "community:my_ambassador_space": access(302, anonymous="login", ambassador=200),
    "community:applications": TEAM_ONLY,
    "community:application_review": {**TEAM_ONLY, "team": 404, "superuser": 404},  # no application
    "community:follow_up_list": TEAM_ONLY,
    "community:follow_up": TEAM_ONLY,
    "community:ambassador": PUBLIC,
    "community:groups": PUBLIC,
    "community:group": PUBLIC,
    "community:questionnaire_csv": {**TEAM_ONLY, "team": 404, "superuser": 404},  # no questionnaire
    # Support (current behaviour; the support branch rewrites it)
    "support:index": PUBLIC,
    "support:thanks": PUBLIC,
    "support:directory": PUBLIC,
    "support:follow": NOBODY,
    "support:partner": NOBODY,
    "support:team_queue": TEAM_ONLY,
    "support:team_request": TEAM_ONLY,
    "support:team_partners": TEAM_ONLY,
    "support:team_partner_create": TEAM_ONLY,
    "support:team_partner_edit": TEAM_ONLY,
    "support:team_answers": TEAM_ONLY,
    "support:team_answer_create": TEAM_ONLY,
    "support:team_answer_edit": TEAM_ONLY,
    "support:team_figures": {**TEAM_ONLY, "steering": 200},  # anonymous figures: the steering committee too
    "support:team_figures_csv": {**TEAM_ONLY, "steering": 200},
    # Stories
    "stories:index": NOBODY,  # redirects to the stories index page, none here
    "stories:rss": PUBLIC,
    "stories:atom": PUBLIC,
    "stories:share_mastodon": PUBLIC,
    "stories:source_approval": NOBODY,
    # Newsletter
    "newsletter:index": PUBLIC,
    "newsletter:confirm": NOBODY,
    "newsletter:unsubscribe": NOBODY,
    "newsletter:issue": NOBODY,  # a draft issue is not public, not even to the team on this page
}


def _kwargs(name: str, objects) -> dict | tuple:
    """Sample arguments of each URL with arguments, from the objects of `world`."""
    o = objects
    wrong_token = "x" * 24
    table = {
        "sources_api:status": {"slug": o.source.slug},
        "sources_api:gogocarto_report": {"slug": o.source.slug, "token": wrong_token},
        "sources:dashboard": {"slug": o.source.slug},
        "sources:confirm_held": {"slug": o.source.slug},
        "sources:errors_csv": {"slug": o.source.slug},
        "sources:check_now": {"slug": o.source.slug},
        "sources:report_status": {"slug": o.source.slug, "pk": o.report.pk},
        "agenda:month": {"year": 2026, "month": 12},
        "agenda:event": {"pk": o.event.pk},
        "agenda:feed_preview": {"pk": o.feed.pk},
        "agenda:feed_action": {"pk": o.feed.pk},
        "agenda:event_action": {"pk": o.event.pk},
        "agenda:duplicate_decision": {"pk": o.duplicate.pk},
        "kits:session_detail": {"pk": o.session.pk},
        "kits:session_register": {"pk": o.session.pk},
        "kits:session_attendance": {"pk": o.session.pk},
        "kits:session_registration_cancel": {"pk": o.session.pk, "registration_pk": o.registration.pk},
        "kits:session_registrants_csv": {"pk": o.session.pk},
        "kits:session_feedback": {"pk": o.session.pk},
        "kits:registration_cancel": {"token": uuid.uuid4()},
        "kits:progress_step": {"page_id": o.kit.pk},
        "kits:progress_done": {"page_id": o.kit.pk},
        "kits:offline_bundle": {"page_id": o.kit.pk},
        "kits:one_to_one_detail": {"pk": o.one_to_one.pk},
        "community:moderation_decide": {"pk": o.post.pk},
        "community:category": {"slug": o.category.slug},
        "community:topic_create": {"slug": o.category.slug},
        "community:watch_category": {"slug": o.category.slug},
        "community:category_feed": {"slug": o.category.slug},
        "community:topic": {"pk": o.topic.pk},
        "community:reply": {"pk": o.topic.pk},
        "community:watch_topic": {"pk": o.topic.pk},
        "community:topic_moderate": {"pk": o.topic.pk},
        "community:topic_to_faq": {"pk": o.topic.pk},
        "community:post": {"pk": o.post.pk},
        "community:post_edit": {"pk": o.post.pk},
        "community:post_history": {"pk": o.post.pk},
        "community:post_flag": {"pk": o.post.pk},
        "community:post_delete": {"pk": o.post.pk},
        "community:post_solution": {"pk": o.post.pk},
        "community:attachment": {"pk": 999_999},  # no attachment: 404 whoever asks
        "community:unsubscribe": {"token": wrong_token},
        "community:application_review": {"pk": 999_999},
        "community:follow_up": {"pk": o.profile.pk},
        "community:ambassador": {"pk": o.profile.pk},
        "community:group": {"slug": o.group.slug},
        "community:questionnaire_csv": {"page_id": 999_999},
        "stories:submission_photo": {"pk": 999_999},  # no photo: 404 whoever asks
        "support:follow": {"pk": o.support_request.pk, "token": wrong_token},
        "support:partner": {"pk": o.support_request.pk, "token": wrong_token},
        "support:team_request": {"pk": o.support_request.pk},
        "support:team_partner_edit": {"pk": o.partner.pk},
        "support:team_answer_edit": {"pk": o.answer.pk},
        "stories:source_approval": {"token": wrong_token},
        "newsletter:confirm": {"token": wrong_token},
        "newsletter:unsubscribe": {"token": wrong_token},
        "newsletter:issue": {"pk": o.issue.pk},
        "wagtaildocs_serve": (999_999, "fiche.pdf"),  # positional groups
        "wagtaildocs_authenticate_with_password": {"restriction_id": 999_999},
        "wagtailcore_authenticate_with_password": {"page_view_restriction_id": 999_999, "page_id": o.kit.pk},
    }
    return table[name]


def portal_urls():
    """(route, name) of every URL pattern outside `NOT_IN_MATRIX`; language-prefixed patterns once."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(tuple(NOT_IN_MATRIX)):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                found.append((route, namespace + (pattern.name or "")))

    walk(get_resolver().url_patterns)
    return found


def test_every_url_has_an_entry_in_the_access_table():
    names = [name for _route, name in portal_urls()]
    unnamed = [route for route, name in portal_urls() if not name]
    assert not unnamed, f"name these URL patterns: {unnamed}"
    missing = sorted(set(names) - set(EXPECTED))
    assert not missing, "say who may open these URLs in EXPECTED:\n" + "\n".join(missing)
    stale = sorted(set(EXPECTED) - set(names))
    assert not stale, f"these entries name no URL any more: {stale}"


@pytest.fixture
def world(db):
    from types import SimpleNamespace

    from agenda.models import DuplicateCandidate
    from kits.models import KitIndexPage, OneToOneRequest
    from tests.agenda.factories import AgendaFeedFactory, EventFactory
    from tests.community.factories import (
        AmbassadorProfileFactory,
        CategoryFactory,
        WorkingGroupFactory,
        make_topic,
    )
    from tests.factories import UserFactory, ensure_home_page
    from tests.kits.factories import RegistrationFactory, TrainingSessionFactory, add_kit
    from tests.newsletter.factories import IssueFactory
    from tests.sources.factories import ReportFactory, SourceFactory
    from tests.support.factories import CannedAnswerFactory, PartnerFactory, SupportRequestFactory

    people = {
        "anonymous": None,
        "member": UserFactory(),
        "maintainer": UserFactory(roles=[roles.SOURCE_MAINTAINER]),
        "other_maintainer": UserFactory(roles=[roles.SOURCE_MAINTAINER]),
        "ambassador": UserFactory(roles=[roles.AMBASSADOR]),
        "steering": UserFactory(roles=[roles.STEERING_COMMITTEE]),
        "partner": UserFactory(roles=[roles.TRUSTED_PARTNER]),
        "communication": UserFactory(roles=[roles.COMMUNICATION_GROUP]),
        "team": UserFactory(roles=[roles.STAFF]),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    source = SourceFactory(maintainers=[people["maintainer"]])
    other_source = SourceFactory(maintainers=[people["other_maintainer"]])
    feed = AgendaFeedFactory(source=source)
    event, twin = EventFactory(feed=feed), EventFactory(feed=AgendaFeedFactory(source=other_source))
    index = KitIndexPage(title="Kits et formations", slug="kits-et-formations")
    ensure_home_page().add_child(instance=index)
    index.save_revision().publish()
    kit = add_kit(index)
    session = TrainingSessionFactory(
        kit=kit, trainer=people["ambassador"], start=timezone.now() + timedelta(days=3)
    )
    category = CategoryFactory()
    topic = make_topic(category=category, author=people["ambassador"])
    return SimpleNamespace(
        people=people,
        source=source,
        other_source=other_source,
        report=ReportFactory(source=source),
        feed=feed,
        event=event,
        duplicate=DuplicateCandidate.objects.create(event=event, other=twin, score=0.9),
        kit=kit,
        session=session,
        registration=RegistrationFactory(session=session, user=people["member"]),
        one_to_one=OneToOneRequest.objects.create(
            user=people["member"], topic="data_quality", message="Des doublons", source=source
        ),
        category=category,
        topic=topic,
        post=topic.posts.first(),
        profile=AmbassadorProfileFactory(user=people["ambassador"]),
        group=WorkingGroupFactory(),
        support_request=SupportRequestFactory(),
        partner=PartnerFactory(),
        answer=CannedAnswerFactory(),
        issue=IssueFactory(),
    )


def _observed(response):
    if response.status_code == 302:
        return "login" if "/comptes/login/" in response["Location"] else 302
    return response.status_code


def _path(route: str, name: str, world) -> str:
    if name == "wagtail_serve":
        return "/"
    if "<" not in route and "(" not in route:
        return reverse(name)
    arguments = _kwargs(name, world)
    if isinstance(arguments, tuple):
        return reverse(name, args=arguments)
    return reverse(name, kwargs=arguments)


def test_every_role_gets_the_expected_answer_from_every_url(client, world, settings):
    settings.PORTAL_ENFORCE_STAFF_MFA = False  # tests/accounts/test_middleware.py covers the MFA step
    mismatches = []
    urls = [(route, name) for route, name in portal_urls() if name in EXPECTED]
    for role in ROLES:
        person = world.people[role]
        client.logout()
        if person is not None:
            client.force_login(person)
        for route, name in urls:
            observed = _observed(client.get(_path(route, name, world)))
            if observed != EXPECTED[name][role]:
                mismatches.append(f"{name} as {role}: {observed} (expected {EXPECTED[name][role]})")
    assert not mismatches, "\n".join(mismatches)


def test_every_team_only_url_asks_for_two_factor_authentication():
    """A URL only the team opens is a team screen: the MFA middleware must know it (issue 14)."""
    from accounts.middleware import TEAM_SCREENS

    team_only = {
        name
        for name, row in EXPECTED.items()
        if all(row[role] in (403, "login") for role in ROLES if role not in TEAM)
        and any(row[role] not in (403, "login") for role in TEAM)
    }
    assert team_only - TEAM_SCREENS == set()
