"""`/healthz`, for load balancers and monitoring: 200 when the database and the cache answer,
503 otherwise, with what each part said as JSON::

    {"database": "ok", "cache": "ok", "scheduler": "ok"}

``database`` is a trivial query, ``cache`` a value written then read back (the degrading
Redis cache of production, cocity/cache.py, swallows a Redis outage: a value that does not
come back is the sign of it), ``scheduler`` the age of `run_scheduler`'s heartbeat: "ok",
"late" (older than twice its interval), "never" (no scheduler ever ran) or "unknown" (the
database did not answer); it does not change the status, since the site serves without it.
``?require=database``: only the database decides the status (a load balancer's check, PARTS).

Outside the language prefix (no redirect), never cached, no session, no cookie.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from cocity.models import heartbeat_state
from cocity.scheduler import SCHEDULER

logger = logging.getLogger(__name__)


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: database error: %s", error)
        return "error"
    return "ok"


def cache_state():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:
        logger.warning("healthz: cache error: %s", error)
        return "error"
    return "ok" if answered == value else "error"


# The parts whose failure is a 503; ``?require=database`` narrows them, for a load balancer:
# the site serves without Redis (cocity/cache.py), so a Redis outage must not take every node
# out of rotation.
PARTS = ("database", "cache")


@never_cache
def healthz(request):
    state = {"database": database_state(), "cache": cache_state()}
    if state["database"] == "ok":
        try:
            state["scheduler"] = heartbeat_state(SCHEDULER)[1]
        except DatabaseError:
            state["scheduler"] = "unknown"
    else:
        state["scheduler"] = "unknown"
    required = [part for part in request.GET.get("require", "").split(",") if part in PARTS]
    healthy = all(state[part] == "ok" for part in required or PARTS)
    return JsonResponse(state, status=200 if healthy else 503)


# Included by cocity/urls.py at /healthz, outside i18n_patterns.
urlpatterns = [path("", healthz, name="healthz")]
