"""Support writes that race: two forwards of one request, the deadline job against a partner's accept.
Threads on the real database (PostgreSQL in CI's second pass, the SQLite file otherwise)."""

import threading
import time
from datetime import timedelta

from django.db import OperationalError, connection
from django.utils import timezone

import pytest

from core.errors import ServiceError
from support import services
from support.models import Referral, SupportRequest
from tests.factories import UserFactory
from tests.support.factories import PartnerFactory, ReferralFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(*calls):
    """Run the calls at the same instant, each in its own thread and connection. Returns what each
    returned, or the ServiceError it raised; any other exception fails the test."""
    barrier = threading.Barrier(len(calls))
    outcomes, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(500):
                try:
                    outcomes[index] = call()
                    break
                except OperationalError as error:  # SQLite: "database is locked" past the busy timeout
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        except ServiceError as refusal:
            outcomes[index] = refusal
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


def test_two_forwards_at_once_leave_one_partner_in_charge():
    team = UserFactory(roles=["staff"])
    support_request = SupportRequestFactory(status=SupportRequest.Status.TRIAGED)
    partners = [PartnerFactory() for _ in range(4)]
    outcomes = _race(
        *[
            lambda partner=partner: services.request_forward(
                support_request=SupportRequest.objects.get(pk=support_request.pk),
                partner=partner,
                message="Un collectif veut cartographier son quartier.",
                by=team,
            )
            for partner in partners
        ]
    )
    forwarded = [outcome for outcome in outcomes if isinstance(outcome, Referral)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ServiceError)]
    assert len(forwarded) == 1 and len(refused) == 3
    assert Referral.objects.filter(request=support_request, status__in=["pending", "accepted"]).count() == 1


def test_the_deadline_job_and_a_partners_accept_never_both_win():
    now = timezone.now()
    referrals = [
        ReferralFactory(
            sent_at=now - timedelta(days=20),
            reminded_at=now - timedelta(days=10),
            request=SupportRequestFactory(status=SupportRequest.Status.FORWARDED),
        )
        for _ in range(5)
    ]
    # Each partner's page was opened before the job ran: the instances they accept through are the
    # ones read then, as in the view.
    accepts = [lambda one=referral: services.referral_accept(referral=one) for referral in referrals]
    outcomes = _race(services.process_partner_deadlines, *accepts)
    expired = outcomes[0]["expired"]
    accepted = sum(isinstance(outcome, Referral) for outcome in outcomes[1:])
    assert expired + accepted == len(referrals)  # each referral went one way, never both
    for referral in referrals:
        referral = Referral.objects.select_related("request").get(pk=referral.pk)
        if referral.status == Referral.Status.ACCEPTED:
            assert referral.request.status == SupportRequest.Status.ACCEPTED
        else:
            assert referral.status == Referral.Status.EXPIRED
            assert referral.request.status == SupportRequest.Status.TRIAGED
