"""One campaign's money is the ledger's wherever it is shown: the campaign page (French and
Arabic), the JSON API, open data, the embeddable card's source, and, added up, the impact
figures — on closed (succeeded, failed and refunded), matched and disputed campaigns."""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import ngettext

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from campaigns.impact import impact_figures
from donations import ledger
from helpers.money import format_money
from tests.campaigns.impact_activity import activity_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def euros(cents):
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def progress_of(client, page, language):
    url = page.get_translation(Locale.objects.get(language_code=language)).url
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".progress__figures")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_each_campaigns_figures_are_the_ledgers_on_its_page(activity, client, language):
    for page in activity["pages"].values():
        money = ledger.money(page.translation_key)
        figures = progress_of(client, page, language)
        with translation.override(language):
            assert figures.strong.get_text() == format_money(money["raised_cents"])
            text = figures.get_text(" ", strip=True)
            people = money["donor_count"]
            said = ngettext("%(counter)s person gave", "%(counter)s people gave", people)
            assert said % {"counter": people} in text  # Arabic's "two people" has no digit
            matched = figures.select_one(".progress__matched")
            if money["matched_cents"]:
                assert format_money(money["matched_cents"]) in matched.get_text()
            else:
                assert matched is None


def test_the_matched_and_disputed_campaign_adds_up(activity):
    money = ledger.money(activity["pages"]["matched"].translation_key)
    # 50 € + 40 € half refunded + 20 € lost to a dispute, each euro doubled while it counts
    assert money["given_cents"] == 5_000 + 2_000
    assert money["matched_cents"] == 5_000 + 2_000
    assert money["raised_cents"] == money["given_cents"] + money["matched_cents"]
    assert money["disputed_cents"] == 2_000
    assert (money["donor_count"], money["gift_count"]) == (2, 2)


def test_the_api_and_open_data_give_the_ledgers_figures(activity, client):
    rows = {row["id"]: row for row in client.get("/open-data/campaigns.json").json()["campaigns"]}
    total = 0
    for page in activity["pages"].values():
        money = ledger.money(page.translation_key)
        api = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert (api["raised_cents"], api["donor_count"]) == (
            money["raised_cents"],
            money["donor_count"],
        )
        row = rows[str(page.translation_key)]
        assert (row["raised_eur"], row["donors"]) == (
            euros(money["raised_cents"]),
            money["donor_count"],
        )
        total += money["raised_cents"]
    # the failed all-or-nothing campaign's gift was refunded: nothing counted
    assert ledger.money(activity["pages"]["failed"].translation_key)["raised_cents"] == 0
    # what the public campaigns raised, added up, is the impact figure
    assert impact_figures()["raised_cents"] == total
