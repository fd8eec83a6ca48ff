"""Demo sources: a dozen realistic French networks, each with a history of checks.

The history is produced by the real check code (`checks.check_content`, the same pipeline as a
scheduled check minus the download) run against the feed files shipped in `sources/demo_feeds/`:
an older, shorter version of each feed, then a version with one renamed alternative, then the file as
it is. Run dates are then moved into the past so the dashboard shows a trend. "L'Heureux Cyclage" ends
failing (its server answers a maintenance page), Colibris has reports.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from accounts.demo import demo_user
from sources.models import ImportRun, OnboardingStep, Report, Source, SourceElement
from sources.services import checks, reports

from .demo_en import DESCRIPTIONS as DESCRIPTIONS_EN

FEEDS = Path(__file__).parent / "demo_feeds"

# slug, name, source_key, feed file, format, territory, website, maintainer prefix, description
SOURCES = [
    (
        "colibris",
        "Colibris — Près de chez nous",
        "PDCN",
        "colibris.json",
        "gogocarto",
        "",
        "https://www.colibris-lemouvement.org",
        "mainteneuse",
        "Le mouvement Colibris recense les initiatives écologiques et solidaires près de chez vous.",
    ),
    (
        "alternatiba",
        "Alternatiba",
        "Alternatiba",
        "alternatiba.json",
        "json",
        "",
        "https://alternatiba.eu",
        "mainteneur",
        "Les groupes locaux d'Alternatiba et d'ANV-COP21, mobilisés pour le climat.",
    ),
    (
        "amap",
        "Réseau des AMAP",
        "MIRAMAP",
        "amap.csv",
        "csv",
        "",
        "https://miramap.org",
        "ambassadrice",
        "Les AMAP : des paniers de produits paysans, en lien direct avec les fermes.",
    ),
    (
        "repair-cafe",
        "Repair Café France",
        "RepairCafe",
        "repair-cafe.geojson",
        "geojson",
        "",
        "https://www.repaircafe.org/fr/",
        None,
        "Des rencontres où l'on répare ensemble ses objets plutôt que de les jeter.",
    ),
    (
        "ressourceries",
        "Réseau des Ressourceries",
        "Ressourceries",
        "ressourceries.json",
        "gogocarto",
        "",
        "https://ressourceries.info",
        None,
        "Collecte, valorisation et revente d'objets : le réemploi au cœur des territoires.",
    ),
    (
        "heureux-cyclage",
        "L'Heureux Cyclage",
        "HeureuxCyclage",
        "heureux-cyclage.json",
        "json",
        "",
        "https://www.heureux-cyclage.org",
        "mainteneur",
        "Le réseau des ateliers participatifs et solidaires de réparation de vélos.",
    ),
    (
        "monnaies-locales",
        "Mouvement Sol — monnaies locales",
        "MonnaiesLocales",
        "monnaies-locales.csv",
        "csv",
        "",
        "https://sol-monnaie-locale.org",
        None,
        "Les monnaies locales complémentaires et leurs comptoirs de change.",
    ),
    (
        "habitat-participatif",
        "Habitat Participatif France",
        "HabitatParticipatif",
        "habitat-participatif.geojson",
        "geojson",
        "",
        "https://www.habitatparticipatif-france.fr",
        None,
        "Des groupes d'habitants qui conçoivent et gèrent ensemble leur lieu de vie.",
    ),
    (
        "enercoop",
        "Enercoop et énergie citoyenne",
        "Enercoop",
        "enercoop.json",
        "gogocarto",
        "",
        "https://www.enercoop.fr",
        None,
        "Coopératives d'électricité renouvelable et centrales villageoises.",
    ),
    (
        "oasis",
        "Coopérative Oasis",
        "Oasis",
        "oasis.json",
        "json",
        "",
        "https://cooperative-oasis.org",
        "mainteneuse",
        "Écolieux et habitats collectifs écologiques.",
    ),
    (
        "petits-debrouillards",
        "Les Petits Débrouillards",
        "PetitsDebrouillards",
        "petits-debrouillards.csv",
        "csv",
        "R53",
        "https://www.lespetitsdebrouillards.org",
        "partenaire",
        "Éducation populaire aux sciences et techniques, en Bretagne.",
    ),
    (
        "jardins-partages",
        "Le Jardin dans tous ses états",
        "JTSE",
        "jardins-partages.json",
        "gogocarto",
        "30",
        "https://jardins-partages.org",
        "mainteneuse",
        "Jardins partagés et familiaux du Gard.",
    ),
]

STEPS_BY_SOURCE = {"petits-debrouillards": 3, "habitat-participatif": 2, "monnaies-locales": 4}


def _variant(content: bytes, fmt: str, *, drop: int = 0, rename_first: bool = False) -> bytes:
    """An older version of a feed: without its last `drop` records, or with its first one renamed."""
    if fmt == "csv":
        lines = content.decode().splitlines()
        if rename_first:
            cells = lines[1].split(";")
            cells[1] = cells[1] + " (ancien nom)"
            lines[1] = ";".join(cells)
        return "\n".join(lines[: len(lines) - drop] if drop else lines).encode() + b"\n"
    document = json.loads(content)
    records = (
        document["features"]
        if fmt == "geojson"
        else document["data"]
        if isinstance(document, dict)
        else document
    )
    if rename_first:
        target = records[0]["properties"] if fmt == "geojson" else records[0]
        key = "nom" if fmt == "geojson" else "name"
        target[key] = target[key] + " (ancien nom)"
    if drop:
        del records[len(records) - drop :]
    return json.dumps(document, ensure_ascii=False).encode()


def _backdate(run: ImportRun, days: float) -> None:
    moment = timezone.now() - timedelta(days=days)
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=moment, finished_at=moment + timedelta(seconds=4), heartbeat_at=moment
    )


def load(*, stdout) -> None:
    now = timezone.now()
    staff = demo_user("equipe")
    for index, (slug, name, key, feed, fmt, territory, website, maintainer, description) in enumerate(
        SOURCES
    ):
        source, _created = Source.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "source_key": key,
                "feed_url": f"https://donnees.{slug}.example/transiscope/{feed}",
                "feed_format": fmt,
                "territory": territory,
                "website": website,
                "description": f"<p>{description}</p>",
                "description_en": f"<p>{DESCRIPTIONS_EN[slug]}</p>",
                "contact_email": f"donnees@{slug}.example",
                "joined_on": (now - timedelta(days=700 - index * 50)).date(),
                "charter_signed_on": (now - timedelta(days=690 - index * 50)).date(),
                "check_every_hours": 24 if index % 3 else 12,
                "next_check_at": now + timedelta(hours=12),
            },
        )
        if maintainer:
            source.maintainers.add(demo_user(maintainer))
        for step in OnboardingStep.ORDER[: STEPS_BY_SOURCE.get(slug, len(OnboardingStep.ORDER))]:
            if step != OnboardingStep.Step.FIRST_CLEAN_CHECK:
                OnboardingStep.objects.get_or_create(
                    source=source,
                    step=step,
                    defaults={
                        "done_on": source.joined_on + timedelta(days=10 * OnboardingStep.ORDER.index(step)),
                        "done_by": staff,
                    },
                )
        if source.runs.exists():
            continue
        content = (FEEDS / feed).read_bytes()
        history = [
            (21, _variant(content, fmt, drop=3)),
            (14, _variant(content, fmt, rename_first=True)),
            (7, content),
            (1, content),
        ]
        if slug == "heureux-cyclage":
            broken = (FEEDS / "heureux-cyclage-panne.json").read_bytes()
            history = history[:2] + [(7, broken), (3, broken), (1, broken)]
        for days, version in history:
            run = checks.check_content(source=source, content=version, trigger=ImportRun.Trigger.SCHEDULE)
            _backdate(run, days)
            if days == 21:
                SourceElement.objects.filter(source=source).update(first_seen_at=now - timedelta(days=21))
        counted = SourceElement.objects.filter(source=source, removed_at__isnull=True).count()
        Source.objects.filter(pk=source.pk).update(
            map_elements_count=max(counted - index % 4, 0), map_counted_at=now
        )

    colibris = Source.objects.get(slug="colibris")
    if not colibris.reports.exists():
        element = colibris.elements.order_by("element_id").first()
        reports.create_report(
            source=colibris,
            reason=Report.Reason.NO_LONGER_EXISTS,
            element_id=element.element_id,
            comment="Le local est fermé depuis l'été, l'association a déménagé.",
            reporter_email="membre@demo.transiscope.org",
        )
        second, _created = reports.create_report(
            source=colibris,
            reason=Report.Reason.WRONG_INFORMATION,
            channel=Report.Channel.GOGOCARTO,
            gogo_id="Xy12",
            element_id="colibris-5",
            url="https://transiscope.gogocarto.fr/annuaire#/fiche/epicerie/Xy12/",
            comment="Les horaires d'ouverture ne sont plus les bons.",
        )
        reports.set_report_status(
            report=second, status=Report.Status.ACKNOWLEDGED, by=demo_user("mainteneuse")
        )
        reports.create_report(
            source=colibris,
            reason=Report.Reason.DUPLICATE,
            element_id="colibris-doublon",
            comment="Même lieu que la fiche voisine.",
        )
    runs, reports_count = ImportRun.objects.count(), Report.objects.count()
    stdout.write(f"  sources: {len(SOURCES)} sources, {runs} runs, {reports_count} reports")
