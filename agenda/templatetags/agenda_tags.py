"""Template helpers of the agenda."""

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def source_url(source) -> str:
    """The source's page, or '' while the sources app does not publish one."""
    try:
        return source.get_absolute_url()
    except NoReverseMatch:
        return source.website or ""
