import json

from django.apps import apps
from django.conf import settings

from wagtail import hooks

import pytest

from accounts import selectors
from core import extensions
from tests.factories import UserFactory

PORTAL_APPS = {
    "accounts",
    "home",
    "sources",
    "agenda",
    "kits",
    "community",
    "support",
    "stories",
    "newsletter",
}


@pytest.mark.django_db
def test_export_collects_the_personal_data_of_every_portal_app():
    user = UserFactory()
    export = selectors.user_data_export(user=user)
    assert set(export["apps"]) == PORTAL_APPS
    assert [a["email"] for a in export["apps"]["accounts"]["email_addresses"]] == [user.email]
    json.dumps(export)  # JSON-serialisable


def test_every_app_whose_models_point_at_a_person_registers_its_personal_data():
    """A new model holding a person's data cannot be forgotten by "Mes données"."""
    registered = {label for label, _function in extensions.contributions(extensions.PERSONAL_DATA)}
    holding = set()
    for model in apps.get_models():
        config = model._meta.app_config
        if config.name.split(".")[0] not in PORTAL_APPS | {"core"}:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.concrete and related is not None and related._meta.label == settings.AUTH_USER_MODEL:
                holding.add(config.label)
    assert holding, "no model points at the user: the walk is broken"
    assert holding <= registered, f"apps keeping personal data without an export: {holding - registered}"


@pytest.mark.django_db
def test_a_failing_personal_data_function_stops_the_export_instead_of_dropping_the_app():
    def broken(*, user):
        raise ModuleNotFoundError("No module named 'core.gone'")

    broken.__module__ = "core.wagtail_hooks"
    with hooks.register_temporarily(extensions.PERSONAL_DATA, broken), pytest.raises(ModuleNotFoundError):
        selectors.user_data_export(user=UserFactory())


def test_a_contribution_from_outside_an_installed_app_is_refused():
    def stray(*, user):
        return {}

    stray.__module__ = "not_an_app.hooks"
    with (
        hooks.register_temporarily(extensions.PERSONAL_DATA, stray),
        pytest.raises(extensions.ExtensionError),
    ):
        extensions.contributions(extensions.PERSONAL_DATA)
