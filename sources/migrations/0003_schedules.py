from django.db import migrations


SCHEDULES = [
    # name, function, minutes between runs
    ("sources: vérifier les flux dus", "sources.tasks.check_due_sources", 5),
    ("sources: compter les éléments sur la carte", "sources.tasks.refresh_map_counts", 360),
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1}
        )
    Schedule.objects.update_or_create(
        name="sources: résumé quotidien des alertes",
        defaults={"func": "sources.tasks.send_daily_digests", "schedule_type": "D", "repeats": -1},
    )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__startswith="sources: ").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_registry_reports_alerts"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
