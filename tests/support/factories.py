"""Factories of the support app."""

from datetime import timedelta

from django.utils import timezone

import factory

from support import services
from support.models import CannedAnswer, Partner, Referral, SupportRequest, Theme


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.Sequence(lambda n: f"Partenaire {n}")
    description = "Accompagne les collectifs de la transition."
    themes = factory.LazyFunction(lambda: [Theme.CARTOPARTY])
    coverage = Partner.Coverage.LOCAL
    departements = factory.LazyFunction(lambda: ["30"])
    regions = factory.LazyFunction(list)
    languages = factory.LazyFunction(lambda: ["fr"])
    contact_name = factory.Faker("name", locale="fr_FR")
    contact_email = factory.Sequence(lambda n: f"partenaire{n}@exemple.org")
    capacity = 3


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    collective = factory.Sequence(lambda n: f"Collectif {n}")
    contact_name = "Alice Martin"
    contact_email = factory.Sequence(lambda n: f"demandeur{n}@exemple.org")
    commune = "Nîmes"
    territory_code = "30000"
    departement = "30"
    region = "76"
    theme = Theme.CARTOPARTY
    description = "Nous voulons organiser une cartopartie dans notre quartier au printemps."
    language = "fr"
    consent_at = factory.LazyFunction(timezone.now)
    token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    request = factory.SubFactory(SupportRequestFactory, status=SupportRequest.Status.FORWARDED)
    partner = factory.SubFactory(PartnerFactory)
    message = "Un collectif nîmois veut organiser une cartopartie."
    token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class CannedAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedAnswer

    title = factory.Sequence(lambda n: f"Réponse {n}")
    body = "Bonjour {{ requester_name }}, merci pour la demande {{ reference }} de {{ collective }}."


def follow_path(support_request: SupportRequest) -> str:
    """A working link to the requester's page, made the way e-mails make them (only its hash is stored)."""
    return support_request.follow_path(services.requester_link_issue(support_request=support_request))


def answer_path(referral: Referral) -> str:
    """A working link to the partner's page of a referral."""
    return referral.answer_path(services.partner_link_issue(referral=referral))
