"""English texts of the stories demo, keyed by the French slugs of `stories/demo.py`.

A story's body mirrors the French one block for block: its paragraphs, then its quote when it has one.
"""

INDEX = {
    "title": "Stories",
    "slug": "stories",
    "introduction": "<p>The stories of the sources and of the places that are making the transition.</p>",
}

SHOWCASE = {
    "title": "The map's sources",
    "slug": "sources-showcase",
    "introduction": "<p>The networks that feed the Transiscope map, and what they bring to it.</p>",
}

CALL = {
    "title": "Tell us about your alternative",
    "slug": "tell-us-about-your-alternative",
    "introduction": "<p>Do you run a place, a group, a community-supported farm? Tell us its story.</p>",
    "why_we_ask": (
        "We only use your e-mail address to get back to you about your story. Your photos are published "
        "only with your consent and with the credit you give. You can ask for them to be removed at any time."
    ),
    "thank_you": "Thank you! We have received your story and will get back to you.",
}

# The folder holding a source's stories, named after the source.
SOURCE_FOLDER_TITLE = "Stories from {source}"

# French slug: (title, English slug, introduction, paragraphs, quote)
STORIES = {
    "cartoparty-ales": (
        "A mapping party in Alès: 43 alternatives added in one afternoon",
        "mapping-party-ales",
        "One Saturday in November, some twenty residents walked around the centre of Alès to map the places "
        "that are making the transition.",
        [
            "The meeting point was the media library. In teams of three, smartphone in hand, the "
            "participants went out to meet the neighbourhood's shops, associations and groups.",
            "Back at base, every entry was reviewed together before being published on the map.",
        ],
        (
            "We've lived here for twenty years and we didn't know half of these places.",
            "Sylvie, participant",
        ),
    ),
    "tour-alternatives-finistere": (
        "The Finistère tour of alternatives, stage by stage",
        "finistere-tour-of-alternatives",
        "Ten days cycling from Brest to Quimper to meet the people who are changing the area.",
        [
            "From the Brest reuse centre to the community-supported farms of the Pays Bigouden, the tour "
            "brought together more than 300 people."
        ],
        None,
    ),
    "village-alternatives-montpellier": (
        "Village of alternatives: a full house in Montpellier",
        "village-of-alternatives-montpellier",
        "Eighty stands, workshops and a big collaborative map displayed on the square.",
        ["The village let many groups discover one another and prepare joint actions."],
        None,
    ),
    "temoignage-amap-quimper": (
        "“Our community-supported farm has doubled in size since it went on the map”",
        "testimony-quimper-community-farm",
        "Maëlle tells how the map made her community-supported farm known.",
        ["Since we have been on the map, families write to us every week."],
        ("The map has become our shop window.", "Maëlle, AMAP de Quimper"),
    ),
    "cooperation-reseaux-occitanie": (
        "Three networks in Occitanie pool their data",
        "occitanie-networks-pool-their-data",
        "Rather than three competing maps, a single shared data source.",
        ["The three networks have harmonised their categories and now publish a shared feed."],
        None,
    ),
    "article-pourquoi-des-sources": (
        "Why Transiscope relies on sources",
        "why-transiscope-relies-on-sources",
        "Transiscope does not make up its data: they come from networks that know their ground.",
        ["Each source stays in charge of its data; the map brings them together and makes them visible."],
        None,
    ),
}

# The two sources created when the stories demo is loaded on its own (see `_demo_sources`).
SOURCE_DESCRIPTIONS = {
    "colibris-gard": "<p>The network of local Colibris groups in the Gard.</p>",
    "alternatiba-finistere": "<p>The alternatives of Finistère, listed by Alternatiba.</p>",
}
