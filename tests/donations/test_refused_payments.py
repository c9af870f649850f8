"""A payment is applied only to its own gift (issue 10, finding 1): the Checkout Session must
be the one the gift started, for the gift's amount, in euros, in payment mode. Anything else is
refused, never counted, and shown to staff. Real Stripe SDK against the fake Stripe server."""

import io

from django.core import mail
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

import pytest
import stripe

from donations import ledger
from donations.models import (
    Donation,
    DonationStatus,
    RefusedPayment,
    RefusedReason,
    WebhookEvent,
)
from helpers.money import format_money
from tests.donations.test_admin import staff_client
from tests.donations.test_payments import deliver, give

REFUSED_URL = reverse("donations_refused:index")


def foreign_session(stripe_server, client_reference_id, amount=100, currency="usd"):
    """Another Checkout Session of the same Stripe account (e.g. a Payment Link opened with
    ?client_reference_id=<gift uuid>), created and paid through the real SDK."""
    client = stripe.StripeClient(
        "sk_test_cocity", base_addresses={"api": stripe_server.url}, max_network_retries=0
    )
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "success_url": "https://attacker.example/ok",
            "cancel_url": "https://attacker.example/ko",
            "client_reference_id": client_reference_id,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency,
                        "unit_amount": amount,
                        "product_data": {"name": "Anything"},
                    },
                }
            ],
        }
    )
    return stripe_server.complete(session.id)


@pytest.fixture
def big_gift(client, campaign, stripe_server, donation_form):
    """A pending 5 000 € online gift whose checkout has started."""
    form = {**donation_form, "amount_choice": "custom", "custom_amount": "5000"}
    _response, donation = give(client, campaign, form)
    assert donation.amount_cents == 500_000 and donation.provider_session_id
    return donation


def assert_refused(donation, campaign, reason, before=(0, 0)):
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PENDING
    assert ledger.tally(campaign.translation_key) == before
    assert mail.outbox == []
    anomaly = RefusedPayment.objects.get()
    assert anomaly.reason == reason
    assert anomaly.donation_id == donation.pk
    return anomaly


@pytest.mark.django_db
def test_a_completed_session_of_another_payment_never_pays_the_gift(
    client, admin_client, campaign, stripe_server, big_gift, django_capture_on_commit_callbacks
):
    other = foreign_session(stripe_server, client_reference_id=str(big_gift.uuid))
    with django_capture_on_commit_callbacks(execute=True):
        response, event = deliver(client, stripe_server, "checkout.session.completed", other)
    # refused for good: Stripe need not deliver it again, and it is stored once
    assert response.status_code == 200
    assert WebhookEvent.objects.filter(event_id=event["id"]).count() == 1
    anomaly = assert_refused(big_gift, campaign, RefusedReason.OTHER_SESSION)
    assert (anomaly.event_id, anomaly.session_id) == (event["id"], other["id"])
    assert (anomaly.amount_cents, anomaly.currency) == (100, "usd")
    assert anomaly.expected_cents == 500_000
    assert big_gift.provider_payment_id is None

    # the same event delivered again changes nothing and is not listed twice
    deliver(client, stripe_server, "", None, event=event)
    assert RefusedPayment.objects.count() == 1

    # staff see it in the donations admin
    listing = admin_client.get(REFUSED_URL)
    assert listing.status_code == 200
    assert other["id"] in listing.content.decode()
    detail = admin_client.get(reverse("donations_refused:inspect", args=[anomaly.pk]))
    assert detail.status_code == 200
    assert event["id"] in detail.content.decode()

    # the gift's own session still pays it
    session = stripe_server.complete(big_gift.provider_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        response, _event = deliver(client, stripe_server, "checkout.session.completed", session)
    assert response.status_code == 200
    big_gift.refresh_from_db()
    assert big_gift.status == DonationStatus.PAID
    assert big_gift.provider_payment_id == session["payment_intent"]
    assert ledger.tally(campaign.translation_key) == (500_000, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount_total": 100}, RefusedReason.AMOUNT),
        ({"currency": "usd"}, RefusedReason.CURRENCY),
        ({"mode": "subscription"}, RefusedReason.MODE),
        ({"id": "cs_test_someone_else"}, RefusedReason.OTHER_SESSION),
    ],
    ids=["amount", "currency", "mode", "session"],
)
def test_one_differing_field_is_enough_to_refuse(
    client, campaign, stripe_server, big_gift, change, reason, django_capture_on_commit_callbacks
):
    session = {**stripe_server.complete(big_gift.provider_session_id), **change}
    with django_capture_on_commit_callbacks(execute=True):
        response, _event = deliver(client, stripe_server, "checkout.session.completed", session)
    assert response.status_code == 200
    assert_refused(big_gift, campaign, reason)


@pytest.mark.django_db
def test_an_expired_event_of_another_session_does_not_expire_the_gift(
    client, campaign, stripe_server, big_gift
):
    other = foreign_session(stripe_server, str(big_gift.uuid), amount=500_000, currency="eur")
    deliver(client, stripe_server, "checkout.session.expired", {**other, "status": "expired"})
    assert_refused(big_gift, campaign, RefusedReason.OTHER_SESSION)


@pytest.mark.django_db
def test_a_gift_that_never_started_a_checkout_refuses_every_session(
    client, campaign, stripe_server, donation_form
):
    stripe_server.fail_next("500")  # the checkout could not start: the gift is failed
    _response, donation = give(client, campaign, donation_form)
    assert donation.status == DonationStatus.FAILED and donation.provider_session_id is None
    other = foreign_session(stripe_server, str(donation.uuid), amount=2500, currency="eur")
    response, _event = deliver(client, stripe_server, "checkout.session.completed", other)
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.FAILED
    assert ledger.tally(campaign.translation_key) == (0, 0)
    assert RefusedPayment.objects.get().reason == RefusedReason.NO_SESSION


@pytest.mark.django_db
def test_an_event_arriving_while_the_checkout_is_being_started_is_retried(
    client, campaign, stripe_server, donation_form
):
    """The session id is stored right after Stripe creates the session; an event for a pending
    gift that has none yet answers 503, so Stripe delivers it again, and nothing is stored."""
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=2500, provider="stripe"
    )
    other = foreign_session(stripe_server, str(donation.uuid), amount=2500, currency="eur")
    response, _event = deliver(client, stripe_server, "checkout.session.completed", other)
    assert response.status_code == 503
    assert not WebhookEvent.objects.exists() and not RefusedPayment.objects.exists()
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PENDING


@pytest.mark.django_db
def test_thanks_page_and_reconcile_check_the_session_too(client, campaign, stripe_server, big_gift):
    stripe_server.complete(big_gift.provider_session_id)
    # Stripe's record of the session differs from the gift (say, it was edited on Stripe)
    with stripe_server._lock:
        stripe_server._objects[big_gift.provider_session_id]["amount_total"] = 100
    response = client.get(reverse("donations:thanks", args=[big_gift.uuid]))
    assert response.status_code == 200
    assert_refused(big_gift, campaign, RefusedReason.AMOUNT)

    call_command("reconcile_donations", "--older-than", "0", stdout=io.StringIO())
    assert_refused(big_gift, campaign, RefusedReason.AMOUNT)  # still one anomaly, not two


@pytest.mark.django_db
def test_a_refund_of_another_payment_never_touches_the_gift(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    own = stripe_server.complete(donation.provider_session_id)
    deliver(client, stripe_server, "checkout.session.completed", own)
    assert ledger.tally(campaign.translation_key) == (2500, 1)

    # another payment whose payment intent claims to be this gift's
    other = foreign_session(stripe_server, str(donation.uuid), amount=2500, currency="eur")
    with stripe_server._lock:
        intent = stripe_server._objects[other["payment_intent"]]
        intent["metadata"] = {"donation_id": str(donation.uuid)}
    charge = stripe_server.refund(other["id"])
    response, _event = deliver(client, stripe_server, "charge.refunded", charge)
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID and donation.refunded_cents == 0
    assert ledger.tally(campaign.translation_key) == (2500, 1)
    anomaly = RefusedPayment.objects.get()
    assert anomaly.reason == RefusedReason.OTHER_PAYMENT
    assert anomaly.payment_intent_id == other["payment_intent"]


@pytest.mark.django_db
def test_a_refund_arriving_before_the_payment_is_checked_against_the_gifts_session(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    stripe_server.complete(donation.provider_session_id)
    charge = stripe_server.refund(donation.provider_session_id)
    assert deliver(client, stripe_server, "charge.refunded", charge)[0].status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.REFUNDED
    assert not RefusedPayment.objects.exists()
    assert Donation.objects.count() == 1


@pytest.mark.django_db
def test_refused_payments_are_shown_to_donation_staff_only_and_never_edited(
    client, django_user_model, campaign, stripe_server, big_gift
):
    other = foreign_session(stripe_server, client_reference_id=str(big_gift.uuid))
    deliver(client, stripe_server, "checkout.session.completed", other)
    anomaly = RefusedPayment.objects.get()
    detail_url = reverse("donations_refused:inspect", args=[anomaly.pk])

    outsider = staff_client(django_user_model, "outsider")
    assert REFUSED_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    for url in (REFUSED_URL, detail_url):
        assert outsider.get(url).status_code in (302, 403), url

    viewer = staff_client(django_user_model, "viewer", "view_donation")
    assert REFUSED_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    listing = viewer.get(REFUSED_URL)
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Another checkout session than the gift" in body
    assert "1.00 USD" in body and format_money(500_000, "en") in body
    assert viewer.get(detail_url).status_code == 200
    # there is nothing to add, edit or delete
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"donations_refused:{name}", args=[] if name == "add" else [anomaly.pk])
