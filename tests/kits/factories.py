"""Factories of the kits app. Pages are added under the tree built by `kit_index` (see conftest)."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Locale

import factory

from kits.models import FaqCategory, FaqEntry, Registration, TrainingSession
from tests.factories import UserFactory


class FaqCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqCategory

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")
    locale = factory.LazyFunction(Locale.get_default)


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Comment faire la chose n°{n} ?")
    answer = "<p>Il suffit de <b>suivre</b> le kit.</p>"
    slug = factory.Sequence(lambda n: f"question-{n}")
    category = factory.SubFactory(FaqCategoryFactory)
    locale = factory.LazyFunction(Locale.get_default)
    live = True


def add_kit(parent, *, title="Organiser une cartopartie", body=None, publish=True, **fields):
    """A KitPage under `parent`, published unless told otherwise."""
    from kits.models import KitPage

    kit = KitPage(title=title, body=body or [], **fields)
    parent.add_child(instance=kit)
    if publish:
        kit.save_revision().publish()
    else:
        kit.live = False
        kit.save()
    kit.refresh_from_db()
    return kit


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    title = "Prise en main de GoGoCarto"
    kind = "remote"
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    capacity = 3
    visio_url = "https://visio.exemple.org/salle-secrete"
    trainer = factory.SubFactory(UserFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
