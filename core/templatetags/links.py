"""`{% load links %}`: `{{ element.website|safe_url }}` gives an href that is http(s) or nothing."""

from django import template

from core.sanitize import safe_url as _safe_url

register = template.Library()


@register.filter
def safe_url(value) -> str:
    """The link if it is http or https (a bare host gets `http://`), else "": see `core.sanitize.safe_url`."""
    return _safe_url(value)
