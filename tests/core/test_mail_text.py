"""Plain-text e-mails and subjects are written as text: no HTML escaping of what people typed."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string

import pytest

from core.mail import TEXT_ENGINE, render_templated_mail

NAME = "Zoé l'Ardéchoise & Cie <équipe>"


def stand_in(name: str):
    """What a context variable called `name` holds: a date for `*_at`/`*_on`, a number for counts and
    delays, otherwise NAME (whose attributes and keys are NAME again)."""
    if name.endswith(("_at", "_on")):
        return datetime(2026, 12, 8, 18, 30, tzinfo=UTC)
    if name.endswith(("count", "days")):
        return 3
    return Anything()


class Anything(str):
    """Stands for any context variable, so each template renders without building its objects."""

    def __new__(cls):
        return super().__new__(cls, NAME)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return stand_in(name)

    def __getitem__(self, key):
        return stand_in(str(key))

    def __iter__(self):
        return iter(())


class EverythingContext(dict):
    def __missing__(self, key):
        return stand_in(key)

    def __contains__(self, key):
        return key not in {"True", "False", "None"}


def email_text_templates() -> list[str]:
    base = Path(settings.BASE_DIR)
    names = []
    for path in sorted(base.glob("*/templates/*/email/*.txt")) + sorted(base.glob("templates/*/email/*.txt")):
        if ".venv" in path.parts:
            continue
        names.append(str(path.relative_to(path.parents[2])))
    return names


TEMPLATES = email_text_templates()


def test_every_email_text_template_is_found():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("template", TEMPLATES)
def test_text_parts_and_subjects_are_not_html_escaped(template):
    text = render_to_string(template, EverythingContext(site_url="http://testserver"), using=TEXT_ENGINE)
    assert "&#x27;" not in text and "&amp;" not in text and "&lt;" not in text, text


@pytest.mark.django_db
def test_a_contact_name_reaches_subject_and_body_as_typed_and_html_stays_escaped():
    message = render_templated_mail(
        to="zoe@exemple.org",
        template="agenda/email/proposal_new",
        context={"event": {"title": NAME, "organizer_name": NAME}, "proposer_name": NAME},
        language="fr",
    )
    assert "&#x27;" not in message.subject and "&amp;" not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "<équipe>" not in html


@pytest.mark.django_db
def test_allauth_mails_are_not_escaped(client, settings):
    from tests.factories import UserFactory

    UserFactory(email="zoe@exemple.org", display_name=NAME)
    client.post("/comptes/password/reset/", {"email": "zoe@exemple.org"})
    assert mail.outbox, "no reset e-mail"
    assert "&#x27;" not in mail.outbox[-1].body and "&amp;" not in mail.outbox[-1].subject
