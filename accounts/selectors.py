"""Reads about people: the personal-data export (RGPD) and what the accounts app itself stores."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import ROLES
from core import extensions


def personal_data(*, user: User) -> dict:
    """What the accounts app stores about a person (besides the profile fields, exported separately)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {"code": name, "label": str(ROLES.get(name, name))}
            for name in user.groups.order_by("name").values_list("name", flat=True)
        ],
        "two_factor_methods": [
            {"type": authenticator.type, "created_at": authenticator.created_at.isoformat()}
            for authenticator in Authenticator.objects.filter(user=user).order_by("type")
        ],
    }


def verified_emails(*, user: User) -> list[str]:
    """The person's addresses that they proved are theirs (allauth's EmailAddress, verified), lower-cased.

    Anything found by e-mail (support requests, testimonies, newsletter subscription, reports) is joined on
    these only: an account that merely typed someone's address must not see what that person sent."""
    from allauth.account.models import EmailAddress

    return sorted(
        {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        }
    )


def verified_email_q(field: str, *, user: User) -> Q:
    """Rows whose `field` is one of the person's verified addresses (no row when they have none)."""
    query = Q(pk__in=[])
    for email in verified_emails(user=user):
        query |= Q(**{f"{field}__iexact": email})
    return query


def user_data_export(*, user: User) -> dict:
    """Everything the portal keeps about a person, as JSON-serialisable data: the account, then what each
    app registered under `core.extensions.PERSONAL_DATA` returns, under the app's label."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "organisation": user.organisation,
            "territory": user.territory,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_staff": user.is_staff,
        },
        "apps": _apps_personal_data(user=user),
    }


def _apps_personal_data(*, user: User) -> dict:
    data = {}
    for label, function in extensions.contributions(extensions.PERSONAL_DATA):
        if label in data:
            raise extensions.ExtensionError(f"Two personal-data functions are registered for {label}.")
        data[label] = function(user=user)
    return data
