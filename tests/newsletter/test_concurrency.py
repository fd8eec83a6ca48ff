"""Two sign-ups of the same new address at the same moment (a double click, two tabs)."""

import threading
import time

from django.core import mail
from django.db import OperationalError, connection

import pytest

from newsletter import services
from newsletter.models import Subscriber


def _subscribe(email):
    return services.subscribe(
        email=email,
        scope=Subscriber.Scope.DEPARTEMENT,
        territory_code="30",
        radius_km=None,
        topics=[],
        frequency="weekly",
        language="fr",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_signups_of_a_new_address_store_one_subscriber_and_no_error():
    racers = 4
    barrier = threading.Barrier(racers)
    results, errors = [], []

    def sign_up():
        try:
            barrier.wait(timeout=10)
            for _attempt in range(500):
                try:
                    results.append(_subscribe("Camille@Exemple.org").pk)
                    break
                except OperationalError as error:  # SQLite's shared-cache test database: "table is locked"
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == racers and len(set(results)) == 1
    assert Subscriber.objects.filter(email="camille@exemple.org").count() == 1
    assert {message.to[0] for message in mail.outbox} == {"camille@exemple.org"}
