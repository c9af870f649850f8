"""Benchmark: how fast the Stripe webhook settles donations, and what each costs in SQL.

    .venv/bin/python bench/webhook_throughput.py [--donations 200]

Builds a throw-away database (SQLite, or DATABASE_URL), a live campaign, N pending
donations with sessions on the fake Stripe server, then delivers each signed
`checkout.session.completed` event (and every event a second time, as Stripe may) through
Django's test client. Prints events per second and queries per event. Not part of `make test`.
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

SECRET = "whsec_bench"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donations", type=int, default=200)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Locale, Page, Site

    from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
    from donations import ledger
    from donations.payments import StripeBackend
    from home.factories import HomePageFactory
    from tests.fakes.stripe_server import FakeStripe

    call_command("migrate", verbosity=0)
    home = HomePageFactory(
        parent=Page.get_first_root_node(), locale=Locale.objects.get(language_code="fr")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    campaign = CampaignPageFactory(parent=CampaignIndexPageFactory(parent=home))

    with FakeStripe() as server:
        settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE = "sk_test_bench", server.url
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        request = RequestFactory().get("/")
        events = []
        for _ in range(arguments.donations):
            donation = ledger.create_pending(
                campaign_key=campaign.translation_key, amount_cents=1000, provider="stripe"
            )
            StripeBackend().start_checkout(donation, request)
            donation.refresh_from_db()
            session = server.complete(donation.provider_session_id)
            events.append(
                server.signed(server.event("checkout.session.completed", session), SECRET)
            )

        client = Client()
        rows = []
        for label, batch in (("first delivery", events), ("duplicate delivery", events)):
            timings, queries = [], []
            start = time.perf_counter()
            for payload, header in batch:
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    response = client.post(
                        "/webhooks/stripe/",
                        payload,
                        content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=header,
                    )
                    timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200
                queries.append(len(captured))
            elapsed = time.perf_counter() - start
            rows.append((label, len(batch) / elapsed, statistics.median(timings), max(queries)))

    raised, donors = ledger.tally(campaign.translation_key)
    assert (raised, donors) == (1000 * arguments.donations, arguments.donations)
    print(f"{'delivery':<20} {'events/s':>9} {'median ms':>10} {'max queries':>12}")
    for label, rate, median, most in rows:
        print(f"{label:<20} {rate:>9.0f} {median:>10.1f} {most:>12}")
    print(
        f"\n{arguments.donations} donations, tally {raised} cents / {donors} donors, "
        f"{connection.vendor}"
    )


if __name__ == "__main__":
    main()
