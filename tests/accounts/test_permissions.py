"""`accounts.permissions` answers "may this person do this?", for every role; nothing else in the portal
looks at `is_staff`, `is_superuser` or role-group lookups to decide (the walkers below keep it so)."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser, Group, Permission

import pytest

from accounts import permissions, roles
from kits.models import OneToOneRequest
from tests.factories import UserFactory
from tests.sources.factories import SourceFactory

ROOT = Path(__file__).resolve().parents[2]

# Every person the portal knows, by role. "maintainer" maintains `source`; "maintainer_other" maintains
# `other_source`; "maintainer_role" holds the role and maintains nothing.
ROLE_NAMES = [
    "anonymous",
    "member",
    "inactive_staff",
    "maintainer",
    "maintainer_other",
    "maintainer_role",
    "ambassador",
    "steering",
    "communication",
    "partner",
    "equipe",
    "staff_flag",
    "superuser",
]
TEAM = {"equipe", "staff_flag", "superuser"}


@pytest.fixture
def people(db):
    source, other_source = SourceFactory(), SourceFactory()
    people = {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "inactive_staff": UserFactory(is_staff=True, is_superuser=True, is_active=False),
        "maintainer": UserFactory(roles=[roles.SOURCE_MAINTAINER]),
        "maintainer_other": UserFactory(roles=[roles.SOURCE_MAINTAINER]),
        "maintainer_role": UserFactory(roles=[roles.SOURCE_MAINTAINER]),
        "ambassador": UserFactory(roles=[roles.AMBASSADOR]),
        "steering": UserFactory(roles=[roles.STEERING_COMMITTEE]),
        "communication": UserFactory(roles=[roles.COMMUNICATION_GROUP]),
        "partner": UserFactory(roles=[roles.TRUSTED_PARTNER]),
        "equipe": UserFactory(roles=[roles.STAFF]),
        "staff_flag": UserFactory(is_staff=True),
        "superuser": UserFactory(is_superuser=True),
    }
    source.maintainers.add(people["maintainer"])
    other_source.maintainers.add(people["maintainer_other"])
    return SimpleNamespace(by_role=people, source=source, other_source=other_source)


def _answers(people, function):
    return {role for role in ROLE_NAMES if function(people.by_role[role])}


def test_the_team_is_the_equipe_role_the_staff_flag_and_superusers(people):
    assert _answers(people, permissions.is_team) == TEAM
    assert set(permissions.team_members()) == {people.by_role[role] for role in TEAM}
    assert _answers(people, permissions.is_superuser) == {"superuser"}


def test_admin_and_two_factor_authentication_reach_the_team_and_admin_access_holders(people):
    """The communication group's role holds `wagtailadmin.access_admin` (newsletter and stories
    migrations): it reaches the admin, so it needs two-factor authentication too."""
    assert _answers(people, permissions.can_access_admin) == TEAM | {"communication"}
    assert _answers(people, permissions.requires_mfa) == TEAM | {"communication"}
    people.by_role["steering"].user_permissions.add(Permission.objects.get(codename="access_admin"))
    people.by_role["steering"] = type(people.by_role["steering"]).objects.get(
        pk=people.by_role["steering"].pk
    )  # permissions are cached per object
    assert _answers(people, permissions.can_access_admin) == TEAM | {"communication", "steering"}
    assert _answers(people, permissions.requires_mfa) == TEAM | {"communication", "steering"}


def test_a_source_opens_to_the_team_and_its_own_maintainers_only(people):
    assert _answers(people, lambda user: permissions.can_view_source(user, people.source)) == TEAM | {
        "maintainer"
    }
    assert _answers(people, lambda user: permissions.can_view_source(user, people.other_source)) == TEAM | {
        "maintainer_other"
    }
    both = {people.source, people.other_source}
    for role in ROLE_NAMES:
        visible = set(permissions.sources_visible_to(people.by_role[role]))
        expected = (
            both
            if role in TEAM
            else {"maintainer": {people.source}, "maintainer_other": {people.other_source}}.get(role, set())
        )
        assert visible == expected, role
    assert _answers(people, permissions.can_view_all_sources) == TEAM


def test_moderation_exports_and_support_triage_are_the_teams(people):
    assert _answers(people, permissions.can_moderate_agenda) == TEAM
    assert _answers(people, permissions.can_export_answers) == TEAM
    assert _answers(people, permissions.can_triage_support) == TEAM
    assert _answers(people, permissions.can_moderate) == TEAM
    assert _answers(people, permissions.can_see_support_figures) == TEAM | {"steering"}
    assert _answers(people, permissions.is_communication_group) == TEAM | {"communication"}


def test_role_membership_and_role_members(people):
    assert _answers(people, lambda user: permissions.has_role(user, roles.AMBASSADOR)) == {"ambassador"}
    assert set(permissions.members_of_role(roles.COMMUNICATION_GROUP)) == {people.by_role["communication"]}
    assert _answers(people, lambda user: permissions.has_role(user, roles.STAFF)) == {"equipe"}


def test_a_training_session_is_run_by_its_trainer_and_the_team(people):
    session = SimpleNamespace(trainer_id=people.by_role["ambassador"].pk)
    assert _answers(people, lambda user: permissions.can_run_session(user, session)) == TEAM | {"ambassador"}
    assert _answers(
        people, lambda user: permissions.can_see_session_visio(user, session, confirmed=False)
    ) == TEAM | {"ambassador"}
    assert _answers(
        people, lambda user: permissions.can_see_session_visio(user, session, confirmed=True)
    ) == set(ROLE_NAMES) - {"anonymous", "inactive_staff"}


def test_one_to_one_requests_are_followed_up_by_the_team_and_the_role_in_charge(people):
    person = people.by_role["member"]
    ambassador = OneToOneRequest.objects.create(user=person, topic="ambassador", message="Relayer la carte")
    quality = OneToOneRequest.objects.create(
        user=person, topic="data_quality", message="Mes données", source=people.source
    )
    unnamed = OneToOneRequest.objects.create(user=person, topic="data_quality", message="Des doublons")
    assert _answers(people, lambda user: permissions.can_follow_up(user, ambassador)) == TEAM | {
        "communication"
    }
    # Issue 14: data quality is the team's, plus the named source's maintainers; not every maintainer.
    assert _answers(people, lambda user: permissions.can_follow_up(user, quality)) == TEAM | {"maintainer"}
    assert _answers(people, lambda user: permissions.can_follow_up(user, unnamed)) == TEAM
    for role in ROLE_NAMES:
        visible = permissions.one_to_one_requests_visible_to(people.by_role[role])
        visible = None if visible is None else set(visible)
        expected = {
            **{role: {ambassador, quality, unnamed} for role in TEAM},
            "communication": {ambassador},
            "maintainer": {quality},
            "maintainer_other": set(),
        }.get(role)
        assert visible == expected, role
    assert set(permissions.one_to_one_recipients(ambassador)) == {people.by_role["communication"]}
    team = {people.by_role[role] for role in TEAM}
    assert set(permissions.one_to_one_recipients(quality)) == team | {people.by_role["maintainer"]}
    assert set(permissions.one_to_one_recipients(unnamed)) == team


def test_admin_rights_of_stories_and_newsletter_follow_the_wagtail_permissions(people):
    communication = people.by_role["communication"]
    for codename in ("change_submission", "view_newsletterissue", "change_newsletterissue"):
        communication.user_permissions.add(Permission.objects.get(codename=codename))
    people.by_role["communication"] = type(communication).objects.get(pk=communication.pk)
    team_with_rights = _answers(people, permissions.can_review_submissions) - {"communication"}
    assert "superuser" in team_with_rights and not team_with_rights - TEAM
    for function in (
        permissions.can_review_submissions,
        permissions.can_view_newsletter_issue,
        permissions.can_send_newsletter_issue,
    ):
        assert _answers(people, function) - TEAM == {"communication"}, function.__name__
    assert _answers(people, permissions.can_approve_for_source) == {"superuser"}


def test_a_questionnaire_answers_to_everyone_signed_in_people_or_one_group(people):
    group = Group.objects.get(name=roles.AMBASSADOR)
    assert _answers(
        people, lambda user: permissions.may_answer_form(user, login_required=False, group_id=None)
    ) == set(ROLE_NAMES)
    assert _answers(
        people, lambda user: permissions.may_answer_form(user, login_required=True, group_id=None)
    ) == set(ROLE_NAMES) - {"anonymous", "inactive_staff"}
    assert _answers(
        people, lambda user: permissions.may_answer_form(user, login_required=False, group_id=group.pk)
    ) == {"ambassador", "superuser"}


# ---------------------------------------------------------------------------------------------------------
# Nothing outside accounts/permissions.py decides with the account flags or role-group lookups.

DECIDING_NAMES = {"is_staff", "is_superuser", "groups__name", "has_role"}

# path -> (names it may mention, why). Non-deciding uses only.
ALLOWED = {
    "accounts/permissions.py": (DECIDING_NAMES, "the one module that decides"),
    "accounts/models.py": (
        {"is_staff", "is_superuser"},
        "the User model's manager sets the flags when it creates an account (and defines has_role)",
    ),
    "accounts/demo.py": ({"is_staff", "is_superuser"}, "creates the demo team accounts with their flags"),
    "accounts/selectors.py": ({"is_staff"}, "'Mes données' exports the account's flag as a fact"),
}
ALLOWED_TEMPLATES = {}
SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", ".git", "static", "media"}


def _project_files(pattern):
    for path in sorted(ROOT.rglob(pattern)):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRS & set(relative.parts[:-1]) and not relative.name.startswith("test_"):
            yield relative


def deciding_names(tree) -> list[tuple[int, str]]:
    """Where a module mentions an account flag or a role-group lookup: attributes (`user.is_staff`,
    `user.has_role(...)`), keywords (`filter(is_staff=True)`, `Q(groups__name=...)`) and strings
    (`{"is_staff": ...}`, `setdefault("is_superuser", ...)`)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.keyword) and node.arg:
            names = [node.arg.split("__in")[0] if node.arg.startswith("groups__name") else node.arg]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            names = re.findall(r"\b(is_staff|is_superuser|groups__name)\b", node.value)
        else:
            continue
        found += [(node.lineno, name) for name in names if name in DECIDING_NAMES]
    return found


def test_the_walker_sees_every_way_of_deciding():
    source = (
        "user.is_staff\nQ(is_superuser=True)\nUser.objects.filter(groups__name='staff')\n"
        "user.has_role('x')\nqs.filter(**{'is_staff': True})\n"
    )
    assert sorted(deciding_names(ast.parse('"""Docstrings may say is_staff."""\n' + source))) == [
        (2, "is_staff"),
        (3, "is_superuser"),
        (4, "groups__name"),
        (5, "has_role"),
        (6, "is_staff"),
    ]


def test_no_python_module_decides_access_outside_accounts_permissions():
    offenders = []
    for relative in _project_files("*.py"):
        allowed = ALLOWED.get(relative.as_posix(), (set(), ""))[0]
        tree = ast.parse((ROOT / relative).read_text(), filename=str(relative))
        offenders += [
            f"{relative}:{line} {name}" for line, name in deciding_names(tree) if name not in allowed
        ]
    assert not offenders, "ask accounts.permissions instead:\n" + "\n".join(offenders)


def test_no_template_decides_access_with_the_account_flags():
    offenders = []
    for relative in _project_files("*.html"):
        if relative.as_posix() in ALLOWED_TEMPLATES:
            continue
        for number, line in enumerate((ROOT / relative).read_text().splitlines(), 1):
            if re.search(r"\b(is_staff|is_superuser)\b", line):
                offenders.append(f"{relative}:{number}")
    assert not offenders, "use {% load permissions %} filters instead:\n" + "\n".join(offenders)


def test_the_allow_lists_name_existing_files():
    """A stale entry would hide a future offender under a reused name."""
    for name in [*ALLOWED, *ALLOWED_TEMPLATES]:
        assert (ROOT / name).exists(), name


def test_the_page_chooser_lists_every_page_to_the_team_and_no_draft_to_others(people):
    """Per role; tests/stories/test_page_chooser.py follows a maintainer through the admin's chooser."""
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    draft = home.add_child(instance=Page(title="Brouillon de l'équipe", slug="brouillon", live=False))
    every = Page.objects.all()
    for role in ROLE_NAMES:
        listed = set(permissions.scope_page_chooser(people.by_role[role], every))
        if role in TEAM:
            assert listed == set(every), role
        elif role in ("anonymous", "inactive_staff"):
            assert listed == set(), role
        else:
            assert draft not in listed and home in listed, role
