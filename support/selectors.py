"""Reads of the support app: secret links, the team's queue, partner suggestions, figures."""

import statistics
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import verified_email_q
from core import territories
from support.models import (
    CannedAnswer,
    FaqAnswerUse,
    Message,
    Partner,
    Referral,
    SecretLink,
    SupportRequest,
    Theme,
    hash_token,
)

# ---------------------------------------------------------------------------------------------------------
# Secret links


def _link_exists(*, token: str, **lookup) -> bool:
    """Whether a link with this token was sent. Only hashes are stored, and looking one up in the database
    leaks nothing useful through timing: an attacker cannot choose tokens with a given hash prefix."""
    return SecretLink.objects.filter(token_hash=hash_token(token), **lookup).exists()


def request_for_token(*, pk: int, token: str) -> SupportRequest | None:
    """The request a requester's link opens, or None when the link is wrong, expired or anonymised."""
    support_request = SupportRequest.objects.filter(
        pk=pk, anonymised_at__isnull=True, token_expires_at__gt=timezone.now()
    ).first()
    if support_request is None or not _link_exists(
        token=token, request=support_request, referral__isnull=True
    ):
        return None
    return support_request


def referral_for_token(*, pk: int, token: str) -> Referral | None:
    """The referral a partner's link opens, or None when the link is wrong, expired or withdrawn."""
    referral = (
        Referral.objects.select_related("request", "partner")
        .filter(pk=pk, token_expires_at__gt=timezone.now(), request__anonymised_at__isnull=True)
        .exclude(status__in=[Referral.Status.EXPIRED, Referral.Status.WITHDRAWN])
        .first()
    )
    if referral is None or not _link_exists(token=token, referral=referral):
        return None
    return referral


def thread_for_requester(*, support_request: SupportRequest) -> QuerySet[Message]:
    return support_request.messages.filter(internal=False).select_related("partner", "request")


def thread_for_partner(*, referral: Referral) -> QuerySet[Message]:
    """Before accepting, a partner sees only what they wrote; after, the public thread of the request."""
    messages = referral.request.messages.select_related("partner", "request")
    if referral.status == Referral.Status.ACCEPTED:
        return messages.filter(Q(internal=False) | Q(partner=referral.partner))
    return messages.filter(partner=referral.partner)


def thread_for_team(*, support_request: SupportRequest) -> QuerySet[Message]:
    return support_request.messages.select_related("partner", "author_user", "request")


def active_referral(*, support_request: SupportRequest) -> Referral | None:
    return (
        support_request.referrals.select_related("partner")
        .filter(status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED])
        .first()
    )


# ---------------------------------------------------------------------------------------------------------
# The team's queue


def request_queue(
    *, status: str = "", theme: str = "", assigned=None, unassigned: bool = False, query: str = ""
) -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.select_related("assigned_to").annotate(
        open_referrals=Count(
            "referrals", filter=Q(referrals__status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED])
        )
    )
    if status == "open":
        requests = requests.filter(status__in=SupportRequest.OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    if theme:
        requests = requests.filter(theme=theme)
    if assigned is not None:
        requests = requests.filter(assigned_to=assigned)
    if unassigned:
        requests = requests.filter(assigned_to__isnull=True)
    if query:
        reference = query.upper().removeprefix("ACC-").lstrip("0")
        condition = (
            Q(collective__icontains=query)
            | Q(contact_name__icontains=query)
            | Q(contact_email__icontains=query)
            | Q(commune__icontains=query)
            | Q(description__icontains=query)
        )
        if reference.isdigit():
            condition |= Q(pk=int(reference))
        requests = requests.filter(condition)
    return requests.order_by("-created_at")


def request_by_reference(reference: str) -> SupportRequest | None:
    number = (reference or "").strip().upper().removeprefix("ACC-").lstrip("0")
    if not number.isdigit():
        return None
    return SupportRequest.objects.filter(pk=int(number)).first()


def canned_answers() -> QuerySet[CannedAnswer]:
    return CannedAnswer.objects.filter(is_active=True)


def faq_entries(*, query: str = "", language: str | None = None) -> list:
    """FAQ entries of the kits app offered as canned answers (none while that app does not provide them)."""
    try:
        from kits.selectors import faq_entries_for_reuse
    except ImportError:
        return []
    return list(faq_entries_for_reuse(query=query, language=language))


def faq_usage() -> QuerySet[FaqAnswerUse]:
    return FaqAnswerUse.objects.all()


# ---------------------------------------------------------------------------------------------------------
# Suggested partners


TERRITORY_DEPARTEMENT = 3
TERRITORY_REGION = 2
TERRITORY_NATIONAL = 1
TERRITORY_NONE = 0


@dataclass
class Suggestion:
    partner: Partner
    theme_match: bool
    territory_level: int
    load: int

    @property
    def capacity(self) -> int:
        return self.partner.capacity

    @property
    def is_full(self) -> bool:
        return self.load >= self.partner.capacity

    @property
    def load_ratio(self) -> float:
        return self.load / self.partner.capacity if self.partner.capacity else 1.0

    @property
    def territory_label(self) -> str:
        return {
            TERRITORY_DEPARTEMENT: _("même département"),
            TERRITORY_REGION: _("même région"),
            TERRITORY_NATIONAL: _("national"),
        }.get(self.territory_level, _("hors territoire"))

    def sort_key(self):
        return (
            not self.theme_match,
            -self.territory_level,
            self.is_full,
            self.load_ratio,
            self.partner.organisation.lower(),
        )


def territory_level(*, partner: Partner, departement: str, region: str) -> int:
    if departement and departement in partner.departements:
        return TERRITORY_DEPARTEMENT
    # A partner working in another département of the same region is nearer than a national one.
    if region and (
        region in partner.regions
        or any(territories.region_of(code) == region for code in partner.departements)
    ):
        return TERRITORY_REGION
    if partner.is_national:
        return TERRITORY_NATIONAL
    return TERRITORY_NONE


def partner_loads() -> dict[int, int]:
    """How many requests each partner is currently holding (waiting for their answer or accepted)."""
    rows = (
        Referral.objects.filter(
            status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED],
            request__status__in=SupportRequest.OPEN_STATUSES,
        )
        .values("partner_id")
        .annotate(n=Count("pk"))
    )
    return {row["partner_id"]: row["n"] for row in rows}


def suggest_partners(*, support_request: SupportRequest, limit: int | None = 5) -> list[Suggestion]:
    """Active partners ranked by theme match, then territory (same département, region, national),
    then current load. Partners already asked for this request and those matching neither the theme
    nor the territory are left out."""
    already_asked = set(support_request.referrals.values_list("partner_id", flat=True))
    loads = partner_loads()
    suggestions = []
    for partner in Partner.objects.filter(is_active=True).exclude(pk__in=already_asked):
        suggestion = Suggestion(
            partner=partner,
            theme_match=support_request.theme in partner.themes,
            territory_level=territory_level(
                partner=partner, departement=support_request.departement, region=support_request.region
            ),
            load=loads.get(partner.pk, 0),
        )
        if suggestion.theme_match or suggestion.territory_level > TERRITORY_NONE:
            suggestions.append(suggestion)
    suggestions.sort(key=Suggestion.sort_key)
    return suggestions[:limit] if limit else suggestions


# ---------------------------------------------------------------------------------------------------------
# Public directory


def directory_partners(*, theme: str = "", region: str = "") -> list[Partner]:
    partners = list(Partner.objects.filter(is_active=True, in_directory=True))
    if theme:
        partners = [partner for partner in partners if theme in partner.themes]
    if region:
        partners = [
            partner
            for partner in partners
            if partner.is_national
            or region in partner.regions
            or any(territories.region_of(code) == region for code in partner.departements)
        ]
    return partners


# ---------------------------------------------------------------------------------------------------------
# Figures for the steering committee


def _median_days(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(duration.total_seconds() for duration in durations) / 86400, 1)


def _bars(counts: list[tuple[str, int]]) -> dict:
    """Geometry of a horizontal SVG bar chart, computed here so the template only draws."""
    top = max((count for _label, count in counts), default=0) or 1
    row_height = 24
    bars = [
        {
            "label": label,
            "value": count,
            "y": index * row_height,
            "text_y": index * row_height + 16,
            "width": round(count / top * 100, 1),
        }
        for index, (label, count) in enumerate(counts)
    ]
    return {"bars": bars, "height": max(len(bars) * row_height, row_height)}


def month_starts(*, months: int, now=None) -> list[str]:
    now = timezone.localtime(now or timezone.now())
    year, month = now.year, now.month
    keys = []
    for _step in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))


def support_figures(*, months: int = 12, unmet_after_days: int = 14) -> dict:
    """Requests per theme, region and month, response and resolution medians, acceptance rates, and
    where needs are not met. Merged duplicates are not counted."""
    requests = list(
        SupportRequest.objects.filter(merged_into__isnull=True).only(
            "pk",
            "theme",
            "region",
            "status",
            "created_at",
            "first_response_at",
            "resolved_at",
            "departement",
        )
    )
    themes = Counter(r.theme for r in requests)
    regions = Counter(r.region for r in requests)
    month_keys = month_starts(months=months)
    per_month = OrderedDict((key, 0) for key in month_keys)
    for r in requests:
        key = timezone.localtime(r.created_at).strftime("%Y-%m")
        if key in per_month:
            per_month[key] += 1
    first_answers = [r.first_response_at - r.created_at for r in requests if r.first_response_at]
    resolutions = [r.resolved_at - r.created_at for r in requests if r.resolved_at]

    referral_rows = Referral.objects.values("partner_id", "partner__organisation", "status")
    per_partner: dict[int, dict] = {}
    for row in referral_rows:
        entry = per_partner.setdefault(
            row["partner_id"],
            {"partner": row["partner__organisation"], "sent": 0, "accepted": 0, "declined": 0, "expired": 0},
        )
        entry["sent"] += 1
        if row["status"] in entry:
            entry[row["status"]] += 1
    acceptance = []
    for entry in sorted(per_partner.values(), key=lambda e: e["partner"].lower()):
        answered = entry["accepted"] + entry["declined"] + entry["expired"]
        entry["rate"] = round(100 * entry["accepted"] / answered) if answered else None
        acceptance.append(entry)

    waiting_since = timezone.now() - timedelta(days=unmet_after_days)
    unmet_requests = [
        r
        for r in requests
        if r.status in (SupportRequest.Status.NEW, SupportRequest.Status.TRIAGED)
        and r.created_at < waiting_since
    ]
    active_partners = list(Partner.objects.filter(is_active=True))
    uncovered = Counter()
    for r in requests:
        covered = any(
            r.theme in partner.themes
            and territory_level(partner=partner, departement=r.departement, region=r.region) > TERRITORY_NONE
            for partner in active_partners
        )
        if not covered:
            uncovered[(r.theme, r.region)] += 1
    theme_labels = dict(Theme.choices)
    return {
        "total": len(requests),
        "open": sum(1 for r in requests if r.status in SupportRequest.OPEN_STATUSES),
        "resolved": sum(1 for r in requests if r.status == SupportRequest.Status.RESOLVED),
        "declined": sum(1 for r in requests if r.status == SupportRequest.Status.DECLINED),
        "by_theme": _bars([(str(theme_labels.get(k, k)), n) for k, n in themes.most_common()]),
        "by_region": _bars(
            [(territories.REGIONS.get(k, _("Territoire inconnu")), n) for k, n in regions.most_common()]
        ),
        "by_month": _bars(list(per_month.items())),
        "median_first_answer_days": _median_days(first_answers),
        "median_resolution_days": _median_days(resolutions),
        "acceptance": acceptance,
        "unmet_after_days": unmet_after_days,
        "unmet_waiting": len(unmet_requests),
        "unmet_declined": sum(1 for r in requests if r.status == SupportRequest.Status.DECLINED),
        "uncovered": [
            {
                "theme": str(theme_labels.get(theme, theme)),
                "region": territories.REGIONS.get(region, _("Territoire inconnu")),
                "count": count,
            }
            for (theme, region), count in uncovered.most_common()
        ],
    }


def figures_csv_rows() -> list[list]:
    """One anonymous line per request: what the committee needs, no contact data."""
    rows = [
        [
            "reference",
            "month",
            "theme",
            "departement",
            "region",
            "status",
            "days_to_first_answer",
            "days_to_resolution",
            "partners_asked",
            "partner_accepted",
        ]
    ]
    requests = (
        SupportRequest.objects.filter(merged_into__isnull=True)
        .annotate(
            asked=Count("referrals"),
        )
        .prefetch_related("referrals__partner")
        .order_by("created_at")
    )
    for r in requests:
        accepted = next(
            (ref.partner.organisation for ref in r.referrals.all() if ref.status == Referral.Status.ACCEPTED),
            "",
        )
        rows.append(
            [
                r.reference,
                timezone.localtime(r.created_at).strftime("%Y-%m"),
                r.theme,
                r.departement,
                territories.REGIONS.get(r.region, ""),
                r.status,
                _days(r.first_response_at, r.created_at),
                _days(r.resolved_at, r.created_at),
                r.asked,
                accepted,
            ]
        )
    return rows


def _days(end, start) -> str:
    return f"{(end - start).total_seconds() / 86400:.1f}" if end else ""


# ---------------------------------------------------------------------------------------------------------
# Home page and RGPD


def key_figures() -> list[dict]:
    handled = SupportRequest.objects.filter(
        merged_into__isnull=True,
        status__in=[
            SupportRequest.Status.ACCEPTED,
            SupportRequest.Status.IN_PROGRESS,
            SupportRequest.Status.RESOLVED,
            SupportRequest.Status.CLOSED,
        ],
    ).count()
    return [{"value": handled, "label": _("demandes d'accompagnement prises en charge")}]


def home_section(*, request):
    return None


def personal_data(*, user) -> dict:
    """The requests made with the person's e-mail address, and their messages."""
    requests = SupportRequest.objects.filter(verified_email_q("contact_email", user=user)).prefetch_related(
        "messages"
    )
    return {
        "support_requests": [
            {
                "reference": r.reference,
                "collective": r.collective,
                "contact_name": r.contact_name,
                "contact_email": r.contact_email,
                "commune": r.commune,
                "territory_code": r.territory_code,
                "theme": r.theme,
                "description": r.description,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "consent_at": r.consent_at.isoformat(),
                "messages": [
                    {"created_at": m.created_at.isoformat(), "body": m.body}
                    for m in r.messages.all()
                    if m.author_kind == Message.Author.REQUESTER
                ],
            }
            for r in requests
        ],
        "assigned_support_requests": [
            f"ACC-{pk:05d}"
            for pk in SupportRequest.objects.filter(assigned_to=user).values_list("pk", flat=True)
        ],
    }
