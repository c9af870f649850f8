"""Fuzz: malformed requests to every public form, query parameter and API endpoint of the
demo, in every language; prints the answers by status class and every answer >= 500.

    .venv/bin/python bench/fuzz.py [--requests 5000] [--seed 0]

Builds the demo in a throw-away SQLite database (or DATABASE_URL: an empty PostgreSQL
database), then sends --requests requests made by tests/fuzzer.py with Django's test client.
Exits with status 1 if any answer is >= 500. A sample of 800 runs in the suite
(tests/test_fuzz.py).
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/fuzz.sqlite3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.fuzzer import run

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # 4xx answers are the point: keep the log for errors (>= 500, with their traceback)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    logging.getLogger("django.security").setLevel(logging.CRITICAL)

    started = time.monotonic()
    report = run(arguments.requests, seed=arguments.seed)
    seconds = time.monotonic() - started
    print(f"database: {connection.vendor}, seed {arguments.seed}, {seconds:.0f} s")
    print(report.table())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
