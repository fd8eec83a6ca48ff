"""Periodic tasks of the kernel (the convention of home/migrations/0004_schedules.py)."""

from django.db import migrations

SCHEDULES = [
    {"name": "core.clear_submission_tokens", "func": "core.tasks.clear_submission_tokens", "schedule_type": "D"},
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
        ("core", "0003_submission_token"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedules, remove_schedules)]
