"""Demo content of the community: forum categories and conversations, ambassadors across départements,
the strategy's working groups and the questionnaire to sources. Idempotent."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import Locale, Page, Site

from accounts import roles
from accounts.demo import DEMO_PASSWORD, demo_user
from accounts.models import User
from core.demo_translation import translate_page

from . import demo_en, services
from .models import (
    AmbassadorProfile,
    Category,
    Post,
    SourceQuestionnaireField,
    SourceQuestionnairePage,
    Topic,
    WorkingGroup,
)
from .services import forum as forum_services

CATEGORIES = [
    ("annonces", "Annonces", "Les nouvelles de Transiscope et de ses partenaires.", "public", 10),
    (
        "entraide-technique",
        "Entraide technique",
        "Flux, imports, GoGoCarto : on s'aide entre sources.",
        "members",
        20,
    ),
    (
        "vie-des-sources",
        "Vie des sources",
        "L'espace réservé aux sources : retours d'expérience, besoins.",
        "sources",
        30,
    ),
    (
        "comite-de-pilotage",
        "Comité de pilotage",
        "Préparation des réunions et décisions du comité.",
        "steering",
        40,
    ),
]

CONVERSATIONS = [
    (
        "entraide-technique",
        "mainteneuse",
        "Notre flux CSV n'est plus importé depuis lundi",
        "Bonjour à toutes et tous,\n\nDepuis lundi, l'import de notre flux **CSV** échoue avec "
        "« colonne latitude manquante ». Quelqu'un a-t-il déjà vu ça ?",
        [
            (
                "mainteneur",
                "Oui ! Vérifiez le séparateur : depuis la mise à jour de notre tableur, "
                "il exportait en `;` au lieu de `,`.",
            ),
            (
                "equipe",
                "C'est bien ça : le fichier utilise `;`. Vous pouvez aussi forcer le format dans "
                "votre tableau de bord de source. @ines-mainteneuse, dites-nous si ça repart.",
            ),
            ("mainteneuse", "Ça repart, merci beaucoup ! Je marque la réponse comme solution."),
        ],
        True,
    ),
    (
        "annonces",
        "equipe",
        "Bienvenue sur le nouveau forum de la communauté",
        "Ce forum remplace la liste de discussion. Vous pouvez **suivre** une catégorie ou un sujet, "
        "et choisir de recevoir un résumé quotidien ou hebdomadaire.",
        [
            ("ambassadrice", "Super nouvelle ! Je relaie dans le réseau des AMAP de l'Hérault."),
            ("membre", "Merci, c'est beaucoup plus lisible qu'une liste de diffusion."),
        ],
        False,
    ),
    (
        "vie-des-sources",
        "mainteneur",
        "Comment accueillez-vous les nouveaux bénévoles ?",
        "Chez Alternatiba, on cherche à mieux accueillir les personnes qui veulent contribuer à la carte. "
        "Vos astuces ?",
        [("mainteneuse", "Un binôme pendant le premier mois, et une page « premiers pas » très courte.")],
        False,
    ),
    (
        "comite-de-pilotage",
        "copil",
        "Ordre du jour de la réunion de décembre",
        "1. Bilan des ambassadeur·rices\n2. Budget 2027\n3. Questionnaire aux sources",
        [("admin", "J'ajoute un point sur la charte des sources.")],
        False,
    ),
]

AMBASSADORS = [
    # département, name, kind, themes, languages, organisation, show organisation
    ("34", None, "individual", ["alimentation", "economie"], ["fr", "oc"], "Réseau des AMAP", True),
    ("29", "Gwen Ambassadrice", "source", ["mobilite", "energie"], ["fr", "br"], "Alternatiba Brest", True),
    ("13", "Karim Ambassadeur", "steering", ["democratie", "education"], ["fr", "en", "es"], "", False),
    (
        "69",
        "Lucie Ambassadrice",
        "individual",
        ["habitat", "energie"],
        ["fr", "it"],
        "Habitat partagé",
        False,
    ),
    ("59", "Thomas Ambassadeur", "source", ["economie", "numerique"], ["fr", "en"], "Colibris Lille", True),
    ("974", "Mireille Ambassadrice", "individual", ["biodiversite", "alimentation"], ["fr"], "", False),
    ("67", "Jonas Ambassadeur", "individual", ["mobilite"], ["fr", "de"], "Vélo Strasbourg", True),
    (
        "30",
        "Anaïs Ambassadrice",
        "source",
        ["alimentation", "biodiversite"],
        ["fr", "oc", "lsf"],
        "Colibris",
        True,
    ),
]

GROUPS = [
    (
        "technique",
        "Technique",
        "Faire vivre la carte, les imports et le portail ; accompagner les sources sur leurs flux.",
        ["admin", "mainteneur"],
        "equipe",
        "mainteneur",
    ),
    (
        "sources",
        "Sources",
        "Accueillir de nouvelles sources, animer leur communauté, faire vivre la charte.",
        ["mainteneuse", "equipe"],
        "mainteneuse",
        "mainteneuse",
    ),
    (
        "partenariat",
        "Partenariat",
        "Nouer et suivre les partenariats avec les réseaux et les collectivités.",
        ["partenaire", "copil"],
        "copil",
        "partenaire",
    ),
    (
        "communication",
        "Communication",
        "Raconter Transiscope : lettre, réseaux sociaux, récits de terrain.",
        ["communication", "ambassadrice"],
        "communication",
        "communication",
    ),
    (
        "finances",
        "Finances",
        "Chercher des financements, suivre le budget, rendre compte.",
        ["copil", "admin"],
        "admin",
        "copil",
    ),
    (
        "animation",
        "Animation",
        "Animer la communauté : ambassadeur·rices, rencontres, forum.",
        ["ambassadrice", "equipe"],
        "ambassadrice",
        "ambassadrice",
    ),
]


def _user(prefix: str) -> User:
    return demo_user(prefix)


def _ambassador_user(departement: str, name: str) -> User:
    email = f"ambassadeur.{departement.lower()}@demo.transiscope.org"
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "territory": departement}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def load(*, stdout) -> None:
    for slug, name, description, visibility, position in CATEGORIES:
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "visibility": visibility,
                "position": position,
            },
        )
    from sources.models import Source

    for source in Source.objects.all():
        services.category_for_source_ensure(source=source)

    for slug, author, title, body, replies, solved in CONVERSATIONS:
        category = Category.objects.get(slug=slug)
        if Topic.objects.filter(category=category, title=title).exists():
            continue
        topic = services.topic_create(category=category, author=_user(author), title=title, body=body)
        last = None
        for reply_author, reply_body in replies:
            last = services.post_create(topic=topic, author=_user(reply_author), body=reply_body)
            Post.objects.filter(pk=last.pk, status=Post.Status.HELD).update(status=Post.Status.PUBLISHED)
        if solved and replies:
            answer = topic.posts.filter(is_first=False).order_by("pk")[1]
            services.topic_mark_solution(topic=topic, post=answer, by=topic.author)
        services.topic_update(topic=topic, by=None, is_pinned=slug == "annonces")
    Post.objects.filter(status=Post.Status.HELD, topic__category__slug__in=[c[0] for c in CATEGORIES]).update(
        status=Post.Status.PUBLISHED
    )
    for topic in Topic.objects.all():
        forum_services._refresh_topic(topic)

    group, _created = Group.objects.get_or_create(name=roles.AMBASSADOR)
    sources = {source.name: source for source in Source.objects.all()}
    today = timezone.localdate()
    for n, (dept, name, kind, themes, languages, organisation, show_org) in enumerate(AMBASSADORS):
        user = _user("ambassadrice") if name is None else _ambassador_user(dept, name)
        user.groups.add(group)
        from core.territories import region_of

        AmbassadorProfile.objects.update_or_create(
            user=user,
            defaults={
                "kind": kind,
                "departement": dept,
                "region": region_of(dept),
                "themes": themes,
                "languages": languages,
                "organisation": organisation,
                "show_organisation": show_org,
                "show_bio": True,
                "bio": f"Ambassadeur·rice de Transiscope en {dept}, disponible pour présenter la carte.",
                "source": sources.get(organisation),
                "next_contact_on": today + timedelta(days=7 * (n - 2)),
            },
        )

    for position, (slug, name, purpose, referents, facilitator, welcomer) in enumerate(GROUPS):
        working_group, _created = WorkingGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "purpose": purpose,
                "position": position,
                "facilitator": _user(facilitator),
                "welcomer": _user(welcomer),
                "chat_url": f"https://discussion.transiscope.org/groupe-{slug}",
                "mailing_list_url": f"https://listes.transiscope.org/{slug}",
            },
        )
        working_group.referents.set([_user(prefix) for prefix in referents])

    _questionnaire()
    stdout.write(
        f"  community: {Category.objects.count()} categories, {Topic.objects.count()} topics, "
        f"{AmbassadorProfile.objects.count()} ambassadors, {WorkingGroup.objects.count()} working groups"
    )


def _questionnaire() -> None:
    page = SourceQuestionnairePage.objects.filter(locale=Locale.get_default()).first()
    if page is None:
        page = _questionnaire_create()
    parent = page.get_parent()
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and parent.get_translation_or_none(english) is not None:
        translate_page(
            page,
            english,
            slug=demo_en.QUESTIONNAIRE["slug"],
            title=demo_en.QUESTIONNAIRE["title"],
            intro=demo_en.QUESTIONNAIRE["intro"],
            thank_you_text=demo_en.QUESTIONNAIRE["thank_you_text"],
            prepare=_translate_questions,
        )


def _translate_questions(translation) -> None:
    # The copied questions keep their French clean_name, so answers line up across languages.
    questions = list(translation.form_fields.order_by("sort_order"))
    for field, (label, choices) in zip(questions, demo_en.QUESTIONS, strict=True):
        field.label, field.choices = label, choices
        field.save()
    translation.form_fields = questions


def _questionnaire_create() -> SourceQuestionnairePage:
    site = Site.objects.filter(is_default_site=True).first()
    parent = site.root_page if site else Page.get_first_root_node()
    page = SourceQuestionnairePage(
        title="Questionnaire aux sources : votre communauté",
        slug="questionnaire-sources",
        intro="<p>Aidez-nous à comprendre comment vous faites vivre votre communauté. "
        "Dix minutes suffisent.</p>",
        thank_you_text="<p>Merci ! Vos réponses nourriront le prochain comité de pilotage.</p>",
    )
    parent.add_child(instance=page)
    questions = [
        ("Combien de bénévoles contribuent à votre carte ?", "number", True, ""),
        ("Comment accueillez-vous les nouvelles personnes ?", "multiline", True, ""),
        (
            "Quels outils utilisez-vous pour échanger ?",
            "checkboxes",
            False,
            "Forum\nListe de diffusion\nMessagerie\nRéunions",
        ),
        ("De quoi auriez-vous besoin ?", "multiline", False, ""),
    ]
    for order, (label, field_type, required, choices) in enumerate(questions):
        SourceQuestionnaireField.objects.create(
            page=page,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
        )
    return page
