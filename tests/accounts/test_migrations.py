from django.contrib.auth.models import Group

import pytest

from accounts import roles


@pytest.mark.django_db
def test_roles_migration_created_the_six_role_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    assert len(roles.ROLES) == 6


@pytest.mark.django_db
def test_roles_migration_is_idempotent_and_reversible():
    """Run the migration's own functions (migrating the whole graph backwards would also undo every app
    that gives permissions to these groups)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0002_roles")
    migration.remove_roles(apps, None)
    assert not Group.objects.filter(name__in=roles.ROLES).exists()
    migration.create_roles(apps, None)
    migration.create_roles(apps, None)
    assert sorted(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == sorted(
        roles.ROLES
    )
