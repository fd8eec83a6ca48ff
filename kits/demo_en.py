# ruff: noqa: E501  (long sentences of demo content)
"""English texts of the kits demo, keyed by the French slugs (or group keys) of `kits/demo.py`.

Each kit's steps mirror the French steps one for one (same kinds, same order).
"""

INDEX = {
    "title": "Kits and training",
    "slug": "kits-and-training",
    "introduction": "<p>Kits to learn at your own pace, remote training sessions to go further, and one-to-one "
    "exchanges for ambassadors and data quality.</p>",
}

FAQ_PAGE = {"title": "Frequently asked questions", "slug": "frequently-asked-questions"}

GROUPS = {
    "sources": ("Sources group", "Supports the organisations that feed the map and looks after data quality."),
    "communication": ("Communication group", "Leads the network of ambassadors and the communication materials."),
    "copil": ("Steering committee", "Carries Transiscope's strategy and the cooperation between networks."),
    "collectifs": ("Local groups team", "Supports the local groups that bring Transiscope to life in their area."),
}  # fmt: skip

# French slug: (title, English slug, summary, steps)
KITS = {
    "outils-gogocarto-bus-semantique": (
        "The map's tools: GoGoCarto and the Semantic Bus", "map-tools-gogocarto-semantic-bus",
        "Understand how the networks' data reach Transiscope, and use GoGoCarto to browse and correct them.",
        [("text", "How the map is made", "<p>Each partner network keeps its own database. The <b>Semantic Bus</b> "
          "collects these data, translates them into a shared vocabulary and passes them on to <b>GoGoCarto</b>, which displays them.</p>"),
         ("checklist", "Before you start", ["Have an account on the portal", "Know your network's name on the map",
                                            "Pick out two entries in your area"]),
         ("callout", "Good to know", "<p>A correction made in GoGoCarto is overwritten at the next import: correct it at the source.</p>"),
         ("text", "Correcting an entry at the source", "<p>From the entry, follow the “see the source” link and change the information "
          "in the network's database. The map is updated at the next import (every night).</p>")],
    ),
    "cooperer-entre-organisations": (
        "Cooperating between organisations", "cooperating-between-organisations",
        "Share data and tools between networks without losing your identity: Transiscope's rules of the game.",
        [("text", "Why cooperate", "<p>No organisation lists every alternative on its own. Pooling our maps "
          "gives the public the whole picture.</p>"),
         ("checklist", "Mutual commitments", ["Credit the source of every piece of data", "Report errors rather than silently correcting them",
                                              "Share under an open licence (ODbL)"])],
    ),
    "etre-ambassadeur": (
        "Being a Transiscope ambassador", "being-an-ambassador",
        "Spread the word about the map around you: present Transiscope, answer questions, pass needs on.",
        [("text", "The role", "<p>Ambassadors promote the map in their area, help organisations get listed on it and "
          "report what is missing.</p>"),
         ("callout", "Tip", "<p>Start with three organisations you know well: their feedback will give you examples.</p>"),
         ("checklist", "My first presentation", ["Prepare the map of my area", "Print the flyer", "Write down the questions asked"])],
    ),
    "maintenir-enrichir-donnees": (
        "Maintaining and enriching the data", "maintaining-and-enriching-the-data",
        "Keep entries up to date, avoid duplicates and add the information the public needs.",
        [("text", "The information that matters", "<p>Exact address, opening hours, category and a link to the website: these are "
          "the fields the public looks at most.</p>"),
         ("checklist", "Quarterly check", ["Check for organisations that have closed", "Merge reported duplicates", "Fill in opening hours"])],
    ),
    "organiser-cartopartie": (
        "Organising a mapping party", "organising-a-mapping-party",
        "Bring residents together to list the alternatives of a neighbourhood or a town.",
        [("text", "Choose the place and the date", "<p>An accessible place with a connection, on a Saturday morning: "
          "the formula that works best.</p>"),
         ("checklist", "Equipment", ["Charged tablets or phones", "Paper maps of the neighbourhood", "Printed survey sheets"]),
         ("callout", "Attention", "<p>Always ask organisations for their consent before publishing their information.</p>")],
    ),
    "agendas-agregatifs": (
        "Setting up an aggregated calendar", "setting-up-an-aggregated-calendar",
        "Gather the calendars of an area's associations into a single one, without typing anything twice.",
        [("text", "The idea", "<p>Each association publishes its calendar in ICS format; the portal gathers them, spots "
          "duplicates and publishes a shared calendar.</p>"),
         ("checklist", "For each association", ["Find the ICS address of its calendar", "Submit it on the portal", "Check the first import"])],
    ),
    "besoins-ressources-partageables": (
        "Listing needs and shareable resources", "listing-needs-and-shareable-resources",
        "List what organisations need and what they can lend: rooms, equipment, skills.",
        [("text", "Why list them", "<p>A van, a room or an unused skill at one place can unlock someone else's project.</p>"),
         ("checklist", "The workshop", ["Round of needs", "Round of resources", "Putting people in touch"])],
    ),
    "rencontres-entre-acteurs": (
        "Organising meetings between local players", "organising-meetings-between-local-players",
        "Bring the players of an area's transition together around the map.",
        [("text", "The format", "<p>Two hours, a projected map, three-minute presentations and time for open discussion.</p>"),
         ("callout", "Good practice", "<p>End with a concrete commitment: a next date, a shared tool.</p>")],
    ),
    "tours-des-alternatives": (
        "Organising a tour of alternatives", "organising-a-tour-of-alternatives",
        "A cycling or walking route to visit an area's alternatives, planned with the map.",
        [("text", "Plan the route", "<p>Filter the map by category and pick five to eight stops less than 20 minutes "
          "from one another.</p>"),
         ("checklist", "The day before", ["Confirm the visits", "Check the route", "Have a plan B in case of rain"])],
    ),
    "villages-des-alternatives": (
        "Taking part in a village of alternatives", "taking-part-in-a-village-of-alternatives",
        "Run a Transiscope stand at a village of alternatives: equipment, activities, follow-up.",
        [("text", "The stand", "<p>A projected or printed map, a computer to add entries live, flyers.</p>"),
         ("checklist", "After the village", ["Enter the contacts you collected", "Pass the new organisations on to the sources group"])],
    ),
}  # fmt: skip

FAQ_CATEGORIES = {"carte": "The map", "formations": "Kits and training", "compte": "Your account"}

FAQ_ENTRIES = {
    "pourquoi-ma-structure-absente": (
        "Why is my organisation not on the map?",
        "<p>Transiscope shows the data of partner networks. If your organisation is missing, register it with one "
        "of these networks; it will appear after the next import.</p>",
    ),
    "corriger-une-fiche": (
        "How do I correct wrong information?",
        "<p>Correct it at the source, in the original network's database: the link is at the bottom of each entry.</p>",
    ),
    "formation-gratuite": (
        "Are the training sessions free?",
        "<p>Yes, every remote training and one-to-one exchange is free.</p>",
    ),
    "lien-visio": (
        "Where do I find the video call link?",
        "<p>It is in the confirmation e-mail and on the session's page, once you have registered.</p>",
    ),
    "hors-connexion": (
        "Can I read a kit without a connection?",
        "<p>Yes: on the kit's page, click “Save for offline reading”.</p>",
    ),
    "supprimer-compte": (
        "How do I delete my account?",
        "<p>From your space, under “My data”. Your public messages remain, signed “deleted account”.</p>",
    ),
}
