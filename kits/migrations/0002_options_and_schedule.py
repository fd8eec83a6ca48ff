"""The fixed audiences and formats, and the schedule that sends training reminders every 5 minutes."""

from django.db import migrations

AUDIENCES = ["sources", "ambassadors", "steering", "collectives", "public"]
FORMATS = ["kit", "remote", "in_person", "one_to_one", "other"]


def create(apps, schema_editor):
    AudienceOption = apps.get_model("kits", "AudienceOption")
    FormatOption = apps.get_model("kits", "FormatOption")
    Schedule = apps.get_model("django_q", "Schedule")
    for code in AUDIENCES:
        AudienceOption.objects.get_or_create(code=code)
    for code in FORMATS:
        FormatOption.objects.get_or_create(code=code)
    Schedule.objects.update_or_create(
        name="kits: rappels des formations",
        defaults={
            "func": "kits.tasks.send_session_reminders",
            "schedule_type": "I",
            "minutes": 5,
            "repeats": -1,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="kits: rappels des formations").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kits", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create, remove)]
