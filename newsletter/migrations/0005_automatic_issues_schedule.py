"""Every hour, prepare the drafts of the periods that ended and send those left long enough
(see `newsletter.services.automatic_issues_prepare` and `automatic_issues_send_due`)."""

from django.db import migrations

NAME = "newsletter: automatic issues"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "newsletter.tasks.automatic_issues", "schedule_type": "H", "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_automatic_issues"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
