"""Create the portal's roles as groups (names from accounts.roles, kept literal here on purpose)."""

from django.db import migrations

ROLE_NAMES = [
    "source_maintainer",
    "ambassador",
    "steering_committee",
    "communication_group",
    "trusted_partner",
    "staff",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
