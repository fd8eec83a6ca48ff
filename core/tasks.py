"""Periodic work of the kernel (scheduled by core/migrations/0004_schedules.py)."""

from core import services


def clear_submission_tokens() -> int:
    return services.submission_tokens_clear()
