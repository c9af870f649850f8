"""The JSON API says what the pages say: demo pages in French and Arabic, block JSON, languages."""

import datetime
import html
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import localtime

from wagtail.models import Locale

import pytest

from campaigns.models import CampaignPage
from donations import ledger
from helpers.formats import format_day, format_when
from helpers.money import format_money
from home.factories import ImageFactory, StandardPageFactory
from home.locales import create_language_aliases
from tests.api.helpers import api
from workshops.factories import WorkshopPageFactory
from workshops.registrations import register

PAGE_TYPES = [
    "home.HomePage",
    "home.StandardPage",
    "campaigns.CampaignIndexPage",
    "campaigns.CampaignPage",
    "stories.StoryIndexPage",
    "stories.StoryPage",
    "workshops.WorkshopIndexPage",
    "workshops.WorkshopPage",
]


def html_of(client, item):
    response = client.get(urlsplit(item["meta"]["html_url"]).path)
    assert response.status_code == 200, item["meta"]["html_url"]
    return html.unescape(response.content.decode())


def expected_fragments(page_type, item, language):
    """What the HTML page must show, computed from the API's values only."""
    with translation.override(language):
        if page_type == "campaigns.CampaignPage":
            closes = localtime(parse_datetime(item["closes_at"])).date()
            return [
                format_money(item["raised_cents"]),
                format_money(item["goal_cents"]),
                item["display"]["raised"],
                item["display"]["goal"],
                str(item["donor_count"]),
                # live: "Gifts until …", closed: "Closed on …" (the funding panel, CLDR)
                format_day(closes, language),
            ]
        if page_type == "workshops.WorkshopPage":
            starts = localtime(parse_datetime(item["starts_at"]))
            ends = localtime(parse_datetime(item["ends_at"]))
            return [
                format_when(starts, ends, language),  # CLDR, e.g. "2030年12月9日星期一 18:30–20:30"
                item["venue"]["name"],
                *([str(item["seats_left"])] if item["registration_state"] == "open" else []),
            ]
        if page_type == "stories.StoryPage":
            return [
                format_day(parse_date(item["date"]), language),
                item["introduction"],
                item["campaign"]["title"],
            ]
    return []


@pytest.mark.django_db
def test_api_detail_matches_the_html_page_for_every_page_type_in_fr_and_ar(client, demo_site):
    for language in ("fr", "ar"):
        for page_type in PAGE_TYPES:
            status, listing = api(client, "pages/", type=page_type, locale=language, limit=1)
            assert status == 200 and listing["items"], (page_type, language, listing)
            status, item = api(client, f"pages/{listing['items'][0]['id']}/")
            assert status == 200
            assert item["meta"]["locale"] == language
            assert item["meta"]["type"] == page_type
            page_html = html_of(client, item)
            assert f'<html lang="{language}"' in page_html
            # The home page shows its hero heading (its title is only in the browser's tab)
            heading = item["hero_heading"] if page_type == "home.HomePage" else item["title"]
            assert heading in page_html, (page_type, language)
            for fragment in expected_fragments(page_type, item, language):
                assert fragment in page_html, (page_type, language, fragment)


@pytest.mark.django_db
def test_campaign_totals_come_from_the_ledger(client, campaign):
    ledger.record_offline(
        campaign_key=campaign.translation_key, amount_cents=2_550, offline_method="cash"
    )
    ledger.record_offline(
        campaign_key=campaign.translation_key, amount_cents=10_000, offline_method="cheque"
    )
    arabic = campaign.get_translation(Locale.objects.get(language_code="ar"))
    status, item = api(client, f"pages/{arabic.pk}/")
    assert status == 200
    assert (item["raised_cents"], item["donor_count"]) == (12_550, 2)
    assert item["goal_cents"] == 100_000 and item["percent_raised"] == 12
    assert item["threshold_cents"] == 80_000 and item["status"] == "live"
    assert item["accepts_donations"] is True
    assert item["display"]["raised"] == format_money(12_550, "ar")
    assert item["donate_url"].endswith(f"/ar/donate/{campaign.translation_key}/")
    assert item["embed_url"].endswith(f"/embed/campaign/{arabic.pk}/?lang=ar")
    assert client.get(item["embed_url"]).status_code == 200


@pytest.mark.django_db
def test_locale_and_translation_of_filters(client, campaign):
    status, listing = api(
        client, "pages/", translation_of=campaign.pk, locale="ar", type="campaigns.CampaignPage"
    )
    assert status == 200
    arabic = campaign.get_translation(Locale.objects.get(language_code="ar"))
    assert [item["id"] for item in listing["items"]] == [arabic.pk]

    status, listing = api(client, "pages/", type="campaigns.CampaignPage")
    assert sorted(item["meta"]["locale"] for item in listing["items"]) == sorted(
        ["fr", "en", "ar", "pt", "zh-hans"]
    )
    status, body = api(client, "pages/", locale="xx")
    assert status == 400 and "message" in body


@pytest.mark.django_db
def test_blocks_serialize_to_clean_json_in_the_page_language(client, home_page, campaign):
    image = ImageFactory()
    page = StandardPageFactory(
        parent=home_page,
        title="À propos",
        body=[
            (
                "paragraph",
                f'<p>Voir <a linktype="page" id="{campaign.pk}">la campagne</a>.</p>',
            ),
            ("image", {"image": image, "alt_text": "Un jardin", "caption": "Été"}),
            (
                "faq",
                {
                    "heading": "",
                    "items": [
                        {
                            "question": "Où ?",
                            "answer": f'<p><a linktype="page" id="{campaign.pk}">Ici</a>, '
                            'et <a href="https://example.org/">là</a>.</p>',
                        }
                    ],
                },
            ),
            ("call_to_action", {"label": "Soutenir", "page": campaign, "url": "", "text": ""}),
            (
                "donation",
                {
                    "campaign": campaign,
                    "heading": "Donnez",
                    "text": "",
                    "preset_amounts": [10, 25],
                    "allow_custom_amount": True,
                    "button_label": "Donner",
                },
            ),
        ],
    )
    create_language_aliases(page)
    arabic_locale = Locale.objects.get(language_code="ar")
    arabic_page = page.get_translation(arabic_locale)
    arabic_campaign = campaign.get_translation(arabic_locale)

    status, item = api(client, f"pages/{arabic_page.pk}/")
    assert status == 200
    blocks = {block["type"]: block["value"] for block in item["body"]}

    # Real, absolute links: the HTML can be shown on a partner's site
    assert 'href="http://localhost/ar/' in blocks["paragraph"]
    assert "linktype" not in blocks["paragraph"] and 'href="/' not in blocks["paragraph"]
    answer = blocks["faq"]["items"][0]["answer"]
    assert 'href="http://localhost/ar/' in answer and 'href="https://example.org/"' in answer

    picture = blocks["image"]
    assert picture["alt_text"] == "Un jardin" and picture["image"]["alt"] == "Un jardin"
    assert picture["image"]["url"].startswith("http")
    assert picture["image"]["width"] == min(800, image.width)
    assert {source["format"] for source in picture["image"]["sources"]} == {"webp", "jpeg"}

    link = blocks["call_to_action"]["page"]
    assert link["id"] == arabic_campaign.pk and link["locale"] == "ar"
    assert urlsplit(link["html_url"]).path.startswith("/ar/")

    donation = blocks["donation"]
    assert donation["campaign"]["id"] == arabic_campaign.pk
    assert donation["campaign"]["status"] == "live"
    assert donation["preset_amounts"] == [10, 25] and donation["currency"] == "EUR"
    assert donation["donate_url"].endswith(f"/ar/donate/{campaign.translation_key}/")


@pytest.mark.django_db
def test_workshop_exposes_times_venue_and_seats_left(client, workshop_index, campaign):
    workshop = WorkshopPageFactory(parent=workshop_index, title="Atelier", capacity=5)
    workshop.related_campaigns.add(campaign)
    workshop.save()
    create_language_aliases(workshop)
    register(
        workshop,
        name="Fatou Diop",
        email="fatou@example.org",
        phone="",
        seats=2,
        language="fr",
        notify=False,
    )
    status, item = api(client, f"pages/{workshop.pk}/")
    assert status == 200
    assert item["seats_left"] == 3 and item["capacity"] == 5
    assert item["registration_state"] == "open"
    assert parse_datetime(item["starts_at"]) == workshop.starts_at
    assert item["starts_at"].endswith(("+01:00", "+02:00"))  # Paris time
    assert item["venue"]["name"] == workshop.venue.name
    assert [lang["code"] for lang in item["languages"]] == ["fr", "ar"]
    assert [link["id"] for link in item["related_campaigns"]] == [campaign.pk]
    assert item["calendar_url"].endswith(f"/workshops/{workshop.pk}/calendar.ics")
    assert "Fatou" not in str(item)


@pytest.mark.django_db
def test_campaign_in_listing_and_detail_agree(client, campaign):
    CampaignPage.objects.filter(pk=campaign.pk).update(
        closes_at=campaign.opens_at + datetime.timedelta(days=2)
    )
    status, listing = api(
        client,
        "pages/",
        type="campaigns.CampaignPage",
        locale="fr",
        fields="raised_cents,status,closes_at",
    )
    status, detail = api(client, f"pages/{campaign.pk}/")
    [item] = listing["items"]
    for field in ("raised_cents", "status", "closes_at"):
        assert item[field] == detail[field], field
