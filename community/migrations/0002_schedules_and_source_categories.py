"""Periodic work (digests, follow-up and questionnaire reminders), each source's category, forum handles."""

from django.db import migrations
from django.utils.text import slugify

SCHEDULES = [
    # name, function, schedule type, minutes (for "I")
    ("community: daily forum digests", "community.tasks.send_daily_digests", "D", None),
    ("community: weekly forum digests", "community.tasks.send_weekly_digests", "W", None),
    ("community: ambassador follow-up reminders", "community.tasks.send_follow_up_reminders", "D", None),
    ("community: questionnaire reminders", "community.tasks.send_questionnaire_reminders", "W", None),
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, schedule_type, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": schedule_type, "minutes": minutes, "repeats": -1}
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[name for name, *_rest in SCHEDULES]).delete()


def source_categories(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Category = apps.get_model("community", "Category")
    Subscription = apps.get_model("community", "Subscription")
    for source in Source.objects.all():
        category = Category.objects.filter(source=source).first()
        if category is None:
            slug = slugify(f"source-{source.slug}")[:70]
            while Category.objects.filter(slug=slug).exists():
                slug = f"{slug[:66]}-{source.pk}"
            category = Category.objects.create(
                source=source, name=source.name, slug=slug, visibility="sources", position=500
            )
        for maintainer in source.maintainers.all():
            Subscription.objects.get_or_create(user=maintainer, category=category, defaults={"frequency": "immediate"})


def forum_profiles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    ForumProfile = apps.get_model("community", "ForumProfile")
    taken = set(ForumProfile.objects.values_list("handle", flat=True))
    for user in User.objects.filter(forum_profile__isnull=True):
        base = slugify(user.display_name or user.email.split("@")[0])[:50] or "membre"
        handle, n = base, 1
        while handle in taken:
            n += 1
            handle = f"{base}-{n}"
        taken.add(handle)
        ForumProfile.objects.create(user=user, handle=handle)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(create_schedules, remove_schedules),
        migrations.RunPython(source_categories, migrations.RunPython.noop),
        migrations.RunPython(forum_profiles, migrations.RunPython.noop),
    ]
