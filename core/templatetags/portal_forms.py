"""Form helpers for templates: `{% load portal_forms %}{% if field|is_honeypot %}`."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def is_honeypot(bound_field) -> bool:
    """The field robots fill in and people never see: `core.forms.HoneypotFormMixin`'s, or allauth's
    sign-up honeypot (`ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD`). Its name is written in one place only."""
    form = getattr(bound_field, "form", None)
    names = {
        getattr(form, "honeypot_field_name", None),
        getattr(settings, "ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD", None),
    }
    return bound_field.name in names - {None}
