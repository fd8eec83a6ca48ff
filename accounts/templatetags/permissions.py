"""Templates ask `accounts.permissions` too: `{% load permissions %}{% if request.user|is_team %}`."""

from django import template

from accounts import permissions

register = template.Library()


@register.filter
def is_team(user) -> bool:
    return permissions.is_team(user)


@register.filter
def can_moderate(user) -> bool:
    return permissions.can_moderate(user)


@register.filter
def can_access_admin(user) -> bool:
    return permissions.can_access_admin(user)


@register.filter
def can_export_answers(user) -> bool:
    return permissions.can_export_answers(user)


@register.filter
def can_view_all_sources(user) -> bool:
    return permissions.can_view_all_sources(user)


@register.filter
def can_moderate_agenda(user) -> bool:
    return permissions.can_moderate_agenda(user)
