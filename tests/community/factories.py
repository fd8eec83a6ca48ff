"""Factories of the community app."""

import factory

from community import services
from community.models import AmbassadorProfile, Category, WorkingGroup
from tests.factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")
    visibility = Category.Visibility.PUBLIC


def make_topic(
    *, category=None, author=None, title="Comment importer un flux CSV ?", body="Bonjour", replies=0
):
    """A topic (with `replies` replies by other people) built through the services, as the site does."""
    category = category or CategoryFactory()
    author = author or UserFactory(roles=["ambassador"])
    topic = services.topic_create(category=category, author=author, title=title, body=body)
    for n in range(replies):
        services.post_create(topic=topic, author=UserFactory(roles=["ambassador"]), body=f"Réponse {n}")
    topic.refresh_from_db()
    return topic


class AmbassadorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AmbassadorProfile

    user = factory.SubFactory(UserFactory, roles=["ambassador"])
    kind = "individual"
    departement = "30"
    region = "76"
    themes = factory.LazyFunction(lambda: ["alimentation"])
    languages = factory.LazyFunction(lambda: ["fr"])


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Groupe {n}")
    slug = factory.Sequence(lambda n: f"groupe-{n}")
    purpose = "Faire avancer la technique."
    welcomer = factory.SubFactory(UserFactory)
