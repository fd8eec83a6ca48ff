"""Demo content: the stories index, the showcase, stories of several kinds, a call with submissions."""

from datetime import date

from wagtail.models import Locale, Page

from accounts.demo import demo_user
from core.demo_translation import translate_page, with_block_ids
from stories import demo_en, services
from stories.models import (
    CallPage,
    Contributor,
    SourcesShowcasePage,
    SourceStoriesFolderPage,
    StoryAuthor,
    StoryIndexPage,
    StoryPage,
    Submission,
)

STORIES = [
    # slug, kind, title, territory, introduction, paragraphs, quote
    (
        "cartoparty-ales",
        "cartoparty",
        "Une cartoparty à Alès : 43 alternatives ajoutées en un après-midi",
        "30",
        "Un samedi de novembre, une vingtaine d'habitant·es ont arpenté le centre d'Alès pour cartographier "
        "les lieux qui font la transition.",
        [
            "Rendez-vous était donné à la médiathèque. Par équipes de trois, smartphone en main, les "
            "participant·es sont parti·es à la rencontre des commerces, associations et collectifs "
            "du quartier.",
            "Au retour, chaque fiche a été relue ensemble avant d'être publiée sur la carte.",
        ],
        (
            "On habite ici depuis vingt ans et on ne connaissait pas la moitié de ces lieux.",
            "Sylvie, participante",
        ),
    ),
    (
        "tour-alternatives-finistere",
        "tour",
        "Le tour des alternatives du Finistère, étape par étape",
        "29",
        "Dix jours à vélo de Brest à Quimper pour rencontrer celles et ceux qui changent le territoire.",
        ["De la ressourcerie de Brest aux AMAP du pays bigouden, le tour a réuni plus de 300 personnes."],
        None,
    ),
    (
        "village-alternatives-montpellier",
        "village",
        "Village des alternatives : Montpellier a fait le plein",
        "34",
        "Quatre-vingts stands, des ateliers et une grande carte collaborative affichée sur la place.",
        ["Le village a permis à de nombreux collectifs de se découvrir et de préparer des actions communes."],
        None,
    ),
    (
        "temoignage-amap-quimper",
        "testimony",
        "« Notre AMAP a doublé depuis qu'elle est sur la carte »",
        "29",
        "Maëlle raconte comment la carte a fait connaître son AMAP.",
        ["Depuis que nous sommes sur la carte, des familles nous écrivent chaque semaine."],
        ("La carte, c'est devenu notre vitrine.", "Maëlle, AMAP de Quimper"),
    ),
    (
        "cooperation-reseaux-occitanie",
        "cooperation",
        "Trois réseaux d'Occitanie mettent leurs données en commun",
        "R76",
        "Plutôt que trois cartes concurrentes, une seule source de données partagée.",
        ["Les trois réseaux ont harmonisé leurs catégories et publient désormais un flux commun."],
        None,
    ),
    (
        "article-pourquoi-des-sources",
        "article",
        "Pourquoi Transiscope s'appuie sur des sources",
        "",
        "Transiscope n'invente pas ses données : elles viennent de réseaux qui connaissent leur terrain.",
        ["Chaque source garde la main sur ses données ; la carte les rassemble et les rend visibles."],
        None,
    ),
]


def _body(paragraphs, quote):
    body = [("paragraph", f"<p>{text}</p>") for text in paragraphs]
    if quote:
        body.append(("quote", {"text": quote[0], "attribution": quote[1]}))
    return body


def _demo_sources():
    from sources.models import Source

    sources = list(Source.objects.filter(is_active=True).order_by("pk")[:2])
    if sources:
        return sources
    colibris, _created = Source.objects.get_or_create(
        slug="colibris-gard",
        defaults={
            "name": "Colibris du Gard",
            "source_key": "colibris-gard-demo",
            "territory": "30",
            "joined_on": date(2024, 3, 1),
            "contact_email": "contact@colibris-gard.example",
            "description": "<p>Le réseau des groupes locaux Colibris dans le Gard.</p>",
            "description_en": demo_en.SOURCE_DESCRIPTIONS["colibris-gard"],
        },
    )
    alternatiba, _created = Source.objects.get_or_create(
        slug="alternatiba-finistere",
        defaults={
            "name": "Alternatiba Finistère",
            "source_key": "alternatiba-29-demo",
            "territory": "29",
            "joined_on": date(2025, 1, 15),
            "contact_email": "contact@alternatiba29.example",
            "description": "<p>Les alternatives du Finistère, recensées par Alternatiba.</p>",
            "description_en": demo_en.SOURCE_DESCRIPTIONS["alternatiba-finistere"],
        },
    )
    return [colibris, alternatiba]


def load(*, stdout) -> None:
    # The top page of the tree (the home app's HomePage), found without importing the app above this one.
    home = Page.objects.filter(depth=2, locale=Locale.get_default()).first()
    if home is None:
        stdout.write("  stories: no home page, skipped")
        return
    index = StoryIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = StoryIndexPage(
            title="Récits",
            slug="recits",
            introduction="<p>Les histoires des sources et des territoires qui font la transition.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    showcase = SourcesShowcasePage.objects.filter(locale=home.locale).first()
    if showcase is None:
        showcase = SourcesShowcasePage(
            title="Les sources de la carte",
            slug="vitrine-des-sources",
            introduction="<p>Les réseaux qui alimentent la carte Transiscope, et ce qu'ils y apportent.</p>",
        )
        home.add_child(instance=showcase)
        showcase.save_revision().publish()
    services.story_workflow_ensure()

    sources = _demo_sources()
    for source, prefix in zip(sources, ["mainteneuse", "mainteneur"], strict=False):
        source.maintainers.add(demo_user(prefix))
        services.source_announcement_prepare(source=source)

    nora, _created = Contributor.objects.get_or_create(
        name="Nora Communication",
        defaults={"organisation": "Transiscope", "user": demo_user("communication")},
    )
    outside, _created = Contributor.objects.get_or_create(
        name="Jeanne Photographe",
        defaults={"organisation": "Collectif Objectif Terre", "bio": "Photographe."},
    )
    for slug, kind, title, territory, introduction, paragraphs, quote in STORIES:
        if StoryPage.objects.filter(slug=slug, locale=home.locale).exists():
            continue
        story = StoryPage(
            title=title,
            slug=slug,
            kind=kind,
            territory=territory,
            introduction=introduction,
            body=_body(paragraphs, quote),
        )
        index.add_child(instance=story)
        StoryAuthor.objects.create(page=story, contributor=nora, role="texte", sort_order=0)
        if kind in {"cartoparty", "village"}:
            StoryAuthor.objects.create(page=story, contributor=outside, role="photos", sort_order=1)
        if kind in {"cooperation", "cartoparty"} and sources:
            story.sources.add(sources[0])
            story.save()
        story.save_revision().publish()

    call = CallPage.objects.filter(slug="racontez-votre-alternative").first()
    if call is None:
        call = CallPage(
            title="Racontez-nous votre alternative",
            slug="racontez-votre-alternative",
            introduction="<p>Vous faites vivre un lieu, un collectif, une AMAP ? "
            "Racontez-nous son histoire.</p>",
        )
        index.add_child(instance=call)
        call.save_revision().publish()
    submissions = [
        (
            "Paul Martin",
            "paul@exemple.org",
            "30",
            "Notre repair café tourne depuis 3 ans à Nîmes.",
            "received",
        ),
        (
            "Aïcha Benali",
            "aicha@exemple.org",
            "34",
            "Nous avons ouvert une épicerie coopérative.",
            "contacted",
        ),
        (
            "Yves Le Goff",
            "yves@exemple.org",
            "29",
            "Le jardin partagé de Kerinou fête ses 10 ans.",
            "declined",
        ),
    ]
    for name, email, territory, text, status in submissions:
        Submission.objects.get_or_create(
            call=call,
            email=email,
            defaults={"name": name, "territory": territory, "text": text, "status": status},
        )
    _load_english(home=home, index=index, showcase=showcase, call=call)
    stdout.write(
        f"  stories: {StoryPage.objects.live().count()} published stories (French and English), "
        "1 call, 3 submissions"
    )


def _load_english(*, home, index, showcase, call) -> None:
    """The English translation of the index, the showcase, the call, the sources' folders and the stories."""
    english = Locale.objects.get(language_code="en")
    if not home.has_translation(english):
        return  # the home page's translation comes with the home app's demo
    translate_page(index, english, **demo_en.INDEX)
    translate_page(showcase, english, **demo_en.SHOWCASE)
    translate_page(call, english, **demo_en.CALL)
    for folder in SourceStoriesFolderPage.objects.child_of(index).live().select_related("source"):
        source_name = folder.source.name if folder.source else folder.title
        translate_page(
            folder, english, slug=folder.slug, title=demo_en.SOURCE_FOLDER_TITLE.format(source=source_name)
        )
    for story in StoryPage.objects.child_of(index).live().filter(slug__in=demo_en.STORIES):
        title, slug, introduction, paragraphs, quote = demo_en.STORIES[story.slug]
        translate_page(
            story,
            english,
            slug=slug,
            title=title,
            introduction=introduction,
            body=with_block_ids(_body(paragraphs, quote), story.body),
        )
