"""Demo content: subscribers across territories and one archived issue."""

from datetime import timedelta

from django.utils import timezone

from newsletter.models import NewsletterIssue, Subscriber

SUBSCRIBERS = [
    ("lea.gard@exemple.org", "departement", "30", None, "monthly"),
    ("marc.nimes@exemple.org", "radius", "30189", 30, "monthly"),
    ("anne.finistere@exemple.org", "departement", "29", None, "monthly"),
    ("tom.brest@exemple.org", "radius", "29019", 20, "weekly"),
    ("sara.occitanie@exemple.org", "region", "76", None, "monthly"),
    ("lucas.paris@exemple.org", "departement", "75", None, "weekly"),
    ("ines.bretagne@exemple.org", "region", "53", None, "monthly"),
    ("hugo.lyon@exemple.org", "departement", "69", None, "monthly"),
]


def load(*, stdout) -> None:
    now = timezone.now()
    for email, scope, code, radius, frequency in SUBSCRIBERS:
        Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "scope": scope,
                "territory_code": code,
                "radius_km": radius,
                "frequency": frequency,
                "status": Subscriber.Status.ACTIVE,
                "confirmed_at": now,
            },
        )
    NewsletterIssue.objects.get_or_create(
        title="La lettre de Transiscope — octobre",
        defaults={
            "frequency": "monthly",
            "introduction": "Bonjour ! Ce mois-ci, **trois nouvelles sources** ont rejoint la carte et "
            "la cartoparty d'Alès a ajouté 43 alternatives.",
            "period_start": now - timedelta(days=60),
            "period_end": now - timedelta(days=30),
            "status": NewsletterIssue.Status.SENT,
            "sent_at": now - timedelta(days=29),
            "recipient_count": 6,
        },
    )
    NewsletterIssue.objects.get_or_create(
        title="La lettre de Transiscope — novembre",
        defaults={
            "frequency": "monthly",
            "introduction": "Édito à écrire.",
            "period_start": now - timedelta(days=30),
            "period_end": now,
        },
    )
    stdout.write(f"  newsletter: {len(SUBSCRIBERS)} subscribers, 1 archived issue, 1 draft")
