"""Refunds the site asks for (donations/refunds.py), and a failed all-or-nothing campaign
paid through Stripe (the real SDK against the fake server): its refund run is interrupted
twice — Stripe failing, then Stripe refunding but its answer lost — and run again until done.
Every gift is refunded exactly once (the fake server counts the refunds it created), every
email sent once; the ledger moves each gift to refunded when its ``charge.refunded`` event
arrives, and the campaign page then says so."""

import datetime
import io
import threading

from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone, translation

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from campaigns import closing as closings
from campaigns.closing import CampaignClosing, ClosingEmail, ClosingResult
from campaigns.models import CampaignPage, FundingRule
from campaigns.tasks import CLOSING_GRACE, ClosingIncomplete, close_campaign
from donations import ledger, refunds
from donations.models import Donation, DonationStatus
from donations.payments import PaymentUnavailable
from stories.models import LeaderProfile
from tests.donations.test_payments import deliver, give

GIFTS = 6


def after_grace():
    return timezone.now() + CLOSING_GRACE + datetime.timedelta(minutes=1)


def close_now(campaign):
    """Publish the campaign with its closing time now: every gift so far was on time."""
    campaign.refresh_from_db()
    campaign.funding_rule = FundingRule.ALL_OR_NOTHING
    campaign.closes_at = timezone.now()
    campaign.save_revision().publish()
    return CampaignPage.objects.get(pk=campaign.pk)


def stripe_gifts(client, campaign, stripe_server, form, count):
    """``count`` gifts of 25 € paid through Stripe Checkout, confirmed by webhook."""
    gifts = []
    for number in range(count):
        language = ("fr", "ar", "en")[number % 3]
        data = {**form, "donor_email": f"donor{number}@example.org", "wants_news": "on"}
        _response, donation = give(client, campaign, data, language=language)
        session = stripe_server.complete(donation.provider_session_id)
        response, _event = deliver(client, stripe_server, "checkout.session.completed", session)
        assert response.status_code == 200
        donation.refresh_from_db()
        assert donation.status == DonationStatus.PAID and donation.provider_payment_id
        gifts.append(donation)
    return gifts


def closing_notice(client, campaign):
    english = campaign.get_translation(Locale.objects.get(language_code="en"))
    with translation.override("en"):
        response = client.get(english.get_url())
    assert response.status_code == 200
    notice = BeautifulSoup(response.content, "html.parser").select_one(".closing-notice")
    return notice.get_text(" ", strip=True)


def run_cron():
    out, err = io.StringIO(), io.StringIO()
    call_command("close_campaigns", stdout=out, stderr=err)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_an_interrupted_refund_run_refunds_every_gift_exactly_once(
    client, campaign, stripe_server, donation_form
):
    gifts = stripe_gifts(client, campaign, stripe_server, donation_form, GIFTS)
    campaign = close_now(campaign)
    key = campaign.translation_key
    assert closings.close_due_campaigns() == []  # not before the grace period

    # 1. Stripe fails on the third refund: the run stops there
    stripe_server.fail_after_refunds(2, mode="500")
    assert closings.close_due_campaigns(now=after_grace()) == [key]
    stored = closings.closing_of(key)
    assert stored.result == ClosingResult.FAILED and stored.raised_by_close_cents == GIFTS * 2500
    assert stored.refunds_asked_at is None
    assert len(stripe_server.refunds) == 2
    assert Donation.objects.filter(refund_requested_at__isnull=False).count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"donor{number}@example.org" for number in range(GIFTS)
    ]

    # 2. the fifth refund is made at Stripe, but its answer never reaches the site
    stripe_server.fail_after_refunds(4, mode="lost")
    assert closings.close_due_campaigns(now=after_grace()) == [key]
    assert len(stripe_server.refunds) == 5
    assert Donation.objects.filter(refund_requested_at__isnull=False).count() == 4

    # 3. the cron's next run finishes: the lost one is asked again with the same key
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("campaigns.tasks.CLOSING_GRACE", datetime.timedelta(0))
        assert run_cron() == "close_campaigns: 1 due, 1 closed, 0 to retry, 0 queued"
    refunds = stripe_server.refunds
    assert len(refunds) == GIFTS  # one refund created per gift, never two
    by_payment = {refund["payment_intent"]: refund for refund in refunds.values()}
    assert len(by_payment) == GIFTS
    for gift in gifts:
        gift.refresh_from_db()
        refund = by_payment[gift.provider_payment_id]
        assert gift.provider_refund_id == refund["id"] and refund["amount"] == 2500
        assert gift.status == DonationStatus.PAID  # until Stripe confirms
    assert closings.closing_of(key).refunds_asked_at is not None
    assert len(mail.outbox) == GIFTS  # nobody told twice
    notice = closing_notice(client, campaign)
    assert "is being refunded to the card it came from (0 of 6 refunded so far)" in notice

    # 4. Stripe's charge.refunded events: the ledger moves each gift to refunded
    calls = stripe_server.refund_calls
    for gift in gifts:
        charge_id = stripe_server.payment_intents[gift.provider_payment_id]["latest_charge"]
        charge = stripe_server.charges[charge_id]
        assert charge["refunded"] and charge["amount_refunded"] == 2500
        response, _event = deliver(client, stripe_server, "charge.refunded", charge)
        assert response.status_code == 200
        if gift == gifts[2]:
            notice = closing_notice(client, campaign)
            assert "(3 of 6 refunded so far)" in notice
    assert set(Donation.objects.values_list("status", flat=True)) == {DonationStatus.REFUNDED}
    assert ledger.tally(key)[0] == 0
    assert closings.closing_of(key).result == ClosingResult.FAILED  # stored, never recomputed
    notice = closing_notice(client, campaign)
    assert "all 6 online gifts have been refunded to the card they came from" in notice

    # 5. nothing more to do, ever
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("campaigns.tasks.CLOSING_GRACE", datetime.timedelta(0))
        assert run_cron() == "close_campaigns: 0 due, 0 closed, 0 to retry, 0 queued"
    assert stripe_server.refund_calls == calls and len(stripe_server.refunds) == GIFTS
    assert len(mail.outbox) == GIFTS


@pytest.mark.django_db
def test_stripe_down_during_refunds_is_retried_by_the_cron(
    client, campaign, stripe_server, donation_form
):
    stripe_gifts(client, campaign, stripe_server, donation_form, 2)
    campaign = close_now(campaign)
    stripe_server.stop()  # connections refused
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("campaigns.tasks.CLOSING_GRACE", datetime.timedelta(0))
        assert run_cron() == "close_campaigns: 1 due, 0 closed, 1 to retry, 0 queued"
        assert not Donation.objects.filter(refund_requested_at__isnull=False).exists()
        stripe_server.start()
        assert run_cron() == "close_campaigns: 1 due, 1 closed, 0 to retry, 0 queued"
    assert len(stripe_server.refunds) == 2
    assert len(mail.outbox) == 2


# -- refund_gift, one gift at a time -------------------------------------------------------


@pytest.mark.django_db
def test_refund_gift_asks_stripe_once_and_waits_for_its_confirmation(
    client, campaign, stripe_server, donation_form
):
    (gift,) = stripe_gifts(client, campaign, stripe_server, donation_form, 1)
    refund_id = refunds.refund_gift(gift)
    assert refund_id.startswith("re_test_") and list(stripe_server.refunds) == [refund_id]
    _method, _path, params, headers = stripe_server.requests[-1]
    assert headers["Idempotency-Key"] == f"refund-{gift.uuid}"
    assert params["payment_intent"] == gift.provider_payment_id
    gift.refresh_from_db()
    assert gift.refund_requested_at and gift.provider_refund_id == refund_id
    assert gift.status == DonationStatus.PAID  # the charge.refunded event decides
    assert refunds.refund_gift(gift) == refund_id
    assert stripe_server.refund_calls == 1  # asked once


@pytest.mark.django_db
def test_a_gift_refunded_in_the_dashboard_already_is_not_an_error(
    client, campaign, stripe_server, donation_form
):
    (gift,) = stripe_gifts(client, campaign, stripe_server, donation_form, 1)
    stripe_server.refund(gift.provider_session_id)  # staff refunded it at Stripe
    assert refunds.refund_gift(gift) == ""
    gift.refresh_from_db()
    assert gift.refund_requested_at is not None and not stripe_server.refunds


@pytest.mark.django_db
def test_stripe_unreachable_or_refusing(client, campaign, stripe_server, donation_form):
    first, second = stripe_gifts(client, campaign, stripe_server, donation_form, 2)
    stripe_server.fail_next("timeout")
    with pytest.raises(PaymentUnavailable) as error:
        refunds.refund_gift(first)
    assert not isinstance(error.value, refunds.RefundRefused)
    first.refresh_from_db()
    assert first.refund_requested_at is None  # asked again later
    # a gift whose payment Stripe does not know: refused, for staff to look at
    Donation.objects.filter(pk=second.pk).update(provider_payment_id="pi_unknown")
    second.refresh_from_db()
    with pytest.raises(refunds.RefundRefused):
        refunds.refund_gift(second)
    offline = ledger.record_offline(
        campaign_key=campaign.translation_key, amount_cents=1000, offline_method="cash"
    )
    with pytest.raises(refunds.RefundRefused):
        refunds.refund_gift(offline)
    assert not stripe_server.refunds


@pytest.mark.django_db
def test_a_gift_without_its_payment_id_is_refunded_through_its_session(
    client, campaign, stripe_server, donation_form
):
    _response, gift = give(client, campaign, donation_form)
    session = stripe_server.complete(gift.provider_session_id)
    ledger.transition(gift.pk, DonationStatus.PAID, session_id=session["id"])
    gift.refresh_from_db()
    assert gift.provider_payment_id is None
    refund_id = refunds.refund_gift(gift)
    assert stripe_server.refunds[refund_id]["payment_intent"] == session["payment_intent"]


@pytest.mark.django_db
def test_a_demo_gift_is_refunded_at_once(campaign):
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=2500, provider="demo"
    )
    ledger.transition(gift.pk, DonationStatus.PAID, payment_id=f"demo-{gift.uuid}")
    gift.refresh_from_db()
    assert refunds.refund_gift(gift) == f"demo-refund-{gift.uuid}"
    gift.refresh_from_db()
    assert (gift.status, gift.refunded_cents) == (DonationStatus.REFUNDED, 2500)
    assert ledger.tally(campaign.translation_key) == (0, 0)


# -- two closings of one campaign at the same instant (PostgreSQL) -------------------------


def close_concurrently(key, runs):
    """Run the closing of ``key`` ``runs`` times at the same instant, each in its own thread
    and connection; return the unexpected errors."""
    barrier = threading.Barrier(runs)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            close_campaign(key)
        except ClosingIncomplete:
            pass  # another run held what it needed: the next cron run carries on
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL (CI does)",
)
@pytest.mark.django_db(transaction=True)
def test_closings_run_at_once_do_each_thing_once(
    client, campaign, stripe_server, donation_form, django_user_model
):
    leader = django_user_model.objects.create_user("nadia", "nadia@example.org", "pw")
    LeaderProfile.objects.create(user=leader, public_name="Nadia", language="ar")
    campaign.leaders.add(leader)
    campaign.save()
    stripe_gifts(client, campaign, stripe_server, donation_form, 4)
    campaign = close_now(campaign)
    key = campaign.translation_key
    mail.outbox.clear()  # the gifts' confirmations (sent on commit here)

    assert close_concurrently(key, 4) == []
    close_campaign(key)  # whatever a run left to the next one

    assert CampaignClosing.objects.count() == 1
    assert len(stripe_server.refunds) == 4
    assert len({refund["payment_intent"] for refund in stripe_server.refunds.values()}) == 4
    assert sorted(message.to[0] for message in mail.outbox) == [
        *(f"donor{number}@example.org" for number in range(4)),
        "nadia@example.org",
    ]
    assert ClosingEmail.objects.filter(sent_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_disputed_gifts_are_not_refunded_twice(client, campaign, stripe_server, donation_form):
    lost, open_, plain = stripe_gifts(client, campaign, stripe_server, donation_form, 3)
    ledger.record_dispute(lost.pk, dispute_id="dp_lost", amount_cents=2500, status="lost")
    ledger.record_dispute(open_.pk, dispute_id="dp_open", amount_cents=2500, status="open")
    campaign = close_now(campaign)
    key = campaign.translation_key

    closings.close_due_campaigns(now=after_grace())
    refunded = {refund["payment_intent"] for refund in stripe_server.refunds.values()}
    assert refunded == {plain.provider_payment_id}  # the bank gave the lost one back already
    assert closings.closing_of(key).refunds_asked_at is None  # waiting for the open dispute
    assert closings.refund_progress(key)["online_refunded"] == 1  # the lost dispute
    assert "(1 of 3 refunded so far)" in closing_notice(client, campaign)

    ledger.record_dispute(open_.pk, dispute_id="dp_open", amount_cents=2500, status="won")
    assert closings.close_due_campaigns(now=after_grace()) == [key]
    refunded = {refund["payment_intent"] for refund in stripe_server.refunds.values()}
    assert refunded == {plain.provider_payment_id, open_.provider_payment_id}
    assert closings.closing_of(key).refunds_asked_at is not None
    assert closings.close_due_campaigns(now=after_grace()) == []
    lost.refresh_from_db()
    assert lost.refund_requested_at is None and lost.status == DonationStatus.PAID
