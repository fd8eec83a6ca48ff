"""Every app's forms go through templates/components/form_field.html: each aria-describedby names an element
that exists (help text, errors), and the honeypot is hidden from people whatever its name."""

import re

from django.urls import reverse

import pytest

from core.forms import HoneypotFormMixin
from tests.community.factories import CategoryFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _dangling_references(html: str) -> set[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    referenced = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    return referenced - ids


def _invalid_posts(client):
    """A form of each app, sent with mistakes so that help texts and errors are both on the page."""
    yield "agenda", client.post(reverse("agenda:propose"), {"title": "", "departement": "99999"})
    yield "sources", client.post(reverse("sources:report"), {"element": "", "reason": ""})
    yield "newsletter", client.post(reverse("newsletter:index"), {"email": "pas-une-adresse"})
    category = CategoryFactory()
    client.force_login(UserFactory(roles=["ambassador"]))
    yield "community", client.post(reverse("community:topic_create", args=[category.slug]), {"title": ""})
    yield "community ambassadors", client.post(reverse("community:ambassador_apply"), {"territory": "x"})
    yield "kits", client.post(reverse("kits:one_to_one_new"), {"topic": "", "message": ""})
    yield "stories", client.post(_call_page().url, {"name": "", "consent_1": "on"})


def _call_page():
    from home.models import HomePage
    from stories.models import CallPage, StoryIndexPage

    index = HomePage.objects.first().add_child(
        instance=StoryIndexPage(title="Récits", slug="recits", introduction="<p>Les récits.</p>")
    )
    return index.add_child(instance=CallPage(title="Racontez", slug="appel", introduction="<p>Racontez</p>"))


def test_every_aria_describedby_names_an_element_of_the_page(client):
    for app, response in _invalid_posts(client):
        html = response.content.decode()
        assert response.status_code in {200, 400}, app
        assert 'aria-invalid="true"' in html, f"{app}: the errors are not shown on the fields"
        assert not _dangling_references(html), f"{app}: aria-describedby names missing ids"


def test_the_honeypot_is_found_by_its_form_not_by_a_name_in_a_template(client, settings):
    class RenamedHoneypot(HoneypotFormMixin):
        honeypot_field_name = "adresse_du_site"

    from django.template.loader import render_to_string

    html = render_to_string("components/form_fields.html", {"form": RenamedHoneypot()})
    assert re.search(r'<div class="honeypot" aria-hidden="true"><label for="id_adresse_du_site">', html)
