"""Redis down must not take pages down (the cache fails open) and `/readyz` must see it."""

import logging

from django.db import connection

import pytest

from portal.settings.base import redis_caches

from .serving import free_port


@pytest.fixture
def redis_down(settings):
    """The cache and the broker pointed at a port where nothing listens (as the settings build them)."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = redis_caches(url)
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "redis": url}
    settings.Q_CLUSTER.pop("orm", None)
    return url


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_unreachable(client, redis_down, caplog):
    caplog.set_level(logging.ERROR, logger="core.cache")

    for path in ("/", "/en/", "/sources/", "/agenda/"):
        response = client.get(path)
        assert response.status_code == 200, path

    outage_logs = [r for r in caplog.records if r.name == "core.cache"]
    assert len(outage_logs) == 1  # once per outage, not per read
    assert "unreachable" in outage_logs[0].getMessage()


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_cache_and_broker(client, redis_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unreachable", "broker": "unreachable", "migrations": "ok"},
    }
    assert client.get("/healthz").status_code == 200  # alive all the same


@pytest.mark.django_db
def test_readyz_is_ok_with_everything_reachable(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_readyz_reports_a_migration_left_to_apply(client):
    with connection.cursor() as cursor:
        # The app's latest migration (a release whose `migrate` has not run yet).
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'core' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'core')"
        )

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 unapplied"
