"""Periodic work of the community app (django-q2 schedules created by a migration). Thin: call services."""

from . import services
from .models import Post, Subscription


def notify_post(post_id: int) -> dict | None:
    post = Post.objects.filter(pk=post_id, status=Post.Status.PUBLISHED).first()
    return services.notify_post_published(post=post) if post else None


def send_daily_digests() -> int:
    return services.digests_send(frequency=Subscription.Frequency.DAILY)


def send_weekly_digests() -> int:
    return services.digests_send(frequency=Subscription.Frequency.WEEKLY)


def send_follow_up_reminders() -> int:
    return services.follow_up_reminders_send()


def send_questionnaire_reminders() -> int:
    return services.questionnaire_reminders_send()
