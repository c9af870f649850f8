"""Campaign pages: derived status, budget validation, listing filters, donation block,
money in the reader's locale, and query counts that do not grow with gifts or campaigns."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from campaigns.closing import CampaignClosing
from campaigns.factories import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CategoryFactory,
    DistrictFactory,
)
from campaigns.models import (
    BudgetLine,
    CampaignIndexPage,
    CampaignPage,
    CampaignStatus,
    FundingRule,
)
from campaigns.payouts import Payout
from donations import ledger
from donations.models import Donation, MatchFund
from helpers.money import format_money
from home.locales import create_language_aliases

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def pay(campaign, euros, **fields):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=euros * 100, provider="demo", **fields
    )
    # paid while the campaign was open: a gift paid after closing is not in its result
    ledger.transition(donation.pk, ledger.PAID, paid_at=campaign.closes_at - DAY / 24)
    return donation


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("opens", "closes", "raised", "rule", "expected"),
    [
        (1, 30, 0, FundingRule.KEEP_IT_ALL, CampaignStatus.UPCOMING),
        (-1, 30, 0, FundingRule.KEEP_IT_ALL, CampaignStatus.LIVE),
        (-30, -1, 800, FundingRule.ALL_OR_NOTHING, CampaignStatus.SUCCEEDED),  # 80 % of 1 000
        (-30, -1, 799, FundingRule.ALL_OR_NOTHING, CampaignStatus.FAILED),
        (-30, -1, 799, FundingRule.KEEP_IT_ALL, CampaignStatus.CLOSED),
    ],
)
@pytest.mark.django_db
def test_status_is_derived_from_dates_tally_and_rule(
    home_page, opens, closes, raised, rule, expected
):
    index = CampaignIndexPageFactory(parent=home_page)
    campaign = CampaignPageFactory(
        parent=index, opens_at=NOW + opens * DAY, closes_at=NOW + closes * DAY, funding_rule=rule
    )
    if raised:
        pay(campaign, raised)
    assert campaign.status == expected
    assert campaign.accepts_donations == (expected == CampaignStatus.LIVE)


@pytest.mark.django_db
def test_an_unpublished_campaign_is_a_draft(campaign):
    campaign.live = False
    assert campaign.status == CampaignStatus.DRAFT


@pytest.mark.django_db
def test_budget_lines_must_add_up_to_the_goal(campaign):
    campaign.budget_lines = [
        BudgetLine(label="Bacs", amount_cents=60_000),
        BudgetLine(label="Outils", amount_cents=30_000),
    ]
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "goal_cents" in error.value.message_dict
    assert format_money(90_000, "fr") in error.value.message_dict["goal_cents"][0]
    campaign.budget_lines = [
        BudgetLine(label="Bacs", amount_cents=60_000),
        BudgetLine(label="Outils", amount_cents=40_000),
    ]
    campaign.full_clean()


@pytest.mark.django_db
def test_a_campaign_must_close_after_it_opens(campaign):
    campaign.closes_at = campaign.opens_at - DAY
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "closes_at" in error.value.message_dict


@pytest.mark.parametrize(
    ("language", "cents", "expected"),
    [
        ("fr", 125_000, "1\u202f250\xa0€"),
        ("en", 125_000, "€1,250"),
        ("fr", 1_250, "12,50\xa0€"),
        ("en", 1_250, "€12.50"),
        ("pt", 125_000, "€\xa01.250"),
        ("zh-hans", 125_000, "€1,250"),
        ("ar", 125_000, "\u200f1,250\xa0€"),
    ],
)
def test_money_is_formatted_for_the_reader(language, cents, expected):
    assert format_money(cents, language) == expected


@pytest.mark.django_db
def test_campaign_page_shows_totals_and_gifts_as_donors_chose(client, campaign):
    pay(campaign, 40, donor_name="Awa", display="name", message="Vive le jardin")
    pay(campaign, 15, donor_name="Karim", display="anonymous")
    pay(campaign, 70, donor_name="Lucie", display="hide_amount")
    soup = soup_of(client.get(campaign.get_url()))
    figures = soup.select_one(".progress__figures").get_text(" ", strip=True)
    assert "125\xa0€" in figures and "1\u202f000\xa0€" in figures
    gifts = [li.get_text(" ", strip=True) for li in soup.select(".donations-list li")]
    assert gifts[0] == "Lucie"
    assert gifts[1].startswith("Anonyme") and "15\xa0€" in gifts[1] and "Karim" not in gifts[1]
    assert gifts[2].startswith("Awa") and "40\xa0€" in gifts[2] and "Vive le jardin" in gifts[2]


@pytest.mark.django_db
def test_donation_block_points_to_the_readers_language_and_explains_closed_campaigns(
    client, home_page, campaign
):
    upcoming = CampaignPageFactory(
        parent=campaign.get_parent(), opens_at=NOW + 3 * DAY, closes_at=NOW + 30 * DAY
    )
    create_language_aliases(upcoming)
    block = {
        "heading": "Soutenez",
        "text": "",
        "preset_amounts": [10, 25],
        "allow_custom_amount": True,
        "button_label": "Donner",
    }
    home_page.body = [
        ("donation", {**block, "campaign": campaign}),
        ("donation", {**block, "campaign": upcoming}),
    ]
    home_page.save_revision().publish()
    soup = soup_of(client.get("/ar/"))
    live, closed = soup.select("section.donation-block")
    form = live.select_one("form")
    assert form["action"] == f"/ar/donate/{campaign.translation_key}/"
    assert [b["value"] for b in form.select("button[name=amount]")] == ["10", "25", ""]
    assert closed.select_one("form") is None
    assert closed.select_one(".notice") is not None


@pytest.mark.django_db
def test_listing_filters_by_status_district_and_category(client, home_page):
    index = CampaignIndexPageFactory(parent=home_page)
    fr = Locale.objects.get(language_code="fr")
    garden, food = CategoryFactory(locale=fr, code="nature"), CategoryFactory(locale=fr)
    d20, montreuil = DistrictFactory(locale=fr, code="75020"), DistrictFactory(locale=fr)
    live = CampaignPageFactory(parent=index, title="Vivant", district=d20, category=garden)
    CampaignPageFactory(
        parent=index, title="Bientôt", opens_at=NOW + DAY, district=montreuil, category=food
    )
    done = CampaignPageFactory(
        parent=index,
        title="Réussi",
        opens_at=NOW - 9 * DAY,
        closes_at=NOW - DAY,
        district=montreuil,
        goal_cents=1000,
    )
    pay(done, 10)

    def titles(**params):
        soup = soup_of(client.get(index.get_url(), params))
        return sorted(a.get_text() for a in soup.select(".campaign-card h2 a"))

    assert titles() == ["Bientôt", "Réussi", "Vivant"]
    assert titles(status="live") == ["Vivant"]
    assert titles(status="upcoming") == ["Bientôt"]
    assert titles(status="succeeded") == ["Réussi"]
    assert titles(status="closed") == []
    assert titles(district=montreuil.code) == ["Bientôt", "Réussi"]
    assert titles(category="nature") == ["Vivant"]
    assert titles(status="nonsense", page="abc") == ["Bientôt", "Réussi", "Vivant"]
    assert live.title in titles(district="75020")


def queries_to_render(client, url):
    client.get(url)  # renditions and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_campaign_page_queries_do_not_grow_with_donations(client, campaign):
    pay(campaign, 10)
    few = queries_to_render(client, campaign.get_url())
    for _ in range(999):
        pay(campaign, 1)
    many = queries_to_render(client, campaign.get_url())
    assert few == many, (few, many)
    assert many <= 30


@pytest.mark.django_db
def test_listing_queries_do_not_grow_with_campaigns(client, home_page, monkeypatch):
    monkeypatch.setattr(CampaignIndexPage, "per_page", 50)
    index = CampaignIndexPageFactory(parent=home_page)
    fr = Locale.objects.get(language_code="fr")
    district = DistrictFactory(locale=fr)

    def add(count):
        for _ in range(count):
            campaign = CampaignPageFactory(parent=index, district=district)
            pay(campaign, 5)

    add(5)
    five = queries_to_render(client, index.get_url())
    add(45)
    fifty = queries_to_render(client, index.get_url() + "?page=1")
    assert five == fifty, (five, fifty)
    cards = soup_of(client.get(index.get_url())).select(".campaign-card")
    assert len(cards) == 50


@pytest.mark.django_db
def test_demo_has_campaigns_in_every_status_with_online_and_offline_gifts(client, demo_site):
    french = CampaignPage.objects.filter(locale__language_code="fr")
    assert {campaign.status for campaign in french} >= {
        CampaignStatus.LIVE,
        CampaignStatus.UPCOMING,
        CampaignStatus.SUCCEEDED,
        CampaignStatus.FAILED,
    }
    assert len({campaign.district_id for campaign in french}) >= 3
    # residents' gifts online and offline, and a sponsor's matches (campaigns/match_demo.py)
    assert set(Donation.objects.values_list("source", flat=True)) == {"online", "offline", "match"}
    for campaign in french:
        for language in ("en", "ar"):
            translated = campaign.get_translation(Locale.objects.get(language_code=language))
            assert translated.alias_of_id is None and translated.title != campaign.title
            assert translated.district.locale.language_code == language
        raised, donors = ledger.tally(campaign.translation_key)
        paid = Donation.objects.filter(campaign_key=campaign.translation_key, status="paid")
        assert raised == sum(d.amount_cents - d.refunded_cents for d in paid)
        people = {
            d.donor_email.lower() or d.donor_name.strip().lower() or d.pk
            for d in paid
            if d.source != "match"
        }
        assert donors == len(people)

    # The money after the gift: a closed campaign that succeeded and was paid out, a failed
    # all-or-nothing one whose gifts were all refunded, and a match fund.
    succeeded = [c for c in french if c.status == CampaignStatus.SUCCEEDED]
    assert CampaignClosing.objects.filter(campaign_key=succeeded[0].translation_key).exists()
    assert Payout.objects.filter(campaign_key__in=[c.translation_key for c in succeeded]).exists()
    failed = [c for c in french if c.status == CampaignStatus.FAILED]
    failed_gifts = Donation.objects.filter(
        campaign_key__in=[c.translation_key for c in failed], source="online"
    )
    assert failed_gifts.exists()
    assert set(failed_gifts.values_list("status", flat=True)) == {"refunded"}
    assert all(ledger.tally(c.translation_key)[0] == 0 for c in failed)
    assert MatchFund.objects.exists()


@pytest.mark.django_db
def test_gifts_are_paginated_without_javascript(client, campaign):
    for number in range(25):
        pay(campaign, 1, donor_name=f"Donneur {number:02d}")
    first = soup_of(client.get(campaign.get_url()))
    assert len(first.select(".donations-list li")) == 20
    next_link = first.select_one('.donations-list a[rel="next"]')["href"]
    assert next_link == "?page=2#donations"
    second = soup_of(client.get(campaign.get_url() + "?page=2"))
    names = [li.strong.get_text() for li in second.select(".donations-list li")]
    assert names == [f"Donneur {number:02d}" for number in range(4, -1, -1)]
