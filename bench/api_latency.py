"""Benchmark: the headless endpoints (JSON API, open data, embed card) on the demo data plus
N extra campaigns with gifts.

    .venv/bin/python bench/api_latency.py [--campaigns 100] [--repeat 20]

Builds the demo in a throw-away SQLite database (or DATABASE_URL), adds --campaigns campaigns
with a gift each, then requests each URL with Django's test client and prints a table: URL,
SQL queries, response size, median and p95 ms. Not part of `make test`.
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


def add_campaigns(count):
    from campaigns.factories import CampaignPageFactory
    from campaigns.models import CampaignIndexPage
    from donations import ledger

    index = CampaignIndexPage.objects.get(locale__language_code="fr")
    for number in range(count):
        page = CampaignPageFactory(parent=index, title=f"Campagne de mesure {number}")
        ledger.record_offline(
            campaign_key=page.translation_key, amount_cents=1_000 + number, offline_method="cash"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import CampaignPage

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    add_campaigns(arguments.campaigns)
    campaign = CampaignPage.objects.live().get(
        slug="jardin-des-couronnes", locale__language_code="ar"
    )
    urls = [
        "/api/v2/pages/?limit=50",
        "/api/v2/pages/?type=campaigns.CampaignPage&locale=fr&limit=50&fields=*",
        "/api/v2/pages/?type=workshops.WorkshopPage&fields=*&limit=50",
        "/api/v2/pages/?type=stories.StoryPage&fields=*&limit=50",
        f"/api/v2/pages/{campaign.pk}/",
        "/api/v2/images/?limit=50",
        "/open-data/campaigns.json",
        "/open-data/campaigns.csv",
        "/open-data/stats.json",
        f"/embed/campaign/{campaign.pk}/?lang=ar",
    ]
    client = Client()
    rows = []
    for url in urls:
        client.get(url)  # warm: renditions, site root paths
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        query_count, size = len(queries), len(response.content)
        timings = []
        for _ in range(arguments.repeat):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        rows.append((url, query_count, size, statistics.median(timings), p95))

    width = max(len(row[0]) for row in rows)
    print(f"{arguments.campaigns} extra campaigns, {connection.vendor}")
    print(f"{'URL':<{width}}  queries  bytes     median ms  p95 ms")
    for url, query_count, size, median, p95 in rows:
        print(f"{url:<{width}}  {query_count:>7}  {size:>8}  {median:>9.1f}  {p95:>6.1f}")


if __name__ == "__main__":
    main()
