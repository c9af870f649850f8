"""gunicorn configuration: `gunicorn -c gunicorn.conf.py cocity.wsgi`.

App servers are stateless (DESIGN.md §8): scale by adding boxes, not by tuning this file.
"""

import multiprocessing
import os


def _setting(name, default):
    """The variable ``name``, or ``default`` when it is unset or empty (as in .env.example)."""
    return os.environ.get(name, "").strip() or default


bind = _setting("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(_setting("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(_setting("GUNICORN_THREADS", "2"))
# gthread, but a worker leaving (max_requests below, a graceful stop) first serves the
# connections it has accepted instead of resetting them (cocity/gunicorn_worker.py)
worker_class = "cocity.gunicorn_worker.GracefulThreadWorker"
timeout = 30
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# The app is imported once by the master and each worker is forked from it: a worker recycled
# by max_requests (every ~3 s per worker at 1 400 cached pages a second) or killed is serving
# again within milliseconds instead of importing Django for a second or more, during which
# two recycled at once left nobody to answer (bench/README.md: p90 89 ms → 8 ms, p99 1.2 s →
# 0.17 s on a cached page). Nothing opens a database or Redis connection at import (checked
# by tests/cocity/test_gunicorn_preload.py). A new release needs a restart, not a HUP.
preload_app = True
forwarded_allow_ips = _setting("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Query strings can hold personal data: log method, path and status only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
