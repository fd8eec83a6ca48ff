"""The support app's settings, each with a default so the project settings only name what differs."""

from django.conf import settings


def partner_reply_days() -> int:
    """Days a partner has to accept or decline before a reminder; as many again before the request
    goes back to triage."""
    return int(getattr(settings, "SUPPORT_PARTNER_REPLY_DAYS", 7))


def retention_days() -> int:
    """Days after a request is finished before the requester's contact data is anonymised."""
    return int(getattr(settings, "SUPPORT_RETENTION_DAYS", 365))


def inactivity_days() -> int:
    """Days without any activity (change, message, note) after which an open request is closed as
    abandoned and its requester's contact data anonymised."""
    return int(getattr(settings, "SUPPORT_INACTIVITY_DAYS", 365))


def requester_link_days() -> int:
    """Days the requester's status link stays valid after the last activity."""
    return int(getattr(settings, "SUPPORT_REQUESTER_LINK_DAYS", 180))


def partner_link_days() -> int:
    return int(getattr(settings, "SUPPORT_PARTNER_LINK_DAYS", 90))


def team_email() -> str:
    """Where news of requests nobody is assigned to goes."""
    return getattr(settings, "SUPPORT_TEAM_EMAIL", "accompagnement@transiscope.org")


def form_rate(group, request) -> str:
    """django-ratelimit rate of the public request form (per IP address)."""
    return getattr(settings, "SUPPORT_FORM_RATE", "5/h")


def link_rate(group, request) -> str:
    """django-ratelimit rate of the actions made through secret links (per IP address)."""
    return getattr(settings, "SUPPORT_LINK_RATE", "60/h")
