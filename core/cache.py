"""A Redis cache that fails open: while Redis is unreachable, pages are served (slower) instead of 500s.

Everything the portal keeps in the cache can be recomputed (Wagtail's site roots, counts, rate-limit
counters), so a read that cannot reach Redis answers the default (a miss), a write is dropped, and the
outage is logged once when it starts and once when it ends. After a failure Redis is left alone for
`RETRY_AFTER` seconds, so a page does not wait on a dead server for each of its cache reads. `/readyz`
sees the outage (a value written cannot be read back) and takes the instance out of rotation.

Rate limits (django-ratelimit, allauth) do not count while Redis is down: `RATELIMIT_FAIL_OPEN`.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_MISSING = object()


class FailOpenRedisCache(RedisCache):
    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_since = None
        self._retry_at = 0.0

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _guard(self, call, default):
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return default
        try:
            result = call()
        except UNREACHABLE as error:
            now = time.monotonic()
            if self._down_since is None:
                self._down_since = now
                logger.error("Redis cache unreachable, serving without it: %s", error)
            self._retry_at = now + self.RETRY_AFTER
            return default
        if self._down_since is not None:
            logger.warning("Redis cache reachable again after %.0f s", time.monotonic() - self._down_since)
            self._down_since = None
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        result = self._guard(lambda: super(FailOpenRedisCache, self).incr(key, delta, version), _MISSING)
        if result is _MISSING:
            # What a missing key gives: callers (django-ratelimit) already handle it.
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(FailOpenRedisCache, self).clear(), False)
