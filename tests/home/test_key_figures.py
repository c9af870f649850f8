"""The home page's key figures: computed (home/figures.py, from campaigns.impact), never
typed; equal to the ledger's; written in the reader's language; following a gift paid then
refunded; computed once per request; the same in the API; typed figures migrated."""

import importlib

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from campaigns.impact import impact_figures
from donations import ledger
from donations.models import DonationStatus
from helpers.money import format_money
from home import figures
from tests.campaigns.impact_activity import activity_fixture, pay  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(request):
    """The French home page (the site's root), in every language."""
    return request.getfixturevalue("home_page")


LABELS = {
    "success_rate": "des campagnes closes ont réussi",
    "campaigns_funded": "projets financés",
    "raised": "collectés",
    "people": "personnes ont donné",
    "matched": "doublés par les mécènes",
    "districts": "quartiers",
}


def set_key_figures(home, names):
    home.key_figures = [("figure", {"figure": name, "label": LABELS[name]}) for name in names]
    home.save_revision().publish()


def shown(client, language="fr"):
    """(value, label) of each key figure on the home page in ``language``."""
    soup = BeautifulSoup(client.get(f"/{language}/").content, "html.parser")
    return [
        (
            item.select_one(".key-figures__value").get_text(),
            item.select_one(".key-figures__label").get_text(),
        )
        for item in soup.select(".key-figures--home li")
    ]


def test_the_figures_are_the_ledgers_in_french_and_arabic(activity, client):
    set_key_figures(activity["home"], list(LABELS))
    expected = activity["expected"]
    for language in ("fr", "ar"):
        with translation.override(language):
            values = [
                figures.format_percent_value(expected["success_rate"]),
                figures.format_number(expected["campaigns_funded"]),
                format_money(expected["raised_cents"]),
                figures.format_number(expected["people"]),
                format_money(expected["matched_cents"]),
                figures.format_number(expected["districts"]),
            ]
        assert shown(client, language) == list(zip(values, LABELS.values(), strict=True))
    french = dict(zip(LABELS, [value for value, _label in shown(client, "fr")], strict=True))
    assert french["success_rate"] == "50\xa0%"
    assert french["raised"] == "1\u202f140\xa0€"
    english = dict(zip(LABELS, [value for value, _label in shown(client, "en")], strict=True))
    assert (english["success_rate"], english["raised"]) == ("50%", "€1,140")


def test_a_figure_follows_a_gift_paid_then_refunded(activity, client):
    set_key_figures(activity["home"], ["raised", "people"])
    before = shown(client)
    gift = pay(activity["pages"]["matched"], 30, email="nouveau@example.org")
    with translation.override("fr"):
        # 30 € given and 30 € matched, one more person
        raised = format_money(activity["expected"]["raised_cents"] + 6_000)
        people = figures.format_number(activity["expected"]["people"] + 1)
    assert [value for value, _label in shown(client)] == [raised, people]
    ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=gift.amount_cents)
    assert shown(client) == before


def test_amounts_are_rounded_to_the_euro():
    with translation.override("fr"):
        assert figures.format_whole_money(123_456) == "1\u202f235\xa0€"
    with translation.override("en"):
        assert figures.format_whole_money(123_449) == "€1,234"


def test_a_success_rate_not_known_yet_is_left_out(home, client):
    set_key_figures(home, ["success_rate", "people"])
    with translation.override("fr"):
        assert shown(client) == [(figures.format_number(0), LABELS["people"])]


def test_the_figures_are_computed_once_per_page(activity, client):
    counts = []
    for names in (["people"], list(LABELS)):
        set_key_figures(activity["home"], names)
        client.get("/fr/")  # the first view after publishing fills caches
        with CaptureQueriesContext(connection) as queries:
            client.get("/fr/")
        counts.append(len(queries))
    assert counts[0] == counts[1], "each key figure made its own queries"
    calls = []
    figures.register_figures(lambda: calls.append(1) or impact_figures())
    try:
        client.get("/fr/")
    finally:
        figures.register_figures(impact_figures)
    assert calls == [1]


def test_the_api_gives_each_figure_its_value(activity, client):
    set_key_figures(activity["home"], ["success_rate", "people"])
    data = client.get(f"/api/v2/pages/{activity['home'].pk}/").json()
    assert [(item["value"]["figure"], item["value"]["value"]) for item in data["key_figures"]] == [
        ("success_rate", figures.format_percent_value(0.5)),
        ("people", figures.format_number(activity["expected"]["people"])),
    ]


def test_unknown_figures_show_nothing():
    assert figures.figure_value("typed by hand") == ""
    assert {name for name, _label in figures.choices()} >= {
        "success_rate",
        "campaigns_funded",
        "raised",
        "people",
        "matched",
    }


@pytest.mark.parametrize(
    ("typed", "label", "figure"),
    [
        ("94 %", "de campagnes réussies", "success_rate"),
        ("94٪", "من الحملات تنجح", "success_rate"),
        ("1,2 M€", "collectés depuis 2016", "raised"),
        ("€1.2M", "raised since 2016", "raised"),
        ("45", "quartiers accompagnés", "districts"),
        ("45", "حيًّا نرافقه", "districts"),
        ("320", "projets financés", "campaigns_funded"),
        ("1 200", "donateurs", "people"),
    ],
)
def test_the_migration_turns_typed_figures_into_computed_ones(typed, label, figure):
    migration = importlib.import_module("home.migrations.0003_key_figures_computed")
    operation = migration.TypedToComputedFigure()
    assert operation.apply({"value": typed, "label": label}) == {"figure": figure, "label": label}
    computed = {"figure": "people", "label": label}
    assert operation.apply(computed) == computed
