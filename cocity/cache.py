"""A Redis cache that degrades instead of failing: when Redis cannot be reached, the site keeps
serving as if the cache were empty.

Django's RedisCache raises on every call while Redis is down, so one unreachable cache server
answered every page, the API, open data, the embed card and the sign-in forms with a 500.
Nothing the cache holds here is the only copy of anything (sessions live in the database, see
cocity/settings/production.py): reads then miss, writes are dropped, counters start afresh,
so rate limits fail open for as long as Redis is away.

    CACHES = {"default": {"BACKEND": "cocity.cache.DegradingRedisCache", "LOCATION": ...,
                          "OPTIONS": {"RETRY_SECONDS": 10, "socket_connect_timeout": 0.5}}}

After a failure, Redis is left alone for RETRY_SECONDS (default 10) so that a server that does
not answer at all costs one connection timeout per interval, not one per cache call; a warning
is logged when the outage is noticed, at most once per interval and process.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

import redis

logger = logging.getLogger(__name__)

UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
DEFAULT_RETRY_SECONDS = 10

# When each Redis location may be tried again after a failure (time.monotonic()), shared by
# the threads of a process: Django gives every thread its own cache client.
_retry_at = {}
_retry_lock = threading.Lock()


class DegradingRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, retry_seconds=DEFAULT_RETRY_SECONDS, **options):
        super().__init__(servers, **options)
        self._location = tuple(servers)
        self._retry_seconds = retry_seconds
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis (and its table of ~80 response callbacks) for every
        # call; one per connection pool is enough (a redis.Redis is safe to share).
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client

    def _degrade(self, operation, fallback, *args):
        """``operation(*args)`` of Django's client, or ``fallback`` while Redis is away."""
        if time.monotonic() < _retry_at.get(self._location, 0):
            return fallback
        try:
            return operation(*args)
        except UNAVAILABLE as error:
            with _retry_lock:
                if time.monotonic() >= _retry_at.get(self._location, 0):
                    _retry_at[self._location] = time.monotonic() + self._retry_seconds
                    logger.warning(
                        "Cache unavailable, serving without it for %s s: %s",
                        self._retry_seconds,
                        error,
                    )
            return fallback

    def add(self, key, value, timeout):
        return self._degrade(super().add, False, key, value, timeout)

    def get(self, key, default):
        return self._degrade(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._degrade(super().set, None, key, value, timeout)

    def touch(self, key, timeout):
        return self._degrade(super().touch, False, key, timeout)

    def delete(self, key):
        return self._degrade(super().delete, False, key)

    def get_many(self, keys):
        return self._degrade(super().get_many, {}, keys)

    def has_key(self, key):
        return self._degrade(super().has_key, False, key)

    def incr(self, key, delta):
        # A counter that cannot be read starts afresh: rate limits let the request through.
        return self._degrade(super().incr, delta, key, delta)

    def set_many(self, data, timeout):
        return self._degrade(super().set_many, None, data, timeout)

    def delete_many(self, keys):
        return self._degrade(super().delete_many, None, keys)

    def clear(self):
        return self._degrade(super().clear, False)


class DegradingRedisCache(RedisCache):
    """Django's RedisCache on a client that degrades (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
        options = dict(self._options)
        options["retry_seconds"] = options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
        self._options = options
