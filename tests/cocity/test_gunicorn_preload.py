"""gunicorn loads the app once in its master and forks the workers from it (gunicorn.conf.py
``preload_app``): safe only if importing the app opens no database or Redis connection, which
the forked workers would then share. Imported here under the production settings with both
services pointing at a closed port: any connection attempt would fail the import or leave a
connection behind."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORT = """
import json
import cocity.wsgi
from django.core.cache import caches
from django.db import connections
open_databases = [c.alias for c in connections.all() if c.connection is not None]
redis_pools = {alias: len(getattr(getattr(caches[alias], "_cache", None), "_pools", {}) or {})
               for alias in caches}
print(json.dumps({"databases": open_databases, "redis_pools": redis_pools}))
"""


def test_gunicorn_forks_its_workers_from_a_preloaded_app():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert config["max_requests"] > 0  # workers are recycled: each must start fast


def test_importing_the_app_opens_no_database_or_redis_connection():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="cocity.settings.production",
        SECRET_KEY="k7#Qz!v9Lm2@pX4&rT8^wY1*bN6(cD3)eF5_gH0+jK-sA=uI~oP",
        ALLOWED_HOSTS="cocity.example",
        DATABASE_URL="postgres://cocity:secret@127.0.0.1:9/cocity",  # nothing listens
        REDIS_URL="redis://127.0.0.1:9/0",
        STRIPE_SECRET_KEY="sk_live_placeholder",
        STRIPE_WEBHOOK_SECRET="whsec_placeholder",
        PAYMENT_BACKEND="stripe",
    )
    result = subprocess.run(
        [sys.executable, "-c", IMPORT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["databases"] == []
    assert set(found["redis_pools"].values()) == {0}, found
