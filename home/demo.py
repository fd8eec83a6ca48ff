"""Demo pages in French with their English translations, and the site settings. Idempotent."""

from wagtail.models import Locale, Page, Site

from home.models import FormField, FormPage, HomePage, PortalSettings, StandardPage

HOME = {
    "fr": {
        "title": "Transiscope",
        "introduction": (
            "<p>Transiscope rassemble sur une même carte les alternatives de la transition écologique "
            "et sociale recensées par une trentaine de réseaux. Ce portail est l'espace de travail de "
            "celles et ceux qui la font vivre : <b>les sources</b> qui alimentent la carte, "
            "<b>les ambassadeur·rices</b> qui la font connaître et <b>les collectifs locaux</b> qui "
            "s'en servent.</p>"
        ),
    },
    "en": {
        "title": "Transiscope",
        "introduction": (
            "<p>Transiscope brings together on one map the alternatives of the ecological and social "
            "transition listed by some thirty networks. This portal is the workspace of the people who "
            "keep it alive: <b>the sources</b> that feed the map, <b>the ambassadors</b> who make it known "
            "and <b>the local groups</b> who use it.</p>"
        ),
    },
}

STANDARD_PAGES = [
    {
        "slug": "a-propos",
        "slug_en": "about",
        "show_in_menus": True,
        "fr": {
            "title": "À propos",
            "introduction": (
                "Une carte commune des alternatives, construite par les réseaux qui les recensent."
            ),
            "body": [
                ("heading", {"text": "Pourquoi une carte commune ?", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Les AMAP, les ressourceries, les cafés associatifs, les monnaies locales : chaque "
                    "réseau tient sa propre carte. Transiscope les relie pour qu'une personne trouve, près "
                    "de chez elle, toutes les alternatives d'un coup d'œil.</p>",
                ),
                (
                    "quote",
                    {
                        "quote": "Relier les alternatives, c'est montrer qu'un autre monde existe déjà.",
                        "attribution": "Une ambassadrice du Gard",
                    },
                ),
                (
                    "call_to_action",
                    {
                        "title": "Vous tenez une carte ?",
                        "text": "Rejoignez les sources de Transiscope : vos données restent les vôtres.",
                        "page": None,
                        "url": "https://transiscope.org",
                        "button_label": "Découvrir la carte",
                    },
                ),
            ],
        },
        "en": {
            "title": "About",
            "introduction": "A shared map of alternatives, built by the networks that list them.",
            "body": [
                ("heading", {"text": "Why a shared map?", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Community-supported farms, repair shops, community cafés, local currencies: each "
                    "network keeps its own map. Transiscope links them so that anyone can see, near home, "
                    "every alternative at a glance.</p>",
                ),
                (
                    "quote",
                    {
                        "quote": "Linking alternatives shows that another world already exists.",
                        "attribution": "An ambassador from the Gard",
                    },
                ),
                (
                    "call_to_action",
                    {
                        "title": "Do you keep a map?",
                        "text": "Join Transiscope's sources: your data stays yours.",
                        "page": None,
                        "url": "https://transiscope.org",
                        "button_label": "Discover the map",
                    },
                ),
            ],
        },
    },
    {
        "slug": "charte-des-sources",
        "slug_en": "sources-charter",
        "show_in_menus": True,
        "fr": {
            "title": "La charte des sources",
            "introduction": "Ce que s'engagent à faire les réseaux dont les données alimentent la carte.",
            "body": [
                ("heading", {"text": "Nos engagements communs", "level": "h2"}),
                (
                    "paragraph",
                    "<ol><li>Publier des données ouvertes, sous une licence libre.</li>"
                    "<li>Tenir ses fiches à jour et corriger les signalements sous un mois.</li>"
                    "<li>Ne recenser que des initiatives de la transition écologique et sociale.</li>"
                    "<li>Respecter les personnes : pas de données personnelles sans leur accord.</li></ol>",
                ),
            ],
        },
        "en": {
            "title": "The sources' charter",
            "introduction": "What the networks whose data feed the map commit to.",
            "body": [
                ("heading", {"text": "Our shared commitments", "level": "h2"}),
                (
                    "paragraph",
                    "<ol><li>Publish open data under a free licence.</li>"
                    "<li>Keep entries up to date and handle reports within a month.</li>"
                    "<li>List only initiatives of the ecological and social transition.</li>"
                    "<li>Respect people: no personal data without their consent.</li></ol>",
                ),
            ],
        },
    },
    {
        "slug": "mentions-legales",
        "slug_en": "legal-notice",
        "show_in_menus": False,
        "fr": {
            "title": "Mentions légales et données personnelles",
            "introduction": "Qui publie ce portail et ce que nous faisons de vos données.",
            "body": [
                ("heading", {"text": "Éditeur", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Association Transiscope, loi 1901. Hébergement : un hébergeur associatif "
                    "membre du collectif CHATONS.</p>",
                ),
                ("heading", {"text": "Vos données personnelles", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Nous ne demandons que ce qui sert au portail : une adresse e-mail, un nom "
                    "affiché et, si vous le voulez, une organisation et un territoire. Depuis "
                    "« Mon compte », vous pouvez télécharger toutes vos données ou supprimer votre "
                    "compte à tout moment.</p>",
                ),
            ],
        },
        "en": {
            "title": "Legal notice and personal data",
            "introduction": "Who publishes this portal and what we do with your data.",
            "body": [
                ("heading", {"text": "Publisher", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Transiscope, a French non-profit association. Hosting: a community host member "
                    "of the CHATONS collective.</p>",
                ),
                ("heading", {"text": "Your personal data", "level": "h2"}),
                (
                    "paragraph",
                    "<p>We only ask for what the portal needs: an e-mail address, a display name and, if "
                    "you wish, an organisation and a territory. From “My account” you can download all "
                    "your data or delete your account at any time.</p>",
                ),
            ],
        },
    },
]

CONTACT = {
    "slug": "contact",
    "fr": {
        "title": "Contact",
        "introduction": "<p>Une question, une idée, une source à proposer ? Écrivez-nous.</p>",
        "thank_you_text": "<p>Merci ! Nous vous répondons sous une semaine.</p>",
        "fields": [
            ("Votre nom", "singleline", True, ""),
            ("Votre adresse e-mail", "email", True, ""),
            ("Sujet", "dropdown", True, "Une question\nProposer une source\nDevenir ambassadeur·rice\nAutre"),
            ("Votre message", "multiline", True, ""),
        ],
    },
    "en": {
        "title": "Contact",
        "introduction": "<p>A question, an idea, a source to suggest? Write to us.</p>",
        "thank_you_text": "<p>Thank you! We will answer within a week.</p>",
        "fields": [
            ("Your name", "singleline", True, ""),
            ("Your e-mail address", "email", True, ""),
            ("Subject", "dropdown", True, "A question\nSuggest a source\nBecome an ambassador\nOther"),
            ("Your message", "multiline", True, ""),
        ],
    },
}


def _publish(page):
    page.save_revision().publish()


def _translation(page, locale):
    """(translation of the page in `locale`, whether it was just created as a draft copy)."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    return page.copy_for_translation(locale).specific, True


def _home_pages(fr, en):
    home = HomePage.objects.filter(locale=fr).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=HOME["fr"]["title"], slug="accueil", locale=fr))
    if home.introduction != HOME["fr"]["introduction"]:
        home.introduction = HOME["fr"]["introduction"]
        _publish(home)
    home_en, created = _translation(home, en)
    if created:
        home_en.title = HOME["en"]["title"]
        home_en.introduction = HOME["en"]["introduction"]
        _publish(home_en)
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home


def _fill_standard_page(page, spec, language):
    content = spec[language]
    page.title = content["title"]
    page.introduction = content["introduction"]
    page.body = content["body"]
    page.show_in_menus = spec["show_in_menus"]
    _publish(page)


def _standard_pages(home, en):
    pages = {}
    for spec in STANDARD_PAGES:
        page = StandardPage.objects.filter(slug=spec["slug"], locale=home.locale).first()
        if page is None:
            page = home.add_child(instance=StandardPage(title=spec["fr"]["title"], slug=spec["slug"]))
            _fill_standard_page(page, spec, "fr")
        translation, created = _translation(page, en)
        if created:
            translation.slug = spec["slug_en"]
            _fill_standard_page(translation, spec, "en")
        pages[spec["slug"]] = page
    return pages


def _contact_page(home, en):
    page = FormPage.objects.filter(slug=CONTACT["slug"], locale=home.locale).first()
    if page is None:
        page = FormPage(title=CONTACT["fr"]["title"], slug=CONTACT["slug"], show_in_menus=True)
        page.form_fields = [
            FormField(label=label, field_type=kind, required=required, choices=choices)
            for label, kind, required, choices in CONTACT["fr"]["fields"]
        ]
        page.to_address = "bonjour@demo.transiscope.org"
        home.add_child(instance=page)
        _fill_contact_page(page, "fr")
    translation, created = _translation(page, en)
    if created:
        _fill_contact_page(translation, "en")
    return page


def _fill_contact_page(target, language):
    content = CONTACT[language]
    target.title = content["title"]
    target.introduction = content["introduction"]
    target.thank_you_text = content["thank_you_text"]
    # Translated questions keep the French clean_name, so answers line up across languages.
    for field, (label, _kind, _required, choices) in zip(
        target.form_fields.order_by("sort_order"), content["fields"], strict=False
    ):
        field.label = label
        field.choices = choices
        field.save()
    target.form_fields = list(target.form_fields.order_by("sort_order"))
    _publish(target)


def load(*, stdout) -> None:
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = _home_pages(fr, en)
    pages = _standard_pages(home, en)
    contact = _contact_page(home, en)
    site = Site.objects.get(is_default_site=True)
    portal_settings = PortalSettings.for_site(site)
    portal_settings.contact_email = "bonjour@demo.transiscope.org"
    portal_settings.mastodon_url = "https://mastodon.social/@transiscope"
    portal_settings.peertube_url = "https://peertube.fr/c/transiscope"
    portal_settings.legal_page = pages["mentions-legales"]
    portal_settings.footer_links = [
        ("link", {"page": pages["a-propos"], "url": "", "label": "", "label_en": ""}),
        ("link", {"page": pages["charte-des-sources"], "url": "", "label": "", "label_en": ""}),
        ("link", {"page": contact, "url": "", "label": "", "label_en": ""}),
        (
            "link",
            {"page": None, "url": "https://transiscope.org", "label": "La carte", "label_en": "The map"},
        ),
    ]
    portal_settings.save()
    stdout.write("  home: home page, 3 standard pages and a contact form, in French and English")
