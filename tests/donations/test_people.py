"""Who gave, and what a lost dispute or a gift given back does to the totals (issue 12):
donor_count counts people (one email, or one offline donor's name, once), gift_count
counts gifts; a lost dispute is a ledger entry that takes its amount out of the total;
an offline gift given back is refunded in full with who and when."""

from django.db.models import Count
from django.utils import timezone

import pytest

from donations import ledger
from donations.models import (
    CampaignTally,
    Dispute,
    DisputeStatus,
    Donation,
    DonationSource,
    DonationStatus,
)


def paid(campaign, cents, email="", name="", **fields):
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        provider="demo",
        donor_email=email,
        donor_name=name,
        **fields,
    )
    gift, changed = ledger.transition(gift.pk, DonationStatus.PAID)
    assert changed
    return gift


def offline(campaign, cents, name="", email=""):
    return ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name=name,
        donor_email=email,
        offline_method="cash",
        received_on=timezone.localdate(),
    )


@pytest.mark.django_db
def test_the_same_email_twice_is_one_person_and_two_gifts(campaign):
    key = campaign.translation_key
    paid(campaign, 2500, email="awa@example.org", name="Awa")
    paid(campaign, 1000, email=" AWA@example.org", name="Awa D.")
    paid(campaign, 500, email="binta@example.org")
    money = ledger.money(key)
    assert money["donor_count"] == 2
    assert money["gift_count"] == 3
    assert money["raised_cents"] == money["given_cents"] == 4000
    assert ledger.figures(key) == (4000, 2, 4000)


@pytest.mark.django_db
def test_offline_gifts_of_one_name_are_one_person_nameless_ones_each_a_person(campaign):
    key = campaign.translation_key
    offline(campaign, 2000, name="Mme Martin")
    offline(campaign, 3000, name="mme martin ")
    offline(campaign, 1000)
    offline(campaign, 1000)
    # the same person online and offline, known by the email
    offline(campaign, 500, name="Awa", email="awa@example.org")
    paid(campaign, 500, email="awa@example.org", name="Awa Diallo")
    money = ledger.money(key)
    assert money["gift_count"] == 6
    assert money["donor_count"] == 4  # Mme Martin, two nameless gifts, Awa


@pytest.mark.django_db
def test_online_gifts_without_email_are_not_merged_by_name(campaign):
    paid(campaign, 1000, name="Sam")
    paid(campaign, 1000, name="Sam")
    assert ledger.money(campaign.translation_key)["donor_count"] == 2


@pytest.mark.django_db
def test_a_refunded_gift_no_longer_counts_its_person(campaign):
    key = campaign.translation_key
    gift = paid(campaign, 2000, email="a@example.org")
    paid(campaign, 1000, email="b@example.org")
    ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=2000)
    assert ledger.money(key) | {} == {
        "raised_cents": 1000,
        "given_cents": 1000,
        "matched_cents": 0,
        "disputed_cents": 0,
        "donor_count": 1,
        "gift_count": 1,
        "raised_by_close_cents": 1000,
    }


@pytest.mark.django_db
def test_a_lost_dispute_takes_its_amount_out_of_the_total_once(campaign):
    key = campaign.translation_key
    gift = paid(campaign, 5000, email="a@example.org")
    paid(campaign, 1000, email="b@example.org")

    dispute, changed = ledger.record_dispute(
        gift.pk, dispute_id="dp_1", amount_cents=5000, status="open", reason="fraudulent"
    )
    assert changed and dispute.status == DisputeStatus.OPEN
    assert ledger.money(key)["raised_cents"] == 6000  # an open dispute changes no total

    dispute, changed = ledger.record_dispute(
        gift.pk, dispute_id="dp_1", amount_cents=5000, status="lost"
    )
    assert changed and dispute.status == DisputeStatus.LOST and dispute.closed_at
    money = ledger.money(key)
    assert money["raised_cents"] == 1000
    assert money["disputed_cents"] == 5000
    assert money["donor_count"] == money["gift_count"] == 1
    assert ledger.figures(key)[0] == 1000
    # the gift itself stays as it was paid: the dispute is an entry of its own
    gift.refresh_from_db()
    assert (gift.status, gift.amount_cents, gift.refunded_cents) == (DonationStatus.PAID, 5000, 0)

    # the same event again, or a late "created" event, changes nothing
    assert (
        ledger.record_dispute(gift.pk, dispute_id="dp_1", amount_cents=5000, status="lost")[1]
        is False
    )
    dispute, changed = ledger.record_dispute(
        gift.pk, dispute_id="dp_1", amount_cents=5000, status="open"
    )
    assert not changed and dispute.status == DisputeStatus.LOST
    assert Dispute.objects.count() == 1
    assert ledger.money(key)["raised_cents"] == 1000


@pytest.mark.django_db
def test_a_won_dispute_changes_no_total_and_a_partial_one_takes_its_amount(campaign):
    key = campaign.translation_key
    first = paid(campaign, 5000, email="a@example.org")
    second = paid(campaign, 3000, email="b@example.org")
    ledger.record_dispute(first.pk, dispute_id="dp_won", amount_cents=5000, status="won")
    assert ledger.money(key)["raised_cents"] == 8000
    ledger.record_dispute(second.pk, dispute_id="dp_part", amount_cents=1200, status="lost")
    money = ledger.money(key)
    assert money["raised_cents"] == 6800
    assert money["disputed_cents"] == 1200
    assert money["gift_count"] == 2  # what remains of the second gift still counts


@pytest.mark.django_db
def test_a_dispute_never_takes_more_than_what_remains_of_the_gift(campaign):
    key = campaign.translation_key
    gift = paid(campaign, 5000, email="a@example.org")
    ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=2000)
    ledger.record_dispute(gift.pk, dispute_id="dp_2", amount_cents=5000, status="lost")
    money = ledger.money(key)
    assert money["raised_cents"] == 0
    assert money["disputed_cents"] == 3000


@pytest.mark.django_db
def test_a_lost_dispute_before_closing_lowers_the_result_after_closing_it_does_not(campaign):
    key = campaign.translation_key
    early = paid(campaign, 4000, email="a@example.org")
    late = paid(campaign, 3000, email="b@example.org")
    ledger.record_dispute(early.pk, dispute_id="dp_early", amount_cents=4000, status="lost")
    assert ledger.figures(key) == (3000, 1, 3000)
    # the campaign closes: its result is frozen, a dispute lost afterwards leaves it
    campaign.closes_at = timezone.now()
    campaign.save_revision().publish()
    ledger.record_dispute(late.pk, dispute_id="dp_late", amount_cents=3000, status="lost")
    assert ledger.figures(key) == (0, 0, 3000)


@pytest.mark.django_db
def test_mark_returned_gives_an_offline_gift_back_once(campaign, admin_user):
    key = campaign.translation_key
    gift = offline(campaign, 4000, name="Mme Martin")
    offline(campaign, 1000, name="M. Durand")
    day = timezone.localdate()
    gift, changed = ledger.mark_returned(gift.pk, user=admin_user, returned_on=day)
    assert changed
    assert gift.status == DonationStatus.REFUNDED
    assert gift.refunded_cents == gift.amount_cents == 4000
    assert (gift.returned_on, gift.returned_by) == (day, admin_user)
    assert ledger.money(key)["raised_cents"] == 1000
    assert ledger.money(key)["donor_count"] == 1
    again, changed = ledger.mark_returned(gift.pk, user=admin_user, returned_on=day)
    assert not changed
    assert ledger.money(key)["raised_cents"] == 1000


@pytest.mark.django_db
def test_mark_returned_refuses_an_online_gift(campaign, admin_user):
    gift = paid(campaign, 1000, email="a@example.org")
    with pytest.raises(ValueError):
        ledger.mark_returned(gift.pk, user=admin_user, returned_on=timezone.localdate())
    gift.refresh_from_db()
    assert gift.status == DonationStatus.PAID


@pytest.mark.django_db
def test_person_key_counts_people_in_any_query(campaign):
    paid(campaign, 1000, email="x@example.org")
    paid(campaign, 1000, email="X@example.org")
    offline(campaign, 1000, name="Zoé")
    people = (
        Donation.objects.exclude(source=DonationSource.MATCH)
        .filter(status=DonationStatus.PAID)
        .aggregate(n=Count(ledger.person_key(), distinct=True))["n"]
    )
    assert people == 2


@pytest.mark.django_db
def test_recompute_all_gives_back_the_ledger_figures(campaign):
    paid(campaign, 1000, email="x@example.org")
    paid(campaign, 2000, email="x@example.org")
    CampaignTally.objects.update(raised_cents=1, donor_count=7, gift_count=0)
    assert ledger.recompute_all() == 1
    assert ledger.figures(campaign.translation_key) == (3000, 1, 3000)
    assert ledger.money(campaign.translation_key)["gift_count"] == 2
