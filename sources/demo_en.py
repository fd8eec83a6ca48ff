"""English descriptions of the demo sources (`Source.description_en`), by the slugs of `sources/demo.py`."""

DESCRIPTIONS = {
    "colibris": "The Colibris movement lists the ecological and community initiatives near you.",
    "alternatiba": "The local groups of Alternatiba and ANV-COP21, taking action for the climate.",
    "amap": "Community-supported agriculture: baskets of farm produce, bought directly from the farms.",
    "repair-cafe": "Meet-ups where people repair their belongings together instead of throwing them away.",
    "ressourceries": "Collecting, upgrading and reselling objects: reuse at the heart of local areas.",
    "heureux-cyclage": "The network of participatory, community bike repair workshops.",
    "monnaies-locales": "Complementary local currencies and the places where you can exchange them.",
    "habitat-participatif": "Groups of residents who design and run their homes together.",
    "enercoop": "Renewable electricity cooperatives and community-owned energy projects.",
    "oasis": "Eco-places and ecological shared housing.",
    "petits-debrouillards": "Popular education in science and technology, in Brittany.",
    "jardins-partages": "Shared and allotment gardens in the Gard.",
}
