"""Gifts paid after their campaign closed (issue 10, finding 15): they count in the amount
raised and are marked late; the all-or-nothing result is what was paid by closes_at, so it
never changes after the deadline; a paid donor's thank-you page outlives the campaign page."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from campaigns.models import CampaignPage, CampaignStatus, FundingRule
from donations import ledger
from donations.models import Donation, DonationStatus
from helpers.money import format_money
from tests.conftest import speaks
from tests.donations.test_payments import deliver, give

MINUTE = datetime.timedelta(minutes=1)


def close(campaign, when=None):
    """Publish the campaign with a closing time (default: now; every language shares it)."""
    campaign.refresh_from_db()
    campaign.closes_at = when or timezone.now()
    campaign.save_revision().publish()
    return CampaignPage.objects.get(pk=campaign.pk)


def fresh(campaign):
    return CampaignPage.objects.get(pk=campaign.pk)


@pytest.fixture
def all_or_nothing(campaign):
    """The campaign fixture (goal 1 000 €, success from 800 €), all or nothing."""
    campaign.funding_rule = FundingRule.ALL_OR_NOTHING
    campaign.save_revision().publish()
    return fresh(campaign)


def stripe_gift(client, campaign, form, euros):
    _response, donation = give(
        client, campaign, {**form, "amount_choice": "custom", "custom_amount": str(euros)}
    )
    return donation


@pytest.mark.django_db
def test_a_gift_paid_after_closing_counts_but_never_changes_the_result(
    client, admin_client, admin_user, all_or_nothing, stripe_server, donation_form
):
    campaign = all_or_nothing
    on_time = stripe_gift(client, campaign, donation_form, 300)
    late = stripe_gift(client, campaign, donation_form, 600)  # started while live
    session = stripe_server.complete(on_time.provider_session_id)
    deliver(client, stripe_server, "checkout.session.completed", session)

    campaign = close(campaign)
    assert campaign.status == CampaignStatus.FAILED  # 300 € of the 800 € needed

    # the donor pays on Stripe's page a minute after the deadline (its session lived on);
    # Stripe's times are whole seconds, so "now" could fall in the closing second itself
    session = stripe_server.complete(late.provider_session_id)
    event = stripe_server.event("checkout.session.completed", session)
    event["created"] = int(campaign.closes_at.timestamp()) + 60
    response, _event = deliver(
        client, stripe_server, "checkout.session.completed", session, event=event
    )
    assert response.status_code == 200
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.status == DonationStatus.PAID and late.paid_late  # money is never refused
    assert not on_time.paid_late
    campaign = fresh(campaign)
    assert campaign.raised == 90_000  # it counts in the total
    # two gifts from one address: one person
    assert ledger.money(campaign.translation_key)["gift_count"] == 2 and campaign.donors == 1
    assert campaign.raised_by_close == 30_000
    assert campaign.status == CampaignStatus.FAILED  # 900 € raised, yet the result stands

    # the campaign page shows the same
    body = client.get(campaign.url).content.decode()
    assert "status--failed" in body

    # staff see the late gift marked, and can list only those
    speaks(admin_user, "en")
    listing = admin_client.get(reverse("donations_admin:index")).content.decode()
    assert listing.count("Late: not in the result") == 1
    only_late = admin_client.get(reverse("donations_admin:index"), {"paid_late": "true"})
    assert only_late.content.decode().count(reverse("donations_admin:inspect", args=[late.pk]))
    assert reverse("donations_admin:inspect", args=[on_time.pk]) not in only_late.content.decode()


@pytest.mark.django_db
def test_a_payment_made_before_closing_but_delivered_after_is_on_time(
    client, all_or_nothing, stripe_server, donation_form
):
    campaign = all_or_nothing
    gift = stripe_gift(client, campaign, donation_form, 800)
    session = stripe_server.complete(gift.provider_session_id)
    closes_at = timezone.now().replace(microsecond=0) - 10 * MINUTE
    campaign = close(campaign, closes_at)
    event = stripe_server.event("checkout.session.completed", session)
    event["created"] = int((closes_at - MINUTE).timestamp())  # Stripe: paid before closing
    deliver(client, stripe_server, "", None, event=event)
    gift.refresh_from_db()
    assert gift.status == DonationStatus.PAID and not gift.paid_late
    assert gift.paid_at == closes_at - MINUTE
    assert fresh(campaign).status == CampaignStatus.SUCCEEDED


@pytest.mark.django_db
def test_the_thank_you_page_settles_a_late_payment_as_late(
    client, all_or_nothing, stripe_server, donation_form
):
    campaign = all_or_nothing
    gift = stripe_gift(client, campaign, donation_form, 900)
    close(campaign, timezone.now() - 2 * datetime.timedelta(seconds=1))
    stripe_server.complete(gift.provider_session_id)  # paid now (Stripe counts in seconds)
    assert client.get(reverse("donations:thanks", args=[gift.uuid])).status_code == 200
    gift.refresh_from_db()
    assert gift.status == DonationStatus.PAID and gift.paid_late
    assert fresh(campaign).status == CampaignStatus.FAILED


@pytest.mark.django_db
def test_refunds_after_closing_do_not_change_the_result(client, all_or_nothing):
    campaign = all_or_nothing
    key = campaign.translation_key
    gifts = [
        ledger.create_pending(campaign_key=key, amount_cents=cents, provider="demo")
        for cents in (50_000, 40_000)
    ]
    for gift in gifts:
        ledger.transition(gift.pk, DonationStatus.PAID)
    ledger.transition(gifts[1].pk, DonationStatus.PAID, refunded_cents=5_000)  # before closing
    campaign = close(campaign)
    assert campaign.raised_by_close == 85_000
    assert campaign.status == CampaignStatus.SUCCEEDED

    ledger.transition(gifts[0].pk, DonationStatus.REFUNDED, refunded_cents=50_000)
    campaign = fresh(campaign)
    assert campaign.raised == 35_000  # the money that left is gone from the total…
    assert campaign.raised_by_close == 85_000  # …but the result was taken at closing
    assert campaign.status == CampaignStatus.SUCCEEDED


@pytest.mark.django_db
def test_moving_the_deadline_judges_the_gifts_again(client, all_or_nothing):
    campaign = close(all_or_nothing)
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=90_000, provider="demo"
    )
    ledger.transition(gift.pk, DonationStatus.PAID)
    gift.refresh_from_db()
    assert gift.paid_late and fresh(campaign).status == CampaignStatus.FAILED

    campaign = close(campaign, timezone.now() + datetime.timedelta(days=3))  # extended
    gift.refresh_from_db()
    assert not gift.paid_late
    assert fresh(campaign).status == CampaignStatus.LIVE

    campaign = close(campaign)  # closed again, after the gift
    assert fresh(campaign).status == CampaignStatus.SUCCEEDED


@pytest.mark.django_db
def test_an_offline_gift_counts_as_of_the_day_it_was_received(client, all_or_nothing):
    campaign = close(all_or_nothing)
    closing_day = timezone.localdate(campaign.closes_at)
    for received_on, late in [(closing_day, False), (closing_day + datetime.timedelta(1), True)]:
        gift = ledger.record_offline(
            campaign_key=campaign.translation_key,
            amount_cents=50_000,
            offline_method="cheque",
            received_on=received_on,
        )
        gift.refresh_from_db()
        assert gift.paid_late == late
    campaign = fresh(campaign)
    assert (campaign.raised, campaign.raised_by_close) == (100_000, 50_000)


@pytest.mark.django_db
def test_listing_reads_the_result_in_its_one_query(client, all_or_nothing):
    campaign = close(all_or_nothing)
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=90_000, provider="demo"
    )
    ledger.transition(gift.pk, DonationStatus.PAID)  # late
    index = campaign.get_parent().specific
    listed = list(index.campaigns())
    with CaptureQueriesContext(connection) as queries:
        statuses = {page.pk: page.status for page in listed}
    assert len(queries) == 0
    assert statuses[campaign.pk] == CampaignStatus.FAILED
    assert {p.pk for p in index.campaigns().filter(raised_by_close_cents=0)} >= {campaign.pk}
    response = client.get(index.url, {"status": "closed"})  # the filter agrees with the card
    assert campaign.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("gone", ["unpublished", "deleted"])
def test_a_paid_donor_is_thanked_even_if_the_campaign_page_is_gone(
    client, campaign, stripe_server, donation_form, gone
):
    gift = stripe_gift(client, campaign, donation_form, 25)
    deliver(
        client,
        stripe_server,
        "checkout.session.completed",
        stripe_server.complete(gift.provider_session_id),
    )
    pages = Page.objects.filter(translation_key=campaign.translation_key)
    for page in pages:
        if gone == "unpublished":
            page.unpublish()
        else:
            page.delete()
    response = client.get(reverse("donations:thanks", args=[gift.uuid]))
    assert response.status_code == 200  # was a 404
    body = response.content.decode()
    assert format_money(2500, "fr") in body and "Merci" in body
    assert campaign.title not in body
    cancelled = client.get(reverse("donations:cancelled", args=[gift.uuid]))
    assert cancelled.status_code == 200
    assert Donation.objects.get(pk=gift.pk).status == DonationStatus.PAID
