"""Factories for sources and stories (sources has none on main yet; this one stays minimal)."""

import factory

from sources.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    source_key = factory.Sequence(lambda n: f"reseau{n}")
    territory = "30"
    contact_email = factory.Sequence(lambda n: f"contact{n}@reseau.example")
    is_active = True

    @factory.post_generation
    def maintainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.maintainers.add(*extracted)
