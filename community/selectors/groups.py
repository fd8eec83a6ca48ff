"""Reads of the working groups: the groups with who welcomes and who leads them."""

from django.db.models import QuerySet

from ..models import WorkingGroup


def working_groups() -> QuerySet[WorkingGroup]:
    """Every group with its facilitator, welcomer and referents loaded (the list and a group's page)."""
    return WorkingGroup.objects.select_related("facilitator", "welcomer").prefetch_related("referents")
