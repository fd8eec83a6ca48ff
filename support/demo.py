"""Demo content: trusted partners across regions, canned answers, and requests in every status.

Built directly with the models (no e-mails sent); idempotent.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import demo_user
from support.models import CannedAnswer, Message, Partner, Referral, SupportRequest, Theme

PARTNERS = [
    # organisation, themes, coverage, départements, regions, languages, contact, e-mail, capacity, public
    (
        "Les Petits Débrouillards Bretagne",
        [Theme.CARTOPARTY, Theme.MAPPING_TOOLS],
        "local",
        ["29", "35"],
        ["53"],
        ["fr", "en"],
        "Yann Le Goff",
        "yann@petits-debrouillards.example",
        3,
        True,
    ),
    (
        "Colibris Occitanie",
        [Theme.COOPERATION, Theme.GOVERNANCE, Theme.CARTOPARTY],
        "local",
        ["30", "34"],
        ["76"],
        ["fr", "oc"],
        "Inès Roux",
        "ines@colibris-occitanie.example",
        4,
        True,
    ),
    (
        "Agenda du Libre",
        [Theme.AGENDA, Theme.MAPPING_TOOLS],
        "national",
        [],
        [],
        ["fr", "en"],
        "Frédéric Couchet",
        "contact@agendadulibre.example",
        5,
        True,
    ),
    (
        "Réseau des AMAP Auvergne-Rhône-Alpes",
        [Theme.COOPERATION, Theme.FUNDING],
        "local",
        ["69"],
        ["84"],
        ["fr"],
        "Salomé Berthier",
        "salome@amap-aura.example",
        2,
        True,
    ),
    (
        "Alternatiba Île-de-France",
        [Theme.COMMUNICATION, Theme.GOVERNANCE],
        "local",
        ["75", "93"],
        ["11"],
        ["fr", "en", "es"],
        "Hugo Martin",
        "hugo@alternatiba-idf.example",
        3,
        False,
    ),
    (
        "OpenStreetMap France",
        [Theme.CARTOPARTY, Theme.MAPPING_TOOLS],
        "national",
        [],
        [],
        ["fr", "en"],
        "Christian Quest",
        "contact@osm-france.example",
        6,
        True,
    ),
    (
        "Tiers-lieux Nouvelle-Aquitaine",
        [Theme.COOPERATION, Theme.FUNDING, Theme.GOVERNANCE],
        "local",
        ["33", "87"],
        ["75"],
        ["fr"],
        "Maëlle Dupuy",
        "maelle@tiers-lieux-na.example",
        3,
        False,
    ),
]

ANSWERS = [
    (
        "Accusé de lecture",
        "Bonjour {{ requester_name }},\n\nMerci pour la demande {{ reference }} de {{ collective }}. "
        "Nous cherchons le partenaire le mieux placé près de {{ territory }} et revenons vers vous d'ici "
        "une semaine. Vous pouvez suivre la demande avec le lien personnel de nos e-mails.",
        14,
    ),
    (
        "Cartopartie : les premières étapes",
        "Bonjour {{ requester_name }},\n\nPour une première cartopartie, choisissez un périmètre réduit "
        "(un quartier), une date avec une météo clémente et un point de rendez-vous. Le kit « Organiser une "
        "cartopartie » détaille le déroulé.",
        9,
    ),
    (
        "Hors de notre champ",
        "Bonjour {{ requester_name }},\n\nVotre demande ({{ theme }}) sort de ce que Transiscope et ses "
        "partenaires accompagnent. Le répertoire des partenaires peut vous orienter.",
        3,
    ),
]

# collective, contact, e-mail, commune, code, theme, status, days ago, partner (index), description
REQUESTS = [
    (
        "Quartiers en transition Nîmes",
        "Alice Fabre",
        "alice.fabre@exemple.org",
        "Nîmes",
        "30000",
        Theme.CARTOPARTY,
        "new",
        1,
        None,
        "Nous voulons cartographier les initiatives de notre quartier avec les habitant·es au printemps.",
    ),
    (
        "Brest en commun",
        "Erwan Kerjean",
        "erwan@exemple.org",
        "Brest",
        "29200",
        Theme.AGENDA,
        "triaged",
        5,
        None,
        "Nous cherchons comment rassembler les agendas des associations brestoises en un seul.",
    ),
    (
        "Lyon Zéro Déchet",
        "Claire Morel",
        "claire.morel@exemple.org",
        "Lyon",
        "69001",
        Theme.COOPERATION,
        "forwarded",
        4,
        3,
        "Plusieurs associations veulent mutualiser un local et un site : comment s'organiser ?",
    ),
    (
        "Rennes Alternatives",
        "Gaël Le Bihan",
        "gael@exemple.org",
        "Rennes",
        "35000",
        Theme.CARTOPARTY,
        "accepted",
        12,
        0,
        "Une cartopartie avec les étudiant·es pour la fête de la science.",
    ),
    (
        "Montpellier solidaire",
        "Nadia Benali",
        "nadia@exemple.org",
        "Montpellier",
        "34000",
        Theme.GOVERNANCE,
        "in_progress",
        30,
        1,
        "Notre collectif grandit vite ; nous voulons une gouvernance partagée sans nous épuiser.",
    ),
    (
        "Bordeaux Tiers-Lieux",
        "Jules Lafargue",
        "jules@exemple.org",
        "Bordeaux",
        "33000",
        Theme.FUNDING,
        "resolved",
        75,
        6,
        "Quels financements pour ouvrir un tiers-lieu associatif ?",
    ),
    (
        "Saint-Denis en transition",
        "Awa Diallo",
        "awa@exemple.org",
        "Saint-Denis",
        "93200",
        Theme.COMMUNICATION,
        "closed",
        120,
        4,
        "Nous voulons faire connaître la carte Transiscope dans notre ville.",
    ),
    (
        "Association des commerçants",
        "Marc Petit",
        "marc@exemple.org",
        "Strasbourg",
        "67000",
        Theme.OTHER,
        "declined",
        20,
        None,
        "Nous cherchons un prestataire pour refaire notre site marchand.",
    ),
    (
        "Collectif du Vercors",
        "Léna Rey",
        "lena@exemple.org",
        "Villard-de-Lans",
        "38250",
        Theme.AGENDA,
        "triaged",
        25,
        None,
        "Comment publier notre agenda des sorties nature sur la carte ?",
    ),
]


def _partners() -> list[Partner]:
    partners = []
    for org, themes, coverage, deps, regions, langs, name, email, capacity, public in PARTNERS:
        partner, _created = Partner.objects.update_or_create(
            organisation=org,
            defaults={
                "description": f"{org} accompagne les collectifs de la transition.",
                "themes": [str(theme) for theme in themes],
                "coverage": coverage,
                "departements": deps,
                "regions": regions,
                "languages": langs,
                "contact_name": name,
                "contact_email": email,
                "capacity": capacity,
                "in_directory": public,
            },
        )
        partners.append(partner)
    return partners


def _request(row, partners, team) -> SupportRequest:
    from core.territories import resolve

    collective, contact, email, commune, code, theme, status, days, partner_index, description = row
    now = timezone.now()
    created = now - timedelta(days=days)
    territory = resolve(code)
    support_request, created_now = SupportRequest.objects.get_or_create(
        collective=collective,
        defaults={
            "contact_name": contact,
            "contact_email": email,
            "commune": commune,
            "territory_code": code,
            "departement": territory.departement,
            "region": territory.region,
            "theme": str(theme),
            "description": description,
            "consent_at": created,
            "created_at": created,
            "status": status,
            "assigned_to": team if status != "new" else None,
            "token_expires_at": now + timedelta(days=180),
        },
    )
    if not created_now:
        return support_request
    Message.objects.create(
        request=support_request, author_kind="system", body="Statut : Nouvelle", created_at=created
    )
    if status in ("triaged", "declined") or partner_index is not None:
        Message.objects.create(
            request=support_request,
            author_kind="team",
            author_user=team,
            body=f"Bonjour {contact}, merci pour votre demande : nous cherchons le bon partenaire.",
            created_at=created + timedelta(days=1),
        )
        support_request.first_response_at = created + timedelta(days=1)
    if partner_index is not None:
        partner = partners[partner_index]
        referral_status = "pending" if status == "forwarded" else "accepted"
        Referral.objects.create(
            request=support_request,
            partner=partner,
            message=description,
            status=referral_status,
            sent_by=team,
            sent_at=created + timedelta(days=1),
            responded_at=created + timedelta(days=2) if referral_status == "accepted" else None,
            token_expires_at=now + timedelta(days=60),
        )
        if status in ("in_progress", "resolved", "closed"):
            Message.objects.create(
                request=support_request,
                author_kind="partner",
                partner=partner,
                body="Bonjour, nous pouvons nous voir la semaine prochaine pour en parler.",
                created_at=created + timedelta(days=3),
            )
    if status == "declined":
        Message.objects.create(
            request=support_request,
            author_kind="team",
            author_user=team,
            body="Cette demande sort de notre champ : nous vous conseillons une agence web locale.",
            created_at=created + timedelta(days=2),
        )
    if status in ("resolved", "closed", "declined"):
        support_request.finished_at = created + timedelta(days=20)
    if status in ("resolved", "closed"):
        support_request.resolved_at = created + timedelta(days=18)
    support_request.save()
    return support_request


def load(*, stdout) -> None:
    partners = _partners()
    for title, body, uses in ANSWERS:
        CannedAnswer.objects.update_or_create(title=title, defaults={"body": body, "usage_count": uses})
    team = demo_user("equipe")
    requests = [_request(row, partners, team) for row in REQUESTS]
    # A partner declined the Vercors request: it is back in triage, with the reason on record.
    vercors = requests[-1]
    if not vercors.referrals.exists():
        Referral.objects.create(
            request=vercors,
            partner=partners[2],
            message=vercors.description,
            status="declined",
            decline_reason="Nous ne couvrons pas les agendas de sorties nature, désolé.",
            sent_by=team,
            sent_at=vercors.created_at + timedelta(days=2),
            responded_at=vercors.created_at + timedelta(days=5),
            token_expires_at=timezone.now() + timedelta(days=60),
        )
    # A duplicate, merged into the first request.
    kept = requests[0]
    SupportRequest.objects.get_or_create(
        collective="Quartiers en transition (Nîmes)",
        defaults={
            "contact_name": kept.contact_name,
            "contact_email": kept.contact_email,
            "commune": kept.commune,
            "territory_code": kept.territory_code,
            "departement": kept.departement,
            "region": kept.region,
            "theme": kept.theme,
            "description": kept.description,
            "consent_at": kept.created_at,
            "status": "closed",
            "merged_into": kept,
            "finished_at": timezone.now(),
            "token_expires_at": timezone.now() + timedelta(days=180),
        },
    )
    stdout.write(
        f"  support: {len(partners)} partners, {len(ANSWERS)} canned answers, "
        f"{SupportRequest.objects.count()} requests"
    )
