"""The impact figures (campaigns/impact.py): computed from the ledger and the stored closings,
equal to the campaigns' tallies, the same on the impact page, the home page and in open data;
the impact page's chart and table in French and Arabic; bounded queries."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

import pytest
from bs4 import BeautifulSoup

from campaigns.closing import CampaignClosing
from campaigns.factories import CampaignPageFactory, ImpactPageFactory
from campaigns.impact import impact_figures
from campaigns.templatetags.impact_tags import BAR_SPAN, WIDTH, bar_geometry
from donations import ledger
from donations.models import CampaignTally, DonationStatus
from helpers.money import format_money
from home import figures
from home.locales import create_language_aliases
from tests.campaigns.impact_activity import activity_fixture, pay  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

KEYS = [
    "campaigns_count",
    "campaigns_funded",
    "closed_count",
    "success_rate",
    "online_cents",
    "offline_cents",
    "matched_cents",
    "given_cents",
    "raised_cents",
    "disputed_cents",
    "people",
    "districts",
    "by_year",
]


def euros(cents):
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


@pytest.fixture
def impact_page(home_page):
    page = ImpactPageFactory(parent=home_page, title="Notre impact", slug="impact")
    create_language_aliases(page)
    return page


def test_figures_are_the_ledgers_and_the_closings(activity):
    with translation.override("fr"):
        result = impact_figures()
    expected = activity["expected"]
    assert {key: result[key] for key in KEYS} == {key: expected[key] for key in KEYS}
    assert result["by_district"] == expected["by_district_fr"]
    with translation.override("ar"):
        assert impact_figures()["by_district"] == expected["by_district_ar"]


def test_money_equals_the_campaigns_tallies(activity):
    keys = [page.translation_key for page in activity["pages"].values()]
    tallies = CampaignTally.objects.filter(campaign_key__in=keys)
    result = impact_figures()
    assert result["raised_cents"] == sum(tally.raised_cents for tally in tallies)
    assert result["matched_cents"] == sum(tally.matched_cents for tally in tallies)
    assert result["disputed_cents"] == sum(tally.disputed_cents for tally in tallies)
    assert result["given_cents"] == result["online_cents"] + result["offline_cents"]
    assert sum(cents for _year, cents in result["by_year"]) == result["raised_cents"]
    assert sum(cents for _name, cents in result["by_district"]) == result["raised_cents"]
    # people are counted once across campaigns: awa gave to two of them
    assert result["people"] < sum(tally.donor_count for tally in tallies)


def test_the_success_rate_reads_the_stored_results_not_the_dates(activity):
    # a campaign past its closing time but not closed yet does not count
    CampaignPageFactory(
        parent=activity["pages"]["succeeded"].get_parent(),
        opens_at=activity["pages"]["succeeded"].opens_at,
        closes_at=activity["pages"]["succeeded"].closes_at,
    )
    assert impact_figures()["closed_count"] == 2
    # a stored result is never recomputed: the closing says failed, so it is failed
    closing = CampaignClosing.objects.get(
        campaign_key=activity["pages"]["succeeded"].translation_key
    )
    closing.result = "failed"
    closing.save()
    result = impact_figures()
    assert (result["campaigns_funded"], result["success_rate"]) == (0, 0.0)


def test_a_figure_follows_a_gift_paid_then_refunded(activity):
    before = impact_figures()
    gift = pay(activity["pages"]["matched"], 30, email="nouveau@example.org")
    after = impact_figures()
    # 30 € given, 30 € matched, one more person
    assert after["raised_cents"] == before["raised_cents"] + 6_000
    assert after["matched_cents"] == before["matched_cents"] + 3_000
    assert after["people"] == before["people"] + 1
    ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=gift.amount_cents)
    assert impact_figures() == before


def test_no_campaign_closed_gives_no_success_rate(home_page):
    result = impact_figures()
    assert (result["closed_count"], result["success_rate"]) == (0, None)
    assert (result["raised_cents"], result["people"], result["by_year"]) == (0, 0, [])


def test_queries_do_not_grow_with_campaigns_or_gifts(activity, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        impact_figures()
    # three, the help figures (kept with the frame in production, not here), and two for
    # the private sections (a restricted page, its copies)
    assert len(few) <= 6, [query["sql"] for query in few]
    index = activity["pages"]["matched"].get_parent()
    for number in range(5):
        campaign = CampaignPageFactory(parent=index)
        create_language_aliases(campaign)
        for gift in range(3):
            pay(campaign, 10 + gift, email=f"p{number}-{gift}@example.org")
    with django_assert_max_num_queries(len(few)):
        impact_figures()


def test_the_figures_are_computed_once_per_request(activity, impact_page, client):
    with CaptureQueriesContext(connection) as one:
        client.get(impact_page.url)
    calls = []
    figures.register_figures(lambda: calls.append(1) or impact_figures())
    try:
        client.get(impact_page.url)
    finally:
        figures.register_figures(impact_figures)
    assert calls == [1]
    assert len(one) < 40


def test_the_impact_page_shows_the_figures_the_chart_and_the_table(activity, impact_page, client):
    expected = activity["expected"]
    for language in ("fr", "ar"):
        with translation.override(language):
            response = client.get(f"/{language}/{impact_page.slug}/")
            assert response.status_code == 200
            soup = BeautifulSoup(response.content, "html.parser")
            values = [
                node.get_text() for node in soup.select(".impact-figures .key-figures__value")
            ]
            assert figures.format_percent_value(0.5) in values
            assert format_money(expected["raised_cents"]) in values
            assert figures.format_number(3) in values
            district_chart = soup.select_one("#impact-district-table").find_previous("svg")
            assert district_chart["role"] == "img"
            title_id, desc_id = district_chart["aria-labelledby"].split()
            assert district_chart.select_one(f"title#{title_id}").get_text() == gettext(
                "Money raised by district"
            )
            assert district_chart.select_one(f"desc#{desc_id}").get_text()
            labels = [text.get_text() for text in district_chart.select(".impact-chart__label")]
            names = [name for name, _cents in expected[f"by_district_{language}"]]
            assert labels == names
            table = soup.select_one("#impact-district-table")
            assert table.caption.get_text() == gettext("Money raised by district")
            assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
            rows = [(row.th.get_text(), row.td.get_text()) for row in table.select("tbody tr")]
            assert rows == [
                (name, format_money(cents)) for name, cents in expected[f"by_district_{language}"]
            ]
            years = soup.select_one("#impact-year-table")
            assert [row.th.get_text() for row in years.select("tbody tr")] == [
                str(year) for year, _cents in expected["by_year"]
            ]
            assert not soup.select("main script"), "the chart needs no JavaScript"
            assert district_chart.get("direction") == ("rtl" if language == "ar" else "ltr")


def test_bars_are_mirrored_right_to_left():
    rows = [("Paris 20e", 30_000), ("Paris 19e", 15_000), ("Montreuil", 0)]
    ltr = bar_geometry(rows)
    rtl = bar_geometry(rows, rtl=True)
    assert [float(bar["width"]) for bar in ltr] == [BAR_SPAN, BAR_SPAN / 2, 0]
    assert [bar["x"] for bar in ltr] == ["0", "0", "0"]
    # right to left: each bar ends at the right edge, its label starts there
    for left, right in zip(ltr, rtl, strict=True):
        assert float(right["x"]) + float(right["width"]) == WIDTH
        assert right["label_x"] == str(WIDTH)
        assert float(right["value_x"]) < float(right["x"])
        assert left["y"] == right["y"] and left["width"] == right["width"]
    # never a localized coordinate ("12,5" in French)
    with translation.override("fr"):
        odd = bar_geometry([("a", 3), ("b", 11)])
    assert odd[0]["width"] == f"{round(BAR_SPAN * 3 / 11, 1):g}"
    assert "." in odd[0]["width"] and "," not in odd[0]["width"]


def test_home_impact_page_and_open_data_agree(activity, impact_page, client):
    expected = activity["expected"]
    stats = client.get("/open-data/stats.json").json()["overall"]
    assert stats["success_rate"] == round(expected["success_rate"], 4)
    assert (stats["ended"], stats["succeeded"]) == (2, 1)
    assert stats["raised_eur"] == euros(expected["raised_cents"])
    assert stats["matched_eur"] == euros(expected["matched_cents"])
    assert stats["given_eur"] == euros(expected["given_cents"])
    assert stats["online_eur"] == euros(expected["online_cents"])
    assert stats["offline_eur"] == euros(expected["offline_cents"])
    assert stats["people"] == expected["people"]
    assert stats["campaigns"] == expected["campaigns_count"]
    by_district = {
        group["district_name"]: group
        for group in client.get("/open-data/stats.json").json()["by_district"]
    }
    for name, cents in expected["by_district_fr"]:
        assert by_district[name]["raised_eur"] == euros(cents)

    home = activity["pages"]["succeeded"].get_parent().get_parent().specific
    home.key_figures = [
        ("figure", {"figure": "success_rate", "label": "des campagnes réussissent"}),
        ("figure", {"figure": "raised", "label": "collectés"}),
        ("figure", {"figure": "people", "label": "personnes"}),
    ]
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/fr/").content, "html.parser")
    on_home = [node.get_text() for node in soup.select(".key-figures--home .key-figures__value")]
    page = BeautifulSoup(client.get(f"/fr/{impact_page.slug}/").content, "html.parser")
    on_impact = [node.get_text() for node in page.select(".impact-figures .key-figures__value")]
    with translation.override("fr"):
        shown = [
            figures.format_percent_value(expected["success_rate"]),
            figures.format_whole_money(expected["raised_cents"]),
            figures.format_number(expected["people"]),
        ]
        assert on_home == shown
        assert figures.format_percent_value(expected["success_rate"]) in on_impact
        assert format_money(expected["raised_cents"]) in on_impact


def test_the_api_gives_the_impact_figures(activity, impact_page, client):
    data = client.get(f"/api/v2/pages/{impact_page.pk}/").json()
    expected = activity["expected"]
    assert {key: data["figures"][key] for key in ("raised_cents", "people", "success_rate")} == {
        key: expected[key] for key in ("raised_cents", "people", "success_rate")
    }
    assert data["figures"]["by_year"] == [list(row) for row in expected["by_year"]]
