"""`/healthz`: 200 with the database and the cache answering, 503 naming the part that
failed (a Redis nobody listens on; a database out of reach); never cached, no cookie, no
language redirect; the scheduler's heartbeat reported."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cocity import scheduler
from cocity.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 2  # this suite's own database number on the shared Redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(port):
    return {
        "default": {
            "BACKEND": "cocity.cache.DegradingRedisCache",  # as in production
            "LOCATION": f"redis://127.0.0.1:{port}/{REDIS_DB}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def redis_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.skipif(not redis_running(), reason="needs the Redis of CI on 127.0.0.1:6379")
def test_healthy_with_redis_and_the_database(client, settings):
    settings.CACHES = redis_cache(6379)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "cache": "ok", "scheduler": "never"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no language cookie


@pytest.mark.django_db
def test_cache_down_is_a_503_naming_it(client, settings):
    settings.CACHES = redis_cache(free_port())  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "database": "ok",
        "cache": "error",
        "scheduler": "never",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_language_redirect_and_the_scheduler_state(client):
    Heartbeat.beat(scheduler.SCHEDULER, 60, "node:1")
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200  # not a redirect to /ar/…
    assert json.loads(response.content)["scheduler"] == "ok"
    Heartbeat.objects.update(seen_at=Heartbeat.objects.get().seen_at.replace(year=2020))
    assert json.loads(client.get("/healthz").content)["scheduler"] == "late"


def test_database_down_is_a_503_naming_it():
    """A fresh process whose database nobody answers (PostgreSQL on a closed port)."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocity.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", done.stderr
    assert json.loads(body) == {"database": "error", "cache": "ok", "scheduler": "unknown"}


@pytest.mark.django_db
def test_a_load_balancer_may_require_the_database_only(client, settings):
    """The site serves without Redis: a load balancer's check need not take every node out
    of rotation when the shared cache is down."""
    settings.CACHES = redis_cache(free_port())
    response = client.get("/healthz?require=database")
    assert response.status_code == 200
    assert json.loads(response.content)["cache"] == "error"
    assert client.get("/healthz?require=database,cache").status_code == 503
