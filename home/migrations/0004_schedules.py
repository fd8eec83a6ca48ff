"""Periodic tasks of the home app. Convention (see README): every app creates its django-q2 schedules
in a data migration like this one, with update_or_create on the schedule's name, so it is idempotent."""

from django.db import migrations

SCHEDULES = [
    {
        "name": "home.clear_expired_sessions",
        "func": "home.tasks.clear_expired_sessions",
        "schedule_type": "D",  # daily
    },
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for spec in SCHEDULES:
        Schedule.objects.update_or_create(
            name=spec["name"],
            defaults={"func": spec["func"], "schedule_type": spec["schedule_type"], "repeats": -1},
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=[s["name"] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_standard_form_pages_settings"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedules, remove_schedules)]
