"""The checks behind `/readyz`: each answers "ok" or a short reason (no detail an outsider could use)."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.error("readyz: database unreachable: %s", error)
        return "unreachable"
    return "ok"


def check_cache() -> str:
    """A value written can be read back (the fail-open cache swallows errors: this is where they show)."""
    key, token = "readyz:probe", uuid.uuid4().hex
    try:
        cache.set(key, token, 30)
        if cache.get(key) != token:
            return "unreachable"
    except Exception as error:  # any backend's own failure
        logger.error("readyz: cache failing: %s", error)
        return "unreachable"
    return "ok"


def check_broker() -> str:
    """django-q2's broker: Redis answers PING; the ORM broker's queue table can be read."""
    q_cluster = settings.Q_CLUSTER
    try:
        if q_cluster.get("redis"):
            import redis

            target = q_cluster["redis"]
            client = (
                redis.from_url(target, socket_connect_timeout=1, socket_timeout=1)
                if isinstance(target, str)
                else redis.Redis(**{"socket_connect_timeout": 1, "socket_timeout": 1, **target})
            )
            try:
                client.ping()
            finally:
                client.close()
        else:
            from django_q.models import OrmQ

            OrmQ.objects.using(q_cluster.get("orm", "default")).exists()
    except Exception as error:  # redis or database errors alike
        logger.error("readyz: task broker unreachable: %s", error)
        return "unreachable"
    return "ok"


def check_migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    return f"{len(plan)} unapplied" if plan else "ok"


def readiness_checks() -> dict[str, str]:
    checks = {"database": check_database()}
    checks["cache"] = check_cache()
    checks["broker"] = check_broker()
    checks["migrations"] = check_migrations() if checks["database"] == "ok" else "unknown"
    return checks
