"""Demo accounts: one per role, all with the same known password, e-mail already verified."""

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User

DEMO_PASSWORD = "transiscope-demo"  # noqa: S105  (printed by `make run`; demo only)

DEMO_ACCOUNTS = [
    # e-mail, display name, organisation, territory, roles, staff/superuser
    ("admin@demo.transiscope.org", "Camille Admin", "Transiscope", "75", [roles.STAFF], True),
    ("equipe@demo.transiscope.org", "Léa Équipe", "Transiscope", "69", [roles.STAFF], True),
    (
        "mainteneuse@demo.transiscope.org",
        "Inès Mainteneuse",
        "Colibris",
        "30",
        [roles.SOURCE_MAINTAINER],
        False,
    ),
    (
        "mainteneur@demo.transiscope.org",
        "Hugo Mainteneur",
        "Alternatiba",
        "29",
        [roles.SOURCE_MAINTAINER],
        False,
    ),
    (
        "ambassadrice@demo.transiscope.org",
        "Salomé Ambassadrice",
        "Réseau des AMAP",
        "34",
        [roles.AMBASSADOR],
        False,
    ),
    ("copil@demo.transiscope.org", "Bernard Copil", "Transiscope", "13", [roles.STEERING_COMMITTEE], False),
    (
        "communication@demo.transiscope.org",
        "Nora Communication",
        "Transiscope",
        "44",
        [roles.COMMUNICATION_GROUP],
        False,
    ),
    (
        "partenaire@demo.transiscope.org",
        "Yann Partenaire",
        "Les Petits Débrouillards",
        "35",
        [roles.TRUSTED_PARTNER],
        False,
    ),
    ("membre@demo.transiscope.org", "Zoé Membre", "", "30189", [], False),
]


def load(*, stdout) -> None:
    from allauth.account.models import EmailAddress

    for email, name, organisation, territory, role_names, is_staff in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "organisation": organisation,
                "territory": territory,
                "is_staff": is_staff,
                "is_superuser": is_staff and email.startswith("admin@"),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=role_names))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    stdout.write(f"  accounts: {len(DEMO_ACCOUNTS)} demo accounts (password: {DEMO_PASSWORD})")


def demo_user(email_prefix: str) -> User:
    """The demo account whose e-mail starts with `email_prefix` (e.g. "mainteneuse")."""
    return User.objects.get(email=f"{email_prefix}@demo.transiscope.org")
