from django.contrib.auth.models import Group

import pytest

from accounts import roles


@pytest.mark.django_db
def test_roles_migration_created_the_six_role_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    assert len(roles.ROLES) == 6


@pytest.mark.django_db(transaction=True)
def test_roles_migration_runs_backwards_and_forwards():
    from django.core.management import call_command

    call_command("migrate", "accounts", "0001", verbosity=0)
    assert not Group.objects.filter(name__in=roles.ROLES).exists()
    call_command("migrate", "accounts", verbosity=0)
    assert Group.objects.filter(name__in=roles.ROLES).count() == 6
