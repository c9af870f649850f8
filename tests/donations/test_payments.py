"""Giving through Stripe (the real SDK against tests/fakes/stripe_server.py): checkout,
webhooks, refunds, reconciliation, and Stripe being unreachable."""

import io

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import pytest

from donations import ledger
from donations.models import Donation, DonationStatus, WebhookEvent
from tests.conftest import WEBHOOK_SECRET


def give(client, campaign, form, language="fr"):
    """Submit the donation form; return (response, donation)."""
    with translation.override(language):
        url = reverse("donations:donate", args=[campaign.translation_key])
    response = client.post(url, form)
    return response, Donation.objects.order_by("-pk").first()


def deliver(client, stripe_server, event_type, obj, secret=WEBHOOK_SECRET, event=None):
    """POST a signed Stripe event to the webhook; return (response, event)."""
    event = event or stripe_server.event(event_type, obj)
    payload, header = stripe_server.signed(event, secret)
    response = client.post(
        "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    return response, event


@pytest.mark.django_db
def test_checkout_then_webhook_counts_the_gift_exactly_once(
    client, campaign, stripe_server, donation_form, django_capture_on_commit_callbacks
):
    before = ledger.tally(campaign.translation_key)
    response, donation = give(client, campaign, donation_form, language="ar")
    assert response.status_code == 302
    session_id = donation.provider_session_id
    assert response["Location"] == stripe_server.sessions[session_id]["url"]
    created = stripe_server.sessions[session_id]
    assert created["metadata"]["donation_id"] == str(donation.uuid)
    assert created["amount_total"] == 2500 and created["currency"] == "eur"
    assert donation.status == DonationStatus.PENDING and donation.language == "ar"

    session = stripe_server.complete(session_id)
    with django_capture_on_commit_callbacks(execute=True):
        response, event = deliver(client, stripe_server, "checkout.session.completed", session)
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert donation.provider_payment_id == session["payment_intent"]
    raised, donors = ledger.tally(campaign.translation_key)
    assert (raised - before[0], donors - before[1]) == (2500, 1)
    # the confirmation goes out once, in the donor's language
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa@example.org"]
    assert "25" in mail.outbox[0].body and "شكرًا" in (mail.outbox[0].subject + mail.outbox[0].body)

    for _ in range(5):  # Stripe delivers the same event again
        with django_capture_on_commit_callbacks(execute=True):
            again, _event = deliver(client, stripe_server, "", None, event=event)
        assert again.status_code == 200
    assert ledger.tally(campaign.translation_key) == (raised, donors)
    assert WebhookEvent.objects.filter(event_id=event["id"]).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_refunds_lower_the_total(client, campaign, stripe_server, donation_form):
    _response, donation = give(client, campaign, {**donation_form, "amount_choice": "50"})
    session = stripe_server.complete(donation.provider_session_id)
    deliver(client, stripe_server, "checkout.session.completed", session)
    assert ledger.tally(campaign.translation_key) == (5000, 1)

    charge = stripe_server.refund(donation.provider_session_id, amount=2000)
    assert deliver(client, stripe_server, "charge.refunded", charge)[0].status_code == 200
    assert ledger.tally(campaign.translation_key) == (3000, 1)
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID and donation.refunded_cents == 2000

    charge = stripe_server.refund(donation.provider_session_id)  # the rest
    deliver(client, stripe_server, "charge.refunded", charge)
    donation.refresh_from_db()
    assert donation.status == DonationStatus.REFUNDED
    assert ledger.tally(campaign.translation_key) == (0, 0)


@pytest.mark.django_db
def test_a_refund_delivered_before_the_payment_ends_refunded(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    session = stripe_server.complete(donation.provider_session_id)
    charge = stripe_server.refund(donation.provider_session_id)
    assert deliver(client, stripe_server, "charge.refunded", charge)[0].status_code == 200
    deliver(client, stripe_server, "checkout.session.completed", session)
    donation.refresh_from_db()
    assert donation.status == DonationStatus.REFUNDED
    assert ledger.tally(campaign.translation_key) == (0, 0)


@pytest.mark.django_db
def test_async_payment_expiry_and_failure(client, campaign, stripe_server, donation_form):
    _response, slow = give(client, campaign, donation_form)
    session = stripe_server.complete(slow.provider_session_id, paid=False)  # e.g. SEPA debit
    deliver(client, stripe_server, "checkout.session.completed", session)
    slow.refresh_from_db()
    assert slow.status == DonationStatus.PENDING
    session = stripe_server.async_result(slow.provider_session_id, succeeded=False)
    deliver(client, stripe_server, "checkout.session.async_payment_failed", session)
    slow.refresh_from_db()
    assert slow.status == DonationStatus.FAILED

    _response, abandoned = give(client, campaign, donation_form)
    session = stripe_server.expire(abandoned.provider_session_id)
    deliver(client, stripe_server, "checkout.session.expired", session)
    abandoned.refresh_from_db()
    assert abandoned.status == DonationStatus.EXPIRED
    assert ledger.tally(campaign.translation_key) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    ["", "t=1,v1=deadbeef", "garbage", None],
    ids=["missing", "wrong", "malformed", "stale"],
)
def test_webhook_refuses_bad_signatures_and_changes_nothing(
    client, campaign, stripe_server, donation_form, signature
):
    _response, donation = give(client, campaign, donation_form)
    session = stripe_server.complete(donation.provider_session_id)
    event = stripe_server.event("checkout.session.completed", session)
    payload, header = stripe_server.signed(event, WEBHOOK_SECRET, timestamp=1_000_000_000)
    if signature is not None:
        header = signature
    response = client.post(
        "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PENDING
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_reconcile_settles_a_donation_whose_webhook_never_came(
    client, campaign, stripe_server, donation_form
):
    _response, paid = give(client, campaign, donation_form)
    stripe_server.complete(paid.provider_session_id)
    _response, abandoned = give(client, campaign, donation_form)
    stripe_server.expire(abandoned.provider_session_id)
    _response, still_open = give(client, campaign, donation_form)

    output = io.StringIO()
    call_command("reconcile_donations", "--older-than", "0", stdout=output)
    assert "2 settled, 1 unchanged" in output.getvalue()
    statuses = {d.pk: d.status for d in Donation.objects.all()}
    assert statuses[paid.pk] == DonationStatus.PAID
    assert statuses[abandoned.pk] == DonationStatus.EXPIRED
    assert statuses[still_open.pk] == DonationStatus.PENDING
    assert ledger.tally(campaign.translation_key) == (2500, 1)

    call_command("reconcile_donations", "--older-than", "0", stdout=io.StringIO())
    assert {d.pk: d.status for d in Donation.objects.all()} == statuses
    assert ledger.tally(campaign.translation_key) == (2500, 1)


@pytest.mark.django_db
def test_thank_you_page_settles_with_stripe_without_waiting_for_the_webhook(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    stripe_server.complete(donation.provider_session_id)
    response = client.get(reverse("donations:thanks", args=[donation.uuid]))
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert ledger.tally(campaign.translation_key) == (2500, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["500", "timeout", "disconnect", "refused"])
def test_stripe_unreachable_shows_a_translated_retry_and_marks_the_gift_failed(
    client, campaign, stripe_server, donation_form, failure
):
    if failure == "refused":
        stripe_server.stop()
    else:
        stripe_server.fail_next(failure)
    response, donation = give(client, campaign, donation_form)
    assert response.status_code == 503
    body = response.content.decode()
    assert "Rien n'a été débité" in body or "Rien n’a été débité" in body
    assert 'name="donor_email"' in body and "awa@example.org" in body  # what was typed stays
    assert donation.status == DonationStatus.FAILED
    assert ledger.tally(campaign.translation_key) == (0, 0)


@pytest.mark.django_db
def test_cancelled_checkout_offers_a_way_back_and_a_late_payment_still_counts(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    response = client.get(reverse("donations:cancelled", args=[donation.uuid]))
    assert response.status_code == 200
    assert "?amount=25" in response.content.decode()
    donation.refresh_from_db()
    assert donation.status == DonationStatus.CANCELLED
    # the donor went back and paid after all: the money is never refused
    session = stripe_server.complete(donation.provider_session_id)
    deliver(client, stripe_server, "checkout.session.completed", session)
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
