"""Benchmark: queries and render time of every demo page in every language.

    .venv/bin/python bench/page_render.py [--repeat 20]

Builds the demo in a throw-away SQLite database (or DATABASE_URL), then renders each live
page with Django's test client and prints a table: URL, SQL queries, median and p95 ms.
Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Page

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    urls = sorted(page.get_url() for page in Page.objects.live().filter(depth__gte=2))
    rows = []
    for url in urls:
        client.get(url)  # warm: renditions, caches
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # read now: later requests reset the query log
        timings = []
        for _ in range(arguments.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        rows.append((url, query_count, statistics.median(timings), p95))

    width = max(len(row[0]) for row in rows)
    print(f"{'URL':<{width}}  queries  median ms  p95 ms")
    for url, count, median, p95 in rows:
        print(f"{url:<{width}}  {count:>7}  {median:>9.1f}  {p95:>6.1f}")
    print(f"\n{len(rows)} pages, {arguments.repeat} renders each, {connection.vendor}")


if __name__ == "__main__":
    main()
