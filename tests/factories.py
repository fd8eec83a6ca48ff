"""Factories for the models every app uses. App factories live in tests/<app>/factories.py."""

from django.contrib.auth.models import Group

import factory
from allauth.account.models import EmailAddress

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified e-mail address. `roles=["source_maintainer"]` puts them in role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"personne{n}@exemple.org")
    display_name = factory.Faker("name", locale="fr_FR")
    organisation = factory.Faker("company", locale="fr_FR")
    territory = "30"
    preferred_language = "fr"
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
        if create:
            self.save()


def ensure_migrated_data():
    """Put back what the data migrations create (content types, role groups, root collection, locale,
    page tree, default site) when a transactional test's flush removed it. Costs a few queries."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    from wagtail.models import Collection

    from accounts.roles import ROLES

    if not ContentType.objects.exists():
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        for name in ROLES:
            Group.objects.get_or_create(name=name)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    from kits.models import AudienceOption

    if not AudienceOption.objects.exists():  # the kits' fixed audiences and formats
        from importlib import import_module

        from django.apps import apps

        import_module("kits.migrations.0002_options_and_schedule").create(apps, None)
    home = ensure_home_page()
    if not Group.objects.get(name="staff").permissions.exists():  # the team's admin rights
        from importlib import import_module

        from django.apps import apps

        import_module("accounts.migrations.0003_staff_permissions").grant(apps, None)
    return home


def ensure_home_page():
    """The French HomePage at the root of the default site, as the migrations create it. Transactional
    tests flush the database, so a test that needs the page tree calls this rather than assuming it."""
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None:
        locale, _ = Locale.objects.get_or_create(language_code="fr")
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=HomePage(title="Transiscope", slug="accueil", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Transiscope"},
    )
    return home
