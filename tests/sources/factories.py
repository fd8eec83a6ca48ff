"""Factories of the sources app."""

from django.utils import timezone

import factory

from sources.models import ImportRun, Report, Source, SourceElement


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau numéro {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    source_key = factory.Sequence(lambda n: f"Reseau{n}")
    feed_url = "http://127.0.0.1:9/flux.json"
    contact_email = factory.Sequence(lambda n: f"contact{n}@reseau.example")

    @factory.post_generation
    def maintainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.maintainers.add(*extracted)


class SourceElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceElement

    source = factory.SubFactory(SourceFactory)
    element_id = factory.Sequence(lambda n: f"el-{n}")
    name = factory.Sequence(lambda n: f"Alternative {n}")
    latitude = 43.8367
    longitude = 4.3601
    postal_code = "30000"
    departement = "30"
    categories = factory.LazyFunction(lambda: ["Alimentation"])
    content_hash = "x" * 64
    first_seen_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    source = factory.SubFactory(SourceFactory)
    kind = ImportRun.Kind.MAP_FEED
    state = ImportRun.State.COMPLETED
    level = ImportRun.Level.SUCCESS
    finished_at = factory.LazyFunction(timezone.now)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    source = factory.SubFactory(SourceFactory)
    element_id = factory.Sequence(lambda n: f"el-{n}")
    element_name = "La Cagette"
    reason = Report.Reason.WRONG_INFORMATION
    fingerprint = factory.Sequence(lambda n: f"fp-{n}")
