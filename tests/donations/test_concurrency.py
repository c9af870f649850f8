"""Twenty simultaneous deliveries of one Stripe event count the gift once (PostgreSQL).

SQLite serialises every write, so it cannot show a race: this test needs the PostgreSQL run
of CI (DATABASE_URL=postgres://…), where each thread has its own connection and transaction.
"""

import threading

from django.db import connection, connections
from django.test import Client, RequestFactory

import pytest

from donations import ledger
from donations.models import Donation, DonationStatus, WebhookEvent
from donations.payments import StripeBackend
from tests.conftest import WEBHOOK_SECRET

DELIVERIES = 20

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL (CI does)",
)


def deliver_concurrently(payloads):
    """POST each (payload, signature) at the same instant from its own thread and
    connection; return the response status codes."""
    barrier = threading.Barrier(len(payloads))
    statuses = []

    def deliver(payload, header):
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/webhooks/stripe/",
                payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=pair) for pair in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


# Transactional: its flush removes the root page and site the migrations created; the
# home_page fixture (tests/conftest.py) makes them again for the next one.
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_count_the_gift_once(campaign, stripe_server):
    # the same event, delivered twenty times at once
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=2500, provider="stripe"
    )
    session = stripe_server.complete(stripe_server_session(donation))
    event = stripe_server.event("checkout.session.completed", session)
    statuses = deliver_concurrently(
        [stripe_server.signed(event, WEBHOOK_SECRET) for _ in range(DELIVERIES)]
    )
    assert statuses == [200] * DELIVERIES
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert ledger.tally(campaign.translation_key) == (2500, 1)
    assert WebhookEvent.objects.count() == 1

    # twenty distinct events about one new payment (completed and async_payment_succeeded
    # retried by Stripe under new ids) still count it once
    other = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=1000, provider="stripe"
    )
    session = stripe_server.complete(stripe_server_session(other))
    statuses = deliver_concurrently(
        [
            stripe_server.signed(
                stripe_server.event("checkout.session.completed", session), WEBHOOK_SECRET
            )
            for _ in range(DELIVERIES)
        ]
    )
    assert statuses == [200] * DELIVERIES
    assert ledger.tally(campaign.translation_key) == (3500, 2)
    assert WebhookEvent.objects.count() == 1 + DELIVERIES
    assert Donation.objects.count() == 2


def stripe_server_session(donation):
    """Create the donation's Checkout Session the way the site does; return its id."""
    StripeBackend().start_checkout(donation, RequestFactory().get("/"))
    donation.refresh_from_db()
    return donation.provider_session_id
