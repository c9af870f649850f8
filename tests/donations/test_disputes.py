"""Chargebacks (``charge.dispute.*`` webhook events), through the real Stripe SDK against
the fake Stripe server: a lost dispute takes its amount out of the total as a ledger entry of
its own; open and won ones change no total; duplicates and other payments change nothing."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from bs4 import BeautifulSoup

from donations import ledger
from donations.models import (
    Dispute,
    DisputeStatus,
    Donation,
    DonationStatus,
    RefusedPayment,
    RefusedReason,
    WebhookEvent,
)
from donations.payments import StripeBackend
from helpers.money import format_money
from tests.conftest import speaks
from tests.donations.test_admin import online_gift, staff_client
from tests.donations.test_payments import deliver, give


@pytest.fixture
def paid_gift(client, campaign, stripe_server, donation_form):
    """A 50 € gift paid through Stripe, its webhook delivered."""
    _response, donation = give(client, campaign, {**donation_form, "amount_choice": "50"})
    session = stripe_server.complete(donation.provider_session_id)
    assert (
        deliver(client, stripe_server, "checkout.session.completed", session)[0].status_code == 200
    )
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    return donation


def raised(campaign):
    return ledger.tally(campaign.translation_key)[0]


def unchanged(donation):
    """The gift's own row is never edited by a dispute."""
    row = Donation.objects.get(pk=donation.pk)
    return (row.status, row.amount_cents, row.refunded_cents) == (
        DonationStatus.PAID,
        donation.amount_cents,
        0,
    )


@pytest.mark.django_db
def test_an_open_dispute_still_counts_then_a_lost_one_comes_out_of_the_total(
    client, campaign, stripe_server, paid_gift
):
    assert raised(campaign) == 5000
    dispute = stripe_server.dispute(paid_gift.provider_session_id, reason="product_not_received")
    response, _event = deliver(client, stripe_server, "charge.dispute.created", dispute)
    assert response.status_code == 200
    recorded = Dispute.objects.get(provider_dispute_id=dispute["id"])
    assert (recorded.donation_id, recorded.status, recorded.amount_cents, recorded.reason) == (
        paid_gift.pk,
        DisputeStatus.OPEN,
        5000,
        "product_not_received",
    )
    assert raised(campaign) == 5000  # still counted while the bank decides

    dispute["status"] = "under_review"
    deliver(client, stripe_server, "charge.dispute.updated", dispute)
    assert raised(campaign) == 5000

    lost = stripe_server.close_dispute(dispute["id"], won=False)
    response, event = deliver(client, stripe_server, "charge.dispute.closed", lost)
    assert response.status_code == 200
    recorded.refresh_from_db()
    assert recorded.status == DisputeStatus.LOST and recorded.closed_at is not None
    assert raised(campaign) == 0
    assert unchanged(paid_gift)  # an entry of its own, not an edit of the gift

    # the same event again, or a new event saying the same, changes nothing
    assert deliver(client, stripe_server, "", None, event=event)[0].content == b"duplicate"
    deliver(client, stripe_server, "charge.dispute.closed", lost)
    assert raised(campaign) == 0
    assert Dispute.objects.count() == 1
    assert WebhookEvent.objects.filter(event_id=event["id"]).count() == 1


@pytest.mark.django_db
def test_a_won_dispute_changes_nothing(client, campaign, stripe_server, paid_gift):
    dispute = stripe_server.dispute(paid_gift.provider_session_id)
    deliver(client, stripe_server, "charge.dispute.created", dispute)
    won = stripe_server.close_dispute(dispute["id"], won=True)
    assert deliver(client, stripe_server, "charge.dispute.closed", won)[0].status_code == 200
    assert Dispute.objects.get().status == DisputeStatus.WON
    assert raised(campaign) == 5000 and unchanged(paid_gift)


@pytest.mark.django_db
def test_a_partial_lost_dispute_takes_out_only_its_amount(
    client, campaign, stripe_server, paid_gift
):
    dispute = stripe_server.dispute(paid_gift.provider_payment_id, amount=1200)
    lost = stripe_server.close_dispute(dispute["id"], won=False)
    deliver(client, stripe_server, "charge.dispute.closed", lost)
    assert raised(campaign) == 3800 and unchanged(paid_gift)


@pytest.mark.django_db
def test_a_late_open_event_never_reopens_a_lost_dispute(client, campaign, stripe_server, paid_gift):
    opened = stripe_server.dispute(paid_gift.provider_session_id)
    lost = stripe_server.close_dispute(opened["id"], won=False)
    deliver(client, stripe_server, "charge.dispute.closed", lost)
    deliver(client, stripe_server, "charge.dispute.created", opened)  # delivered late
    assert Dispute.objects.get().status == DisputeStatus.LOST
    assert raised(campaign) == 0


@pytest.mark.django_db
def test_a_dispute_on_another_payment_than_the_gifts_own_is_refused(
    client, campaign, stripe_server, paid_gift
):
    # someone pays another session that names the gift in its metadata, then disputes it
    params = stripe_server._session_params[paid_gift.provider_session_id]
    other = StripeBackend().client().v1.checkout.sessions.create(params=params)
    stripe_server.complete(other.id)
    dispute = stripe_server.dispute(other.id)
    lost = stripe_server.close_dispute(dispute["id"], won=False)
    response, _event = deliver(client, stripe_server, "charge.dispute.closed", lost)
    assert response.status_code == 200
    assert not Dispute.objects.exists()
    refused = RefusedPayment.objects.get()
    assert (refused.reason, refused.donation_id, refused.payment_intent_id) == (
        RefusedReason.OTHER_PAYMENT,
        paid_gift.pk,
        dispute["payment_intent"],
    )
    assert raised(campaign) == 5000 and unchanged(paid_gift)


@pytest.mark.django_db
def test_a_dispute_for_more_than_the_gift_or_in_another_currency_is_refused(
    client, campaign, stripe_server, paid_gift
):
    dispute = stripe_server.dispute(paid_gift.provider_session_id, status="lost")
    for change in ({"amount": 9000}, {"currency": "usd"}):
        response, _event = deliver(
            client, stripe_server, "charge.dispute.closed", {**dispute, **change}
        )
        assert response.status_code == 200
    assert not Dispute.objects.exists()
    assert {r.reason for r in RefusedPayment.objects.all()} == {
        RefusedReason.AMOUNT,
        RefusedReason.CURRENCY,
    }
    assert raised(campaign) == 5000


@pytest.mark.django_db
def test_a_dispute_on_an_unknown_payment_is_ignored(client, campaign, stripe_server, paid_gift):
    session = (
        StripeBackend()
        .client()
        .v1.checkout.sessions.create(
            params={**stripe_server._session_params[paid_gift.provider_session_id], "metadata": {}}
            | {"payment_intent_data": {"metadata": {}}, "client_reference_id": "someone-else"}
        )
    )
    stripe_server.complete(session.id)
    dispute = stripe_server.dispute(session.id, status="lost")
    response, _event = deliver(client, stripe_server, "charge.dispute.closed", dispute)
    assert response.status_code == 200
    missing = {**dispute, "payment_intent": "pi_not_ours", "id": "dp_not_ours"}
    assert deliver(client, stripe_server, "charge.dispute.closed", missing)[0].status_code == 200
    assert not Dispute.objects.exists() and not RefusedPayment.objects.exists()
    assert raised(campaign) == 5000


@pytest.mark.django_db
def test_a_dispute_before_the_payment_event_settles_the_gift_first(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    stripe_server.complete(donation.provider_session_id)  # its webhook has not come yet
    dispute = stripe_server.dispute(donation.provider_session_id)
    assert deliver(client, stripe_server, "charge.dispute.created", dispute)[0].status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert Dispute.objects.get().donation_id == donation.pk
    assert raised(campaign) == 2500


@pytest.mark.django_db
def test_stripe_unreachable_answers_503_and_the_retry_is_applied(
    client, campaign, stripe_server, donation_form
):
    _response, donation = give(client, campaign, donation_form)
    stripe_server.complete(donation.provider_session_id)
    lost = stripe_server.close_dispute(stripe_server.dispute(donation.provider_session_id)["id"])
    stripe_server.fail_next("500")
    response, event = deliver(client, stripe_server, "charge.dispute.closed", lost)
    assert response.status_code == 503
    assert not WebhookEvent.objects.filter(event_id=event["id"]).exists()
    assert not Dispute.objects.exists()
    assert deliver(client, stripe_server, "", None, event=event)[0].status_code == 200
    assert Dispute.objects.get().status == DisputeStatus.LOST
    assert raised(campaign) == 0


@pytest.mark.django_db
def test_a_malformed_dispute_is_refused_with_400(client, campaign, stripe_server, paid_gift):
    dispute = stripe_server.dispute(paid_gift.provider_session_id)
    del dispute["amount"]
    response, event = deliver(client, stripe_server, "charge.dispute.created", dispute)
    assert response.status_code == 400
    assert not Dispute.objects.exists()
    assert not WebhookEvent.objects.filter(event_id=event["id"]).exists()


# Staff: Admin → Donations → Disputes

DISPUTES_URL = reverse("donations_disputes:index")


def euros(cents):
    with translation.override("en"):
        return format_money(cents)


def disputed_gift(campaign, dispute_id, status, cents=5000, reason="fraudulent", days_ago=0):
    gift = online_gift(campaign, cents)
    ledger.record_dispute(
        gift.pk,
        dispute_id=dispute_id,
        amount_cents=cents,
        status=DisputeStatus.OPEN,
        reason=reason,
        when=timezone.now() - datetime.timedelta(days=days_ago),
    )
    if status != DisputeStatus.OPEN:
        ledger.record_dispute(gift.pk, dispute_id=dispute_id, amount_cents=cents, status=status)
    return gift


@pytest.mark.django_db
def test_staff_see_open_disputes_first_then_decided_ones(admin_client, admin_user, campaign):
    speaks(admin_user, "en")
    lost = disputed_gift(campaign, "dp_lost", DisputeStatus.LOST, 2000, days_ago=1)
    old_open = disputed_gift(campaign, "dp_old", DisputeStatus.OPEN, 3000, days_ago=20)
    new_open = disputed_gift(campaign, "dp_new", DisputeStatus.OPEN, 4000, "product_not_received")
    disputed_gift(campaign, "dp_won", DisputeStatus.WON, 1500, days_ago=2)

    response = admin_client.get(DISPUTES_URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [tr.get_text(" ", strip=True) for tr in soup.select("tbody tr")]
    assert [row.split()[0] for row in rows] == ["Open", "Open", "Lost", "Won"]
    assert euros(4000) in rows[0] and "Jardin des Couronnes" in rows[0]
    assert "Not received" in rows[0]
    assert euros(3000) in rows[1] and "Fraudulent" in rows[1]
    assert euros(2000) in rows[2]
    links = [a["href"] for a in soup.select("tbody tr a")]
    assert reverse("donations_admin:inspect", args=[new_open.pk]) in links
    assert reverse("donations_admin:inspect", args=[old_open.pk]) in links
    assert reverse("donations_admin:inspect", args=[lost.pk]) in links
    assert ledger.tally(campaign.translation_key)[0] == 4000 + 3000 + 1500  # the lost one is out

    # the gift's page tells its disputes
    page = admin_client.get(reverse("donations_admin:inspect", args=[new_open.pk]))
    assert page.status_code == 200
    assert "Not received" in page.content.decode() and euros(4000) in page.content.decode()


@pytest.mark.django_db
def test_the_disputes_page_reads_a_bounded_number_of_queries(
    admin_client, admin_user, campaign, django_assert_max_num_queries
):
    speaks(admin_user, "en")
    disputed_gift(campaign, "dp_1", DisputeStatus.OPEN)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(DISPUTES_URL)
    for number in range(2, 8):
        disputed_gift(campaign, f"dp_{number}", DisputeStatus.LOST, days_ago=number)
    with django_assert_max_num_queries(len(one)):
        assert admin_client.get(DISPUTES_URL).status_code == 200


@pytest.mark.django_db
def test_only_staff_with_donation_permissions_see_disputes(django_user_model, campaign):
    disputed_gift(campaign, "dp_1", DisputeStatus.OPEN)
    outsider = staff_client(django_user_model, "outsider")
    viewer = staff_client(django_user_model, "viewer", "view_donation")
    assert DISPUTES_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    assert outsider.get(DISPUTES_URL).status_code == 403
    assert DISPUTES_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    response = viewer.get(DISPUTES_URL)
    assert response.status_code == 200 and "dp_1" not in response.content.decode()
    assert euros(5000) in response.content.decode()
