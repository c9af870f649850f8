"""`reconcile_donations` rechecks recently paid gifts with Stripe (the real SDK against the
fake Stripe server): a refund made at Stripe, or a lost dispute, whose webhook never came is
applied; a second run changes nothing; one gift Stripe does not answer for stops nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

import pytest

from campaigns import closing as closings
from campaigns.models import CampaignPage, FundingRule
from donations import ledger, recheck
from donations.models import Dispute, DisputeStatus, Donation, DonationStatus
from tests.donations.test_payments import deliver, give


def paid_gifts(client, campaign, stripe_server, donation_form, count=1, euros="50"):
    """``count`` gifts paid through Stripe, their webhooks delivered."""
    gifts = []
    for _ in range(count):
        _response, donation = give(client, campaign, {**donation_form, "amount_choice": euros})
        session = stripe_server.complete(donation.provider_session_id)
        deliver(client, stripe_server, "checkout.session.completed", session)
        donation.refresh_from_db()
        assert donation.status == DonationStatus.PAID
        gifts.append(donation)
    return gifts


def reconcile(*args):
    output = io.StringIO()
    call_command("reconcile_donations", *args, stdout=output, stderr=io.StringIO())
    return output.getvalue()


def raised(campaign):
    return ledger.tally(campaign.translation_key)[0]


def dispute_lists(stripe_server):
    return [r for r in stripe_server.requests if r[:2] == ("GET", "/v1/disputes")]


@pytest.mark.django_db
def test_a_refund_made_at_stripe_without_its_webhook_is_applied_once(
    client, campaign, stripe_server, donation_form
):
    partly, fully, untouched = paid_gifts(client, campaign, stripe_server, donation_form, 3)
    assert raised(campaign) == 15000
    stripe_server.refund(partly.provider_session_id, amount=2000)  # webhooks dropped
    stripe_server.refund(fully.provider_session_id)

    output = reconcile()
    assert "3 rechecked, 2 refunds applied, 0 disputes applied" in output
    assert "0 unreachable" in output
    partly.refresh_from_db()
    fully.refresh_from_db()
    assert (partly.status, partly.refunded_cents) == (DonationStatus.PAID, 2000)
    assert (fully.status, fully.refunded_cents) == (DonationStatus.REFUNDED, 5000)
    assert raised(campaign) == 3000 + 5000
    assert ledger.money(campaign.translation_key)["gift_count"] == 2

    # the refunded gift is no longer asked about; nothing changes the second time
    output = reconcile()
    assert "2 rechecked, 0 refunds applied, 0 disputes applied" in output
    assert raised(campaign) == 8000
    assert Donation.objects.get(pk=untouched.pk).refunded_cents == 0


@pytest.mark.django_db
def test_a_lost_dispute_without_its_webhook_is_applied_once(
    client, campaign, stripe_server, donation_form
):
    disputed, other = paid_gifts(client, campaign, stripe_server, donation_form, 2)
    dispute = stripe_server.dispute(disputed.provider_session_id, reason="fraudulent")

    assert "2 rechecked, 0 refunds applied, 1 disputes applied" in reconcile()
    assert Dispute.objects.get().status == DisputeStatus.OPEN
    assert raised(campaign) == 10000  # open: still counted

    stripe_server.close_dispute(dispute["id"], won=False)
    assert "2 rechecked, 0 refunds applied, 1 disputes applied" in reconcile()
    recorded = Dispute.objects.get()
    assert (recorded.donation_id, recorded.status, recorded.amount_cents) == (
        disputed.pk,
        DisputeStatus.LOST,
        5000,
    )
    assert raised(campaign) == 5000
    assert ledger.money(campaign.translation_key)["disputed_cents"] == 5000
    disputed.refresh_from_db()
    assert (disputed.status, disputed.refunded_cents) == (DonationStatus.PAID, 0)

    # decided: Stripe is not asked for its disputes again, and nothing changes
    lists = len(dispute_lists(stripe_server))
    assert "2 rechecked, 0 refunds applied, 0 disputes applied" in reconcile()
    assert len(dispute_lists(stripe_server)) == lists
    assert raised(campaign) == 5000
    assert Donation.objects.get(pk=other.pk).status == DonationStatus.PAID


@pytest.mark.django_db
def test_only_recent_gifts_and_unconfirmed_refunds_are_rechecked(
    client, campaign, stripe_server, donation_form, settings
):
    settings.DONATION_RECHECK_DAYS = 30
    old, asked, recent = paid_gifts(client, campaign, stripe_server, donation_form, 3)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Donation.objects.filter(pk__in=[old.pk, asked.pk]).update(paid_at=long_ago)
    Donation.objects.filter(pk=asked.pk).update(refund_requested_at=timezone.now())
    for gift in (old, asked):
        stripe_server.refund(gift.provider_session_id)

    assert "2 rechecked, 1 refunds applied" in reconcile()
    assert Donation.objects.get(pk=asked.pk).status == DonationStatus.REFUNDED
    assert Donation.objects.get(pk=old.pk).status == DonationStatus.PAID  # out of the window
    asked_about = {r[1] for r in stripe_server.requests if r[0] == "GET"}
    assert f"/v1/payment_intents/{old.provider_payment_id}" not in asked_about
    assert f"/v1/payment_intents/{recent.provider_payment_id}" in asked_about

    assert "2 rechecked, 1 refunds applied" in reconcile("--recheck-days", "60")
    assert Donation.objects.get(pk=old.pk).status == DonationStatus.REFUNDED


@pytest.mark.django_db
def test_stripe_failing_for_one_gift_stops_nothing(client, campaign, stripe_server, donation_form):
    first, second = paid_gifts(client, campaign, stripe_server, donation_form, 2)
    for gift in (first, second):
        stripe_server.refund(gift.provider_session_id)
    stripe_server.fail_next("500")  # the first gift's request

    output = reconcile()
    assert "1 unreachable, 1 rechecked, 1 refunds applied" in output
    assert Donation.objects.get(pk=first.pk).status == DonationStatus.PAID
    assert Donation.objects.get(pk=second.pk).status == DonationStatus.REFUNDED

    assert "0 unreachable, 1 rechecked, 1 refunds applied" in reconcile()
    assert raised(campaign) == 0


@pytest.mark.django_db
def test_stripe_down_counts_every_gift_unreachable_and_changes_nothing(
    client, campaign, stripe_server, donation_form
):
    paid_gifts(client, campaign, stripe_server, donation_form, 2)
    stripe_server.stop()
    assert "2 unreachable, 0 rechecked" in reconcile()
    assert raised(campaign) == 10000


@pytest.mark.django_db
def test_gifts_are_read_by_pages(client, campaign, stripe_server, donation_form):
    gifts = paid_gifts(client, campaign, stripe_server, donation_form, 5, euros="10")
    found = list(recheck.in_pages(recheck.gifts_to_recheck(days=1), size=2))
    assert [gift.pk for gift in found] == sorted(gift.pk for gift in gifts)


@pytest.mark.django_db
def test_a_refund_asked_at_closing_whose_webhook_is_lost_is_confirmed_by_reconcile(
    client, campaign, stripe_server, donation_form
):
    (gift,) = paid_gifts(client, campaign, stripe_server, donation_form)
    # the campaign ended two days ago, all or nothing, far below its threshold
    closes_at = timezone.now() - datetime.timedelta(days=2)
    CampaignPage.objects.filter(translation_key=campaign.translation_key).update(
        closes_at=closes_at, funding_rule=FundingRule.ALL_OR_NOTHING
    )
    ledger.closing_time_changed(campaign.translation_key, closes_at)
    closings.close_due_campaigns()
    gift.refresh_from_db()
    assert gift.refund_requested_at is not None  # asked of Stripe; its webhook never comes
    assert gift.status == DonationStatus.PAID

    # an unconfirmed refund is rechecked whatever the window
    assert "1 rechecked, 1 refunds applied" in reconcile("--recheck-days", "0")
    gift.refresh_from_db()
    assert (gift.status, gift.refunded_cents) == (DonationStatus.REFUNDED, 5000)
    assert raised(campaign) == 0
    assert "0 rechecked, 0 refunds applied" in reconcile("--recheck-days", "0")
