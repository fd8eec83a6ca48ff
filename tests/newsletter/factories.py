from datetime import timedelta

from django.utils import timezone

import factory

from newsletter.models import NewsletterIssue, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonne{n}@exemple.org")
    scope = Subscriber.Scope.DEPARTEMENT
    territory_code = "30"
    frequency = "monthly"
    status = Subscriber.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    title = factory.Sequence(lambda n: f"La lettre n°{n}")
    frequency = "monthly"
    introduction = "Bonjour à toutes et à tous !"
    period_start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    period_end = factory.LazyFunction(timezone.now)


def element(source, *, name, departement, lat=None, lon=None, days_ago=3, removed=False):
    from sources.models import SourceElement

    now = timezone.now()
    return SourceElement.objects.create(
        source=source,
        element_id=name,
        name=name,
        departement=departement,
        latitude=lat,
        longitude=lon,
        content_hash="x",
        first_seen_at=now - timedelta(days=days_ago),
        last_seen_at=now,
        removed_at=now if removed else None,
    )
