"""Keys of a shared Redis that belong to this test process only.

CI runs the suite twice at once (SQLite and PostgreSQL, .ci/run) against one Redis: a test
that emptied a whole database (``cache.clear()`` is FLUSHDB there) would wipe the other
run's page cache in the middle of its test, which then finds a miss where it wrote a hit.
Each process therefore uses a key prefix of its own and deletes only its own keys."""

import os

import redis


def own_prefix(name):
    """``name`` made this process's own (a KEY_PREFIX of Django's cache settings)."""
    return f"{name}-{os.getpid()}"


def clear_prefix(url, prefix):
    """Delete every key of the cache KEY_PREFIX ``prefix`` in the Redis database ``url``."""
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()
