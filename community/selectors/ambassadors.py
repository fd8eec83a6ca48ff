"""Reads of the ambassador programme: the directory (opt-in fields only), the map, follow-up."""

from datetime import timedelta

from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Count,
    Func,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from core.territories import DEPARTEMENTS, REGIONS
from kits.selectors import learning_record as kits_learning_record

from ..models import (
    AmbassadorApplication,
    AmbassadorProfile,
    ForumProfile,
)

DIRECTORY_PER_PAGE = 24


class JSONListHas(Func):
    """True when a JSON list column holds a given string. Django's JSONField `contains` is not
    available on SQLite, so this says it in each database's own words."""

    output_field = BooleanField()
    conditional = True
    arity = 2

    def _parts(self, compiler):
        column, column_params = compiler.compile(self.source_expressions[0])
        value, value_params = compiler.compile(self.source_expressions[1])
        return column, value, (*column_params, *value_params)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"JSONListHas is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        column, value, params = self._parts(compiler)
        # column and value are compiled SQL fragments; the value itself travels in params.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"  # noqa: S608
        return sql, params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, value, params = self._parts(compiler)
        return f"({column} ? {value})", params  # jsonb: a string element of the top-level array


def directory_profiles() -> QuerySet[AmbassadorProfile]:
    """The ambassadors whose page anyone may see: they opted in to the directory and their account is on."""
    return AmbassadorProfile.objects.filter(show_in_directory=True, user__is_active=True)


def directory(
    *, departement: str = "", region: str = "", theme: str = "", language: str = "", kind: str = ""
) -> QuerySet[AmbassadorProfile]:
    """Ambassadors in the directory, filtered in the database, with only what the list may show
    (organisation is shown when the ambassador ticked the box; presentation and notes are not loaded)."""
    profiles = directory_profiles()
    if departement:
        profiles = profiles.filter(departement=departement)
    if region:
        profiles = profiles.filter(region=region)
    if kind:
        profiles = profiles.filter(kind=kind)
    if theme:
        profiles = profiles.filter(JSONListHas("themes", Value(theme)))
    if language:
        profiles = profiles.filter(JSONListHas("languages", Value(language)))
    return (
        profiles.select_related("user")
        .only(
            "kind",
            "departement",
            "region",
            "themes",
            "languages",
            "organisation",
            "show_organisation",
            "is_available",
            "user__display_name",
        )
        .order_by("user__display_name", "pk")
    )


def directory_profile_pk() -> Subquery:
    """For a query on anything with a `user`: the pk of that person's directory page, or None."""
    return Subquery(directory_profiles().filter(user=OuterRef("user")).values("pk")[:1])


def forum_profiles_by_handle(*, handles) -> QuerySet[ForumProfile]:
    """Forum profiles of these lower-case handles (how mentions are resolved, for e-mails and pages)."""
    return ForumProfile.objects.filter(handle__in=handles)


def ambassador_map() -> list[dict]:
    """Ambassadors in the directory per region and département, for the server-rendered map."""
    counts = dict(
        directory_profiles()
        .values_list("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    regions = []
    for region_code, region_name in sorted(REGIONS.items(), key=lambda item: item[1]):
        departements = [
            {"code": code, "name": name, "count": counts.get(code, 0)}
            for code, (name, region) in DEPARTEMENTS.items()
            if region == region_code
        ]
        regions.append(
            {
                "code": region_code,
                "name": region_name,
                "count": sum(d["count"] for d in departements),
                "departements": departements,
            }
        )
    return regions


def inactive_ambassadors(*, months: int, now=None) -> list[AmbassadorProfile]:
    """Ambassadors with no sign of activity (sign-in, forum post, follow-up exchange) for `months` months."""
    now = now or timezone.now()
    threshold = now - timedelta(days=30 * months)
    epoch = timezone.make_aware(timezone.datetime(2000, 1, 1))
    profiles = AmbassadorProfile.objects.select_related("user").annotate(
        last_post=Max("user__forum_posts__created_at"), last_exchange=Max("exchanges__created_at")
    )
    inactive = []
    for profile in profiles:
        moments = [profile.user.last_login, profile.last_post, profile.last_exchange]
        profile.last_activity = max((m for m in moments if m), default=None)
        if (profile.last_activity or epoch) < threshold:
            inactive.append(profile)
    return sorted(inactive, key=lambda p: p.last_activity or epoch)


def pending_applications() -> QuerySet[AmbassadorApplication]:
    return AmbassadorApplication.objects.filter(status=AmbassadorApplication.Status.PENDING).select_related(
        "user", "source"
    )


def learning_record(*, user):
    """Trainings attended and kits completed (the kits app keeps them)."""
    return kits_learning_record(user=user)
