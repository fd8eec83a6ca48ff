# ruff: noqa: E501  (long French sentences of demo content)
"""Demo content of the kits app: the strategy's kits, an FAQ, sessions past and future with registrations.

Idempotent: pages are found by slug, snippets and sessions by natural keys.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Locale, Page

from accounts.demo import demo_user
from core.demo_translation import translate_page, with_block_ids
from kits.models import (
    AudienceOption,
    FaqCategory,
    FaqEntry,
    FaqIndexPage,
    FormatOption,
    KitIndexPage,
    KitPage,
    Registration,
    ResponsibleGroup,
    TrainingSession,
)

from . import demo_en

PARIS = ZoneInfo("Europe/Paris")

GROUPS = {
    "sources": ("Groupe sources", "Accompagne les organisations qui alimentent la carte et veille à la qualité des données."),
    "communication": ("Groupe communication", "Anime le réseau des ambassadeur·rices et les supports de communication."),
    "copil": ("Comité de pilotage", "Porte la stratégie de Transiscope et la coopération entre réseaux."),
    "collectifs": ("Groupe collectifs locaux", "Soutient les collectifs qui font vivre Transiscope sur leur territoire."),
}  # fmt: skip

# slug, title, theme, formats, audiences, group, minutes, summary, steps
KITS = [
    ("outils-gogocarto-bus-semantique", "Les outils de la carte : GoGoCarto et le Bus sémantique", "tools",
     ["kit", "remote"], ["sources", "ambassadors"], "sources", 60,
     "Comprendre comment les données des réseaux arrivent sur Transiscope, et utiliser GoGoCarto pour les consulter et les corriger.",
     [("text", "Comment la carte est fabriquée", "<p>Chaque réseau partenaire garde sa propre base. Le <b>Bus sémantique</b> "
       "récupère ces données, les traduit dans un vocabulaire commun et les transmet à <b>GoGoCarto</b>, qui les affiche.</p>"),
      ("checklist", "Avant de commencer", ["Avoir un compte sur le portail", "Connaître le nom de votre réseau dans la carte",
                                          "Repérer deux fiches de votre territoire"]),
      ("callout", "Bon à savoir", "<p>Une correction faite dans GoGoCarto est écrasée au prochain import : corrigez à la source.</p>"),
      ("text", "Corriger une fiche à la source", "<p>Depuis la fiche, suivez le lien « voir la source » et modifiez l'information "
       "dans la base du réseau. La carte se met à jour à l'import suivant (chaque nuit).</p>")]),
    ("cooperer-entre-organisations", "Coopérer entre organisations", "cooperation", ["kit", "in_person"],
     ["steering", "sources"], "copil", 45,
     "Partager des données et des outils entre réseaux sans perdre son identité : les règles du jeu de Transiscope.",
     [("text", "Pourquoi coopérer", "<p>Aucune organisation ne recense seule toutes les alternatives. Mettre nos cartes en commun, "
       "c'est offrir au public une vue d'ensemble.</p>"),
      ("checklist", "Les engagements réciproques", ["Citer la source de chaque donnée", "Signaler les erreurs plutôt que les corriger en silence",
                                                   "Partager sous licence ouverte (ODbL)"])]),
    ("etre-ambassadeur", "Être ambassadeur·rice de Transiscope", "ambassador", ["kit", "remote", "one_to_one"],
     ["ambassadors", "public"], "communication", 40,
     "Faire connaître la carte autour de soi : présenter Transiscope, répondre aux questions, remonter les besoins.",
     [("text", "Le rôle", "<p>L'ambassadeur·rice relaie la carte sur son territoire, aide les organisations à y figurer et fait "
       "remonter ce qui manque.</p>"),
      ("callout", "Astuce", "<p>Commencez par trois structures que vous connaissez bien : leurs retours vous serviront d'exemples.</p>"),
      ("checklist", "Ma première présentation", ["Préparer la carte de mon territoire", "Imprimer le flyer", "Noter les questions posées"])]),
    ("maintenir-enrichir-donnees", "Maintenir et enrichir les données", "data", ["kit", "remote", "one_to_one"],
     ["sources"], "sources", 50,
     "Garder des fiches à jour, éviter les doublons et compléter les informations utiles au public.",
     [("text", "Les informations qui comptent", "<p>Adresse précise, horaires, catégorie et lien vers le site : ce sont les "
       "champs que le public consulte le plus.</p>"),
      ("checklist", "Contrôle trimestriel", ["Vérifier les structures fermées", "Fusionner les doublons signalés", "Compléter les horaires"])]),
    ("organiser-cartopartie", "Organiser une cartopartie", "cartoparty", ["kit", "remote", "in_person"],
     ["collectives", "public"], "collectifs", 90,
     "Réunir des habitant·es pour recenser ensemble les alternatives d'un quartier ou d'une commune.",
     [("text", "Choisir le lieu et la date", "<p>Un lieu accessible, avec une connexion, un samedi matin : la formule qui "
       "marche le mieux.</p>"),
      ("checklist", "Le matériel", ["Tablettes ou téléphones chargés", "Cartes papier du quartier", "Fiches de recensement imprimées"]),
      ("callout", "Attention", "<p>Demandez toujours l'accord des structures avant de publier leurs informations.</p>")]),
    ("agendas-agregatifs", "Mettre en place un agenda agrégatif", "agendas", ["kit", "remote"], ["collectives", "sources"],
     "collectifs", 45,
     "Rassembler les agendas des associations d'un territoire dans un seul calendrier, sans ressaisie.",
     [("text", "Le principe", "<p>Chaque association publie son agenda au format ICS ; le portail les rassemble, repère les "
       "doublons et publie un agenda commun.</p>"),
      ("checklist", "Pour chaque association", ["Trouver l'adresse ICS de son agenda", "La proposer sur le portail", "Vérifier le premier import"])]),
    ("besoins-ressources-partageables", "Recenser besoins et ressources partageables", "needs", ["kit", "in_person"],
     ["collectives"], "collectifs", 60,
     "Lister ce dont les structures ont besoin et ce qu'elles peuvent prêter : salles, matériel, compétences.",
     [("text", "Pourquoi recenser", "<p>Un camion, une salle ou une compétence dormante chez l'un peut débloquer le projet d'un autre.</p>"),
      ("checklist", "L'atelier", ["Tour de table des besoins", "Tour de table des ressources", "Mise en relation"])]),
    ("rencontres-entre-acteurs", "Organiser des rencontres entre acteurs", "meetings", ["kit", "in_person", "other"],
     ["collectives", "steering"], "copil", 60,
     "Faire se rencontrer les acteurs de la transition d'un territoire autour de la carte.",
     [("text", "Le format", "<p>Deux heures, une carte projetée, des présentations de trois minutes et un temps d'échange libre.</p>"),
      ("callout", "Bonne pratique", "<p>Terminez par un engagement concret : une prochaine date, un outil commun.</p>")]),
    ("tours-des-alternatives", "Organiser un tour des alternatives", "tours", ["kit", "other"], ["collectives", "public"],
     "collectifs", 75,
     "Un parcours à vélo ou à pied pour visiter les alternatives d'un territoire, préparé avec la carte.",
     [("text", "Tracer le parcours", "<p>Filtrez la carte par catégorie et choisissez cinq à huit étapes à moins de 20 minutes "
       "l'une de l'autre.</p>"),
      ("checklist", "La veille", ["Confirmer les visites", "Vérifier l'itinéraire", "Prévoir un plan B en cas de pluie"])]),
    ("villages-des-alternatives", "Participer à un village des alternatives", "villages", ["kit", "in_person"],
     ["collectives", "ambassadors"], "communication", 45,
     "Tenir un stand Transiscope dans un village des alternatives : matériel, animation, suivi.",
     [("text", "Le stand", "<p>Une carte projetée ou imprimée, un ordinateur pour ajouter des fiches en direct, des flyers.</p>"),
      ("checklist", "Après le village", ["Saisir les contacts recueillis", "Transmettre les nouvelles structures au groupe sources"])]),
]  # fmt: skip

FAQ = [
    ("carte", "La carte", [
        ("pourquoi-ma-structure-absente", "Pourquoi ma structure n'apparaît-elle pas sur la carte ?",
         "<p>Transiscope affiche les données des réseaux partenaires. Si votre structure n'y est pas, inscrivez-la dans l'un de "
         "ces réseaux ; elle apparaîtra au prochain import.</p>"),
        ("corriger-une-fiche", "Comment corriger une information erronée ?",
         "<p>Corrigez-la à la source, dans la base du réseau d'origine : le lien figure en bas de chaque fiche.</p>"),
    ]),
    ("formations", "Kits et formations", [
        ("formation-gratuite", "Les formations sont-elles gratuites ?",
         "<p>Oui, toutes les formations à distance et les échanges individuels sont gratuits.</p>"),
        ("lien-visio", "Où trouver le lien de la visio ?",
         "<p>Il est dans l'e-mail de confirmation et sur la page de la session, une fois inscrit·e.</p>"),
        ("hors-connexion", "Puis-je lire un kit sans connexion ?",
         "<p>Oui : sur la page du kit, cliquez sur « Enregistrer pour lire hors connexion ».</p>"),
    ]),
    ("compte", "Votre compte", [
        ("supprimer-compte", "Comment supprimer mon compte ?",
         "<p>Depuis votre espace, rubrique « Mes données ». Vos messages publics restent, signés « compte supprimé ».</p>"),
    ]),
]  # fmt: skip


def _steps(kit_slug, steps):
    blocks = []
    for kind, title, content in steps:
        if kind == "text":
            blocks.append(("text", {"title": title, "text": content}))
        elif kind == "checklist":
            blocks.append(("checklist", {"title": title, "items": content}))
        elif kind == "callout":
            label = {"Attention": "warning", "Bonne pratique": "practice"}.get(title, "tip")
            blocks.append(("callout", {"title": title, "kind": label, "text": content}))
    return blocks


def _english_steps(steps, original) -> list[tuple]:
    """The English steps, each callout keeping the kind (tip, warning, practice) of the French one."""
    blocks = _steps(None, steps)
    for position, (kind, value) in enumerate(blocks):
        if kind == "callout":
            blocks[position] = (kind, {**value, "kind": original[position].value["kind"]})
    return blocks


def _load_english(*, index, faq_page, kits, groups, english, french) -> None:
    """The English translation of every kit, of the index and FAQ pages, of the groups and of the FAQ."""
    english_groups = {}
    for key, group in groups.items():
        name, description = demo_en.GROUPS[key]
        english_groups[group.pk] = group.get_translation_or_none(english)
        if english_groups[group.pk] is None:
            translated = group.copy_for_translation(english)
            translated.name, translated.description = name, description
            translated.save()
            english_groups[group.pk] = translated
    translate_page(index, english, **demo_en.INDEX)
    for slug, kit in kits.items():
        title, english_slug, summary, steps = demo_en.KITS[slug]
        translate_page(
            kit,
            english,
            slug=english_slug,
            title=title,
            summary=summary,
            body=with_block_ids(_english_steps(steps, kit.body), kit.body),
            responsible_group=english_groups.get(kit.responsible_group_id),
        )
    translate_page(faq_page, english, **demo_en.FAQ_PAGE)
    categories = {}
    for category in FaqCategory.objects.filter(locale=french, slug__in=demo_en.FAQ_CATEGORIES):
        categories[category.pk] = category.get_translation_or_none(english)
        if categories[category.pk] is None:
            translated = category.copy_for_translation(english)
            translated.name = demo_en.FAQ_CATEGORIES[category.slug]
            translated.save()
            categories[category.pk] = translated
    for entry in FaqEntry.objects.filter(locale=french, slug__in=demo_en.FAQ_ENTRIES):
        if entry.has_translation(english):
            continue
        translated = entry.copy_for_translation(english)
        translated.question, translated.answer = demo_en.FAQ_ENTRIES[entry.slug]
        translated.category = categories.get(entry.category_id)
        translated.save()


def _paris(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def load(*, stdout) -> None:
    french = Locale.get_default()
    english, _created = Locale.objects.get_or_create(language_code="en")
    home = Page.objects.get(depth=2, locale=french)

    groups = {}
    for key, (name, description) in GROUPS.items():
        groups[key], _created = ResponsibleGroup.objects.get_or_create(
            name=name, locale=french, defaults={"description": description}
        )

    index = KitIndexPage.objects.filter(locale=french).first()
    if index is None:
        index = KitIndexPage(
            title="Kits et formations",
            slug="kits-et-formations",
            introduction="<p>Des kits pour apprendre à votre rythme, des formations à distance pour aller plus loin, "
            "et des échanges individuels pour les ambassadeur·rices et la qualité des données.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    audiences = {option.code: option for option in AudienceOption.objects.all()}
    formats = {option.code: option for option in FormatOption.objects.all()}
    kits = {}
    for slug, title, theme, kit_formats, kit_audiences, group, minutes, summary, steps in KITS:
        kit = KitPage.objects.child_of(index).filter(slug=slug).first()
        if kit is None:
            kit = KitPage(title=title, slug=slug, theme=theme, summary=summary, estimated_minutes=minutes,
                          responsible_group=groups[group], body=_steps(slug, steps))  # fmt: skip
            index.add_child(instance=kit)
            kit.formats.set([formats[code] for code in kit_formats])
            kit.audiences.set([audiences[code] for code in kit_audiences])
            kit.save_revision().publish()
        kits[slug] = kit

    faq_page = FaqIndexPage.objects.filter(locale=french).first()
    if faq_page is None:
        faq_page = FaqIndexPage(title="Questions fréquentes", slug="questions-frequentes")
        home.add_child(instance=faq_page)
        faq_page.save_revision().publish()
    for order, (slug, name, entries) in enumerate(FAQ):
        category, _created = FaqCategory.objects.get_or_create(
            locale=french, slug=slug, defaults={"name": name, "sort_order": order}
        )
        for position, (entry_slug, question, answer) in enumerate(entries):
            FaqEntry.objects.get_or_create(
                locale=french,
                slug=entry_slug,
                defaults={
                    "question": question,
                    "answer": answer,
                    "category": category,
                    "sort_order": position,
                },
            )

    if home.has_translation(english):  # the English home page comes with the home app's demo
        _load_english(
            index=index, faq_page=faq_page, kits=kits, groups=groups, english=english, french=french
        )

    trainer = demo_user("equipe")
    sessions = [
        ("outils-gogocarto-bus-semantique", "Prise en main de GoGoCarto", "remote", -21, 10, 12, ""),
        ("organiser-cartopartie", "Cartopartie : préparer la vôtre", "remote", -7, 18, 20, ""),
        ("etre-ambassadeur", "Devenir ambassadeur·rice", "remote", 5, 18, 8, ""),
        ("agendas-agregatifs", "Agendas agrégatifs : mode d'emploi", "remote", 12, 12, 15, ""),
        (
            "organiser-cartopartie",
            "Cartopartie à Alès",
            "in_person",
            19,
            9,
            3,
            "Tiers-lieu La Verrerie, 30100 Alès",
        ),
        (
            "maintenir-enrichir-donnees",
            "Qualité des données : échange individuel",
            "one_to_one",
            8,
            14,
            1,
            "",
        ),
    ]
    members = [
        demo_user(prefix) for prefix in ("membre", "ambassadrice", "mainteneuse", "mainteneur", "partenaire")
    ]
    for kit_slug, title, kind, days, hour, capacity, location in sessions:
        start = _paris(days, hour)
        session, _created = TrainingSession.objects.get_or_create(
            kit=kits[kit_slug],
            title=title,
            defaults={
                "kind": kind,
                "start": start,
                "end": start + timedelta(hours=1, minutes=30),
                "capacity": capacity,
                "trainer": trainer,
                "visio_url": ""
                if kind == "in_person"
                else f"https://visio.transiscope.org/formation-{kit_slug}",
                "location": location,
                "departement": "30" if location else "",
                "description": "Une session conviviale pour découvrir le kit pas à pas, avec un temps de questions.",
            },
        )
        for person in members[: capacity + 1]:
            status = (
                "confirmed"
                if session.registrations.filter(status="confirmed").count() < capacity
                else "waiting"
            )
            Registration.objects.get_or_create(
                session=session,
                user=person,
                defaults={"status": status, "attended": True if days < 0 and status == "confirmed" else None},
            )
    stdout.write(
        f"  kits: {len(kits)} kits, {FaqEntry.objects.count()} FAQ entries, "
        f"{TrainingSession.objects.count()} sessions, {Registration.objects.count()} registrations"
    )
