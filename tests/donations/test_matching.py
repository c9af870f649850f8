"""Match funds (issue 12): each paid gift to an eligible campaign adds a match entry to the
ledger in the same transaction, never beyond a cap; a refund or a lost dispute takes it back;
the campaign page and the donation form say what is left in the fund."""

import datetime
from types import SimpleNamespace

from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale, Page

import pytest

from campaigns import match_demo
from campaigns.factories import CampaignPageFactory, CategoryFactory, DistrictFactory
from campaigns.models import CampaignPage
from donations import ledger, matching
from donations.models import Donation, DonationSource, DonationStatus, MatchFund
from helpers.money import format_money
from home.locales import create_language_aliases

DAY = datetime.timedelta(days=1)


def fund(**fields):
    """A 1 € for 1 € fund of 5 000 €, open from yesterday for a month, no other cap."""
    now = timezone.now()
    values = {
        "sponsor_name": "Fondation Solidarité Paris",
        "sponsor_url": "https://fondation.example.org/",
        "ratio_percent": 100,
        "total_cap_cents": 500_000,
        "starts_at": now - DAY,
        "ends_at": now + 30 * DAY,
    }
    return MatchFund.objects.create(**{**values, **fields})


def for_campaign(campaign, **fields):
    return fund(campaign_keys=[str(campaign.translation_key)], **fields)


def give(campaign, cents, email="awa@example.org", paid_at=None):
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        provider="demo",
        donor_email=email,
        donor_name="Awa",
    )
    gift, _changed = ledger.transition(gift.pk, DonationStatus.PAID, paid_at=paid_at)
    return gift


def matches(gift=None, **filters):
    rows = Donation.objects.filter(source=DonationSource.MATCH, **filters)
    return rows.filter(matched_gift=gift) if gift is not None else rows


@pytest.fixture
def other_campaign(campaign):
    page = CampaignPageFactory(parent=campaign.get_parent(), title="Cantine du 19e")
    create_language_aliases(page)
    return page


@pytest.mark.django_db
def test_a_paid_gift_is_matched_one_euro_for_one_euro(campaign):
    sponsor = for_campaign(campaign)
    gift = give(campaign, 2500)
    match = matches(gift).get()
    assert match.amount_cents == 2500
    assert match.status == DonationStatus.PAID
    assert (match.match_fund, match.donor_name, match.provider) == (
        sponsor,
        "Fondation Solidarité Paris",
        "match",
    )
    assert match.paid_at == gift.paid_at
    assert match.campaign_key == campaign.translation_key
    money = ledger.money(campaign.translation_key)
    assert money["raised_cents"] == 5000
    assert money["given_cents"] == 2500
    assert money["matched_cents"] == 2500
    # the sponsor is nobody's gift: one person, one gift
    assert (money["donor_count"], money["gift_count"]) == (1, 1)
    assert ledger.figures(campaign.translation_key) == (5000, 1, 5000)


@pytest.mark.django_db
def test_a_ratio_of_fifty_percent_gives_half(campaign):
    for_campaign(campaign, ratio_percent=50)
    gift = give(campaign, 2501)
    assert matches(gift).get().amount_cents == 1250  # never a cent more than the ratio


@pytest.mark.django_db
def test_the_cap_per_gift(campaign):
    for_campaign(campaign, per_gift_cap_cents=10_000)
    assert matches(give(campaign, 30_000)).get().amount_cents == 10_000
    assert matches(give(campaign, 4_000)).get().amount_cents == 4_000


@pytest.mark.django_db
def test_the_cap_per_campaign_leaves_other_campaigns_their_room(campaign, other_campaign):
    fund(
        campaign_keys=[str(campaign.translation_key), str(other_campaign.translation_key)],
        per_campaign_cap_cents=100_000,
    )
    assert matches(give(campaign, 70_000)).get().amount_cents == 70_000
    assert matches(give(campaign, 50_000)).get().amount_cents == 30_000
    third = give(campaign, 10_000)
    assert not matches(third).exists()  # no room: nothing recorded, not a match of 0
    assert matches(give(other_campaign, 50_000)).get().amount_cents == 50_000
    assert ledger.money(campaign.translation_key)["matched_cents"] == 100_000
    assert ledger.money(other_campaign.translation_key)["matched_cents"] == 50_000


@pytest.mark.django_db
def test_the_total_cap(campaign, other_campaign):
    sponsor = fund(
        campaign_keys=[str(campaign.translation_key), str(other_campaign.translation_key)],
        total_cap_cents=6_000,
    )
    give(campaign, 4_000)
    assert matches(give(other_campaign, 4_000)).get().amount_cents == 2_000
    assert not matches(give(other_campaign, 1_000)).exists()
    assert matching.matched_cents(sponsor) == 6_000
    assert matching.room(sponsor, campaign.translation_key) == 0


@pytest.mark.django_db
def test_only_gifts_paid_in_the_period_are_matched(campaign):
    now = timezone.now()
    for_campaign(campaign, starts_at=now - 10 * DAY, ends_at=now - 2 * DAY)
    before = give(campaign, 1000, paid_at=now - 11 * DAY)
    during = give(campaign, 1000, paid_at=now - 3 * DAY)
    after = give(campaign, 1000)
    assert not matches(before).exists()
    assert matches(during).exists()
    assert not matches(after).exists()


@pytest.mark.django_db
def test_campaigns_chosen_by_hand_only(campaign, other_campaign):
    for_campaign(campaign)
    assert matches(give(campaign, 1000)).exists()
    assert not matches(give(other_campaign, 1000)).exists()


@pytest.mark.django_db
def test_campaigns_chosen_by_district_and_category(campaign, other_campaign):
    east = DistrictFactory(code="75020")
    north = DistrictFactory(code="75019")
    garden = CategoryFactory(code="nature")
    food = CategoryFactory(code="solidarite")
    campaign.district, campaign.category = east, garden
    campaign.save_revision().publish()
    other_campaign.district, other_campaign.category = north, garden
    other_campaign.save_revision().publish()
    assert ledger.campaign_facts(campaign.translation_key) == ("75020", "nature")

    by_district = fund(sponsor_name="Mairie du 20e", district_codes=["75020"])
    by_category = fund(sponsor_name="Jardins de France", category_codes=["nature"])
    both = fund(sponsor_name="Les deux", district_codes=["75019"], category_codes=["nature"])
    wrong_pair = fund(sponsor_name="Aucun", district_codes=["75020"], category_codes=["solidarite"])
    nothing_chosen = fund(sponsor_name="Personne")
    assert food.code == "solidarite"

    first = give(campaign, 1000)
    second = give(other_campaign, 1000)
    assert set(matches(first).values_list("match_fund", flat=True)) == {
        by_district.pk,
        by_category.pk,
    }
    assert set(matches(second).values_list("match_fund", flat=True)) == {
        by_category.pk,
        both.pk,
    }
    assert not matches(match_fund=wrong_pair).exists()
    assert not matches(match_fund=nothing_chosen).exists()
    money = ledger.money(campaign.translation_key)
    assert money["matched_cents"] == 2000
    assert money["raised_cents"] == 3000


@pytest.mark.django_db
def test_a_full_refund_takes_the_match_back_and_frees_its_room(campaign):
    sponsor = for_campaign(campaign, total_cap_cents=3_000)
    gift = give(campaign, 3_000)
    ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=3_000)
    match = matches(gift).get()
    assert (match.status, match.refunded_cents, match.amount_cents) == (
        DonationStatus.REFUNDED,
        3_000,
        3_000,
    )
    assert ledger.money(campaign.translation_key)["raised_cents"] == 0
    assert ledger.money(campaign.translation_key)["matched_cents"] == 0
    assert matching.room(sponsor, campaign.translation_key) == 3_000
    assert matches(give(campaign, 2_000, email="b@example.org")).get().amount_cents == 2_000


@pytest.mark.django_db
def test_a_partial_refund_reduces_the_match_in_step(campaign):
    for_campaign(campaign)
    gift = give(campaign, 5_000)
    ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=2_000)
    match = matches(gift).get()
    assert (match.status, match.amount_cents - match.refunded_cents) == (DonationStatus.PAID, 3_000)
    assert ledger.money(campaign.translation_key)["raised_cents"] == 6_000


@pytest.mark.django_db
def test_a_capped_match_keeps_what_the_fund_gives_on_what_remains(campaign):
    for_campaign(campaign, per_gift_cap_cents=10_000)
    gift = give(campaign, 30_000)
    ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=10_000)
    assert matches(gift).get().counted_cents == 10_000  # 200 € left: still worth the cap
    ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=25_000)
    assert matches(gift).get().counted_cents == 5_000


@pytest.mark.django_db
def test_a_lost_dispute_takes_the_match_back(campaign):
    sponsor = for_campaign(campaign)
    gift = give(campaign, 4_000)
    ledger.record_dispute(gift.pk, dispute_id="dp_m", amount_cents=4_000, status="open")
    assert matches(gift).get().counted_cents == 4_000  # open: nothing moves yet
    ledger.record_dispute(gift.pk, dispute_id="dp_m", amount_cents=4_000, status="lost")
    match = matches(gift).get()
    assert match.status == DonationStatus.REFUNDED
    money = ledger.money(campaign.translation_key)
    assert (money["raised_cents"], money["matched_cents"], money["disputed_cents"]) == (0, 0, 4000)
    assert matching.matched_cents(sponsor) == 0


@pytest.mark.django_db
def test_offline_gifts_are_matched_and_given_back_with_their_match(campaign, admin_user):
    for_campaign(campaign)
    gift = ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=2_000,
        donor_name="Mme Martin",
        offline_method="cash",
        received_on=timezone.localdate(),
    )
    assert matches(gift).get().amount_cents == 2_000
    # staff correct the amount: the match follows, never above what it first gave
    gift.amount_cents = 1_500
    ledger.save_offline(gift)
    assert matches(gift).get().counted_cents == 1_500
    gift.amount_cents = 5_000
    ledger.save_offline(gift)
    assert matches(gift).get().counted_cents == 2_000
    ledger.mark_returned(gift.pk, user=admin_user, returned_on=timezone.localdate())
    assert matches(gift).get().status == DonationStatus.REFUNDED
    assert ledger.money(campaign.translation_key)["raised_cents"] == 0


@pytest.mark.django_db
def test_an_offline_gift_moved_to_another_campaign_loses_its_match(campaign, other_campaign):
    for_campaign(campaign)
    gift = ledger.record_offline(
        campaign_key=campaign.translation_key, amount_cents=2_000, offline_method="cash"
    )
    gift.campaign_key = other_campaign.translation_key
    ledger.save_offline(gift)
    assert matches(gift).get().status == DonationStatus.REFUNDED
    assert ledger.money(campaign.translation_key)["raised_cents"] == 0
    assert ledger.money(other_campaign.translation_key)["raised_cents"] == 2_000


@pytest.mark.django_db
def test_deleting_an_offline_gift_deletes_its_match(campaign):
    sponsor = for_campaign(campaign)
    gift = ledger.record_offline(
        campaign_key=campaign.translation_key, amount_cents=2_000, offline_method="cash"
    )
    ledger.delete_offline(gift)
    assert not Donation.objects.exists()
    assert matching.room(sponsor, campaign.translation_key) == 500_000
    assert ledger.money(campaign.translation_key)["raised_cents"] == 0


@pytest.mark.django_db
def test_paying_twice_makes_one_match(campaign):
    for_campaign(campaign)
    gift = give(campaign, 1_000)
    _gift, changed = ledger.transition(gift.pk, DonationStatus.PAID)
    assert not changed
    assert matches(gift).count() == 1
    assert ledger.match_paid_gifts(MatchFund.objects.get().pk) == 0
    assert matches(gift).count() == 1
    with pytest.raises(IntegrityError):  # and the database itself refuses a second one
        Donation.objects.create(
            campaign_key=campaign.translation_key,
            amount_cents=1,
            source=DonationSource.MATCH,
            match_fund=MatchFund.objects.get(),
            matched_gift=gift,
        )


@pytest.mark.django_db
def test_a_match_is_never_matched_and_a_fund_made_later_matches_earlier_gifts(campaign):
    gift = give(campaign, 1_000)
    other = give(campaign, 600, email="b@example.org")
    first = for_campaign(campaign, starts_at=timezone.now() - 2 * DAY)
    assert ledger.match_paid_gifts(first.pk) == 2
    second = for_campaign(campaign, sponsor_name="Autre", starts_at=timezone.now() - 2 * DAY)
    assert ledger.match_paid_gifts(second.pk) == 2  # residents' gifts only, not first's matches
    assert matches(gift).count() == 2
    assert matches(other).count() == 2
    assert matches().count() == 4
    assert ledger.money(campaign.translation_key)["matched_cents"] == 3_200


@pytest.mark.django_db
def test_a_match_of_a_gift_paid_late_is_late_with_it(campaign):
    for_campaign(campaign)
    on_time = give(campaign, 1_000)
    campaign.closes_at = timezone.now()
    campaign.save_revision().publish()
    late = give(campaign, 2_000, email="b@example.org")
    assert matches(late).get().paid_late
    assert not matches(on_time).get().paid_late
    raised, _people, by_close = ledger.figures(campaign.translation_key)
    assert (raised, by_close) == (6_000, 2_000)


@pytest.mark.django_db
def test_the_campaign_page_lists_residents_gifts_not_the_sponsors(client, campaign):
    for_campaign(campaign)
    give(campaign, 2_500)
    assert [d.source for d in ledger.public_donations(campaign.translation_key)] == [
        DonationSource.ONLINE
    ]


@pytest.mark.django_db
def test_the_campaign_page_and_the_form_say_what_is_left(client, campaign):
    for_campaign(campaign, per_campaign_cap_cents=100_000)
    give(campaign, 30_000)
    for language in ("fr", "ar"):
        copy = Page.objects.get(
            translation_key=campaign.translation_key, locale__language_code=language
        )
        with translation.override(language):
            left = format_money(70_000)
            form_url = reverse("donations:donate", args=[campaign.translation_key])
        for url in (copy.url, form_url):
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert "Fondation Solidarité Paris" in html
            assert left in html
            assert 'href="https://fondation.example.org/"' in html


@pytest.mark.django_db
def test_nothing_is_said_on_a_closed_campaign(client, campaign):
    for_campaign(campaign)
    assert "match-offer" in client.get(campaign.url).content.decode()
    campaign.closes_at = timezone.now()
    campaign.save_revision().publish()
    html = client.get(campaign.url).content.decode()
    assert "match-offer" not in html and "Fondation Solidarité Paris" not in html


@pytest.mark.django_db
def test_nothing_is_said_when_the_fund_is_empty_or_over(client, campaign):
    now = timezone.now()
    for_campaign(campaign, total_cap_cents=1_000)
    for_campaign(campaign, sponsor_name="Fini", starts_at=now - 9 * DAY, ends_at=now - DAY)
    give(campaign, 1_000)
    html = client.get(campaign.url).content.decode()
    assert "Fondation Solidarité Paris" not in html
    assert "Fini" not in html
    assert "match-offer" not in html


@pytest.mark.django_db
def test_the_demo_fund_matches_the_live_campaigns_gifts_once(demo_site):
    sponsor = MatchFund.objects.get(sponsor_name="Fondation Solidarité Paris")
    assert (sponsor.ratio_percent, sponsor.total_cap_cents) == (100, 500_000)
    assert (sponsor.per_campaign_cap_cents, sponsor.per_gift_cap_cents) == (100_000, 10_000)
    garden = CampaignPage.objects.get(slug="jardin-des-couronnes", locale__language_code="fr")
    assert garden.status == "live"
    gifts = Donation.objects.filter(
        campaign_key=garden.translation_key, status=DonationStatus.PAID
    ).exclude(source=DonationSource.MATCH)
    # every gift (the association's 1 500 € offline one too) matched 1 € for 1 €, up to 100 €
    assert gifts.filter(amount_cents=150_000, source=DonationSource.OFFLINE).exists()
    for gift in gifts:
        assert matches(gift).get().amount_cents == min(gift.amount_cents, 10_000)
    expected = sum(min(gift.amount_cents, 10_000) for gift in gifts)
    assert ledger.money(garden.translation_key)["matched_cents"] == expected
    raised = ledger.money(garden.translation_key)["raised_cents"]
    count = matches().count()

    match_demo.build(SimpleNamespace(locale=Locale.get_default()))
    assert MatchFund.objects.filter(sponsor_name=sponsor.sponsor_name).count() == 1
    assert matches().count() == count

    match_demo.reset()
    assert not MatchFund.objects.exists()
    assert not matches().exists()
    assert ledger.money(garden.translation_key)["matched_cents"] == 0
    assert ledger.money(garden.translation_key)["raised_cents"] == raised - expected


@pytest.mark.django_db
def test_the_offer_costs_the_same_queries_whatever_the_gifts(
    client, campaign, django_assert_max_num_queries
):
    for_campaign(campaign, per_campaign_cap_cents=100_000)
    fund(sponsor_name="Par quartier", district_codes=["75020"])
    give(campaign, 1_000)
    with django_assert_max_num_queries(200) as few:
        assert client.get(campaign.url).status_code == 200
    for n in range(8):
        give(campaign, 1_000, email=f"d{n}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(campaign.url).content.decode()
    with translation.override("fr"):
        assert format_money(100_000 - 9 * 1_000) in html
