"""Open data: the campaigns as CSV and JSON, the statistics; ledger totals, no personal data,
published campaigns only, spreadsheet-safe cells, bounded queries."""

import csv
import datetime
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Locale, PageViewRestriction

import pytest

from campaigns.closing import close_due_campaigns
from campaigns.factories import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CategoryFactory,
    DistrictFactory,
)
from campaigns.models import FundingRule
from donations import ledger
from donations.models import Donation
from home.locales import create_language_aliases

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
GROUP_KEYS = ["campaigns", "raised_eur", "donors", "ended", "succeeded", "success_rate"]
URLS = ["/open-data/campaigns.csv", "/open-data/campaigns.json", "/open-data/stats.json"]
DONOR_NAME = "Zéphyrine Quatremains"
DONOR_EMAIL = "zephyrine.quatremains@example.org"
DONOR_MESSAGE = "Un message très personnel"
LEADER_NAME = "Barthélémy Porte-Parole"
LEADER_EMAIL = "barthelemy.leader@example.org"


def pay(campaign, euros, **fields):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=euros * 100, provider="demo", **fields
    )
    # paid while the campaign was open: a gift paid after closing is not in its result
    ledger.transition(donation.pk, ledger.PAID, paid_at=campaign.closes_at - DAY / 24)
    return donation


def csv_rows(client):
    response = client.get("/open-data/campaigns.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def euros(cents):
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


@pytest.fixture
def index(home_page):
    page = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(page)
    return page


@pytest.fixture
def french():
    return Locale.objects.get(language_code="fr")


@pytest.fixture
def campaigns(index, french, django_user_model):
    """A live, a succeeded and a failed campaign, plus a draft, an unpublished and a private
    one; gifts with a donor's name, email and message; a leader with a name and email."""
    district = DistrictFactory(locale=french, code="75020", name="Paris 20e")
    category = CategoryFactory(locale=french, code="nature", name="Nature en ville")
    leader = django_user_model.objects.create_user(
        "leader", LEADER_EMAIL, "pw", first_name=LEADER_NAME.split()[0], last_name="Porte-Parole"
    )
    live = CampaignPageFactory(
        parent=index, title="Jardin vivant", district=district, category=category
    )
    live.leaders.add(leader)
    live.save_revision().publish()
    succeeded = CampaignPageFactory(
        parent=index,
        title="Bibliothèque réussie",
        district=district,
        opens_at=NOW - 40 * DAY,
        closes_at=NOW - DAY,
        goal_cents=100_000,
    )
    failed = CampaignPageFactory(
        parent=index,
        title="Cuisine non financée",
        opens_at=NOW - 41 * DAY,
        closes_at=NOW - 2 * DAY,
        funding_rule=FundingRule.ALL_OR_NOTHING,
    )
    draft = CampaignPageFactory(parent=index, title="Brouillon secret", live=False)
    unpublished = CampaignPageFactory(parent=index, title="Campagne retirée")
    private = CampaignPageFactory(parent=index, title="Campagne privée")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for page in (live, succeeded, failed, draft, unpublished, private):
        create_language_aliases(page)

    def gift(person):  # three people (donor counts count people), each with personal data
        email = f"{person}.{DONOR_EMAIL}"
        return {"donor_name": DONOR_NAME, "donor_email": email, "message": DONOR_MESSAGE}

    pay(live, 40, **gift(1))
    refunded = pay(live, 25, **gift(2))
    ledger.transition(refunded.pk, ledger.PAID, refunded_cents=1000)  # 10 € refunded
    ledger.record_offline(
        campaign_key=live.translation_key, amount_cents=30_050, offline_method="cash", **gift(3)
    )
    pay(succeeded, 850, **gift(1))
    pay(failed, 100, **gift(1))
    pay(draft, 10, **gift(1))
    pay(unpublished, 10, **gift(1))
    pay(private, 10, **gift(1))
    unpublished.unpublish()
    close_due_campaigns()  # the succeeded and failed campaigns' results are stored
    return {"live": live, "succeeded": succeeded, "failed": failed}


@pytest.mark.django_db
def test_csv_parses_and_every_figure_is_the_ledgers(client, campaigns):
    rows = csv_rows(client)
    assert [row["title_fr"] for row in rows] == [
        "Cuisine non financée",
        "Bibliothèque réussie",
        "Jardin vivant",
    ]
    for row in rows:
        raised, donors = ledger.tally(row["id"])
        assert Decimal(row["raised_eur"]) == euros(raised)
        assert int(row["donors"]) == donors
    live = next(row for row in rows if row["title_fr"] == "Jardin vivant")
    assert live["raised_eur"] == "355.50"  # 40 + 25 - 10 refunded + 300.50 in cash
    assert live["donors"] == "3"
    assert live["goal_eur"] == "1000.00" and live["threshold_eur"] == "800.00"
    assert live["status"] == "live"
    assert (live["district_code"], live["district_name"]) == ("75020", "Paris 20e")
    assert (live["category_code"], live["category_name"]) == ("nature", "Nature en ville")
    assert live["id"] == str(campaigns["live"].translation_key)
    assert live["url"] == "http://testserver" + campaigns["live"].get_url()
    opens_at = datetime.datetime.fromisoformat(live["opens_at"])
    assert opens_at.utcoffset() is not None
    assert abs(opens_at - campaigns["live"].opens_at) < datetime.timedelta(seconds=1)
    statuses = {row["title_fr"]: row["status"] for row in rows}
    assert statuses["Bibliothèque réussie"] == "succeeded"
    assert statuses["Cuisine non financée"] == "failed"

    # The sums over the rows are the ledger's, counted straight from the donations.
    keys = [row["id"] for row in rows]
    counted = Donation.objects.filter(campaign_key__in=keys, status="paid")
    assert sum(Decimal(row["raised_eur"]) for row in rows) == euros(
        sum(d.amount_cents - d.refunded_cents for d in counted)
    )
    assert sum(int(row["donors"]) for row in rows) == counted.count()


@pytest.mark.django_db
def test_json_has_the_same_rows_with_licence_definitions_and_page_ids(client, campaigns):
    response = client.get("/open-data/campaigns.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["licence"]["spdx"] == "etalab-2.0"
    assert "Licence Ouverte" in data["licence"]["name"]
    datetime.datetime.fromisoformat(data["generated_at"])
    rows = data["campaigns"]
    expected = csv_rows(client)
    assert [{k: str(v) for k, v in row.items() if k != "page_ids"} for row in rows] == expected
    assert set(data["fields"]) == set(expected[0]) | {"page_ids"}
    assert all(field["description"] for field in data["fields"].values())
    live = campaigns["live"]
    ids = next(row for row in rows if row["id"] == str(live.translation_key))["page_ids"]
    assert ids["fr"] == live.pk
    assert set(ids) == {"fr", "en", "ar", "pt", "zh-hans"}
    assert ids["ar"] == live.get_translation(Locale.objects.get(language_code="ar")).pk


@pytest.mark.django_db
def test_titles_in_each_language_only_when_translated(client, index, french):
    campaign = CampaignPageFactory(parent=index, title="Fête de la rue")
    for code, title in [("en", "Street party"), ("ar", "احتفال الشارع")]:
        translation = campaign.copy_for_translation(Locale.objects.get(language_code=code))
        translation.title = title
        translation.save_revision().publish()
    draft_pt = campaign.copy_for_translation(Locale.objects.get(language_code="pt"))
    draft_pt.title = "Festa (rascunho)"
    draft_pt.save_revision()  # never published: not a live translation
    aliased = CampaignPageFactory(parent=index, title="Seulement en français")
    create_language_aliases(aliased)

    rows = {row["title_fr"]: row for row in csv_rows(client)}
    party = rows["Fête de la rue"]
    assert (party["title_en"], party["title_ar"], party["title_pt"]) == (
        "Street party",
        "احتفال الشارع",
        "",
    )
    assert party["title_zh_hans"] == ""
    # An untranslated copy (alias) shows the French text: it is no translation.
    only_french = rows["Seulement en français"]
    assert [only_french[f"title_{code}"] for code in ("en", "ar", "pt", "zh_hans")] == [""] * 4
    assert len(rows) == 2


@pytest.mark.django_db
def test_no_personal_data_and_no_unpublished_campaign_anywhere(client, campaigns):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        for secret in [
            DONOR_NAME,
            DONOR_EMAIL,
            DONOR_MESSAGE,
            LEADER_NAME.split()[0],
            LEADER_EMAIL,
            "Brouillon secret",
            "Campagne retirée",
            "Campagne privée",
        ]:
            assert secret not in body, f"{secret!r} found in {url}"
        assert "@" not in body, f"an email address in {url}?"
        assert "Jardin vivant" in body or url.endswith("stats.json")


@pytest.mark.django_db
def test_stats_count_totals_and_success_rate_by_district_and_year(client, campaigns):
    data = client.get("/open-data/stats.json").json()
    assert data["licence"]["spdx"] == "etalab-2.0"
    tallies = {name: ledger.tally(page.translation_key) for name, page in campaigns.items()}
    total_cents = sum(raised for raised, _donors in tallies.values())
    overall = {key: data["overall"][key] for key in GROUP_KEYS}
    assert overall == {
        "campaigns": 3,
        "raised_eur": str(euros(total_cents)),
        "donors": sum(donors for _raised, donors in tallies.values()),
        "ended": 2,
        "succeeded": 1,
        "success_rate": 0.5,
    }
    by_district = {group["district_code"]: group for group in data["by_district"]}
    assert set(by_district) == {"75020", ""}
    paris20 = by_district["75020"]
    assert paris20["district_name"] == "Paris 20e"
    assert (paris20["campaigns"], paris20["ended"], paris20["succeeded"]) == (2, 1, 1)
    assert paris20["success_rate"] == 1.0
    assert paris20["raised_eur"] == str(euros(tallies["live"][0] + tallies["succeeded"][0]))
    nowhere = by_district[""]
    assert (nowhere["campaigns"], nowhere["ended"], nowhere["succeeded"]) == (1, 1, 0)
    assert nowhere["success_rate"] == 0.0

    years = {}
    for name, page in campaigns.items():
        year = timezone.localtime(page.closes_at).year
        years.setdefault(year, []).append(name)
    by_year = {group["year"]: group for group in data["by_year"]}
    assert set(by_year) == set(years)
    for year, names in years.items():
        assert by_year[year]["campaigns"] == len(names)
        ended = [name for name in names if name != "live"]
        assert by_year[year]["ended"] == len(ended)
        assert by_year[year]["success_rate"] == (
            round(ended.count("succeeded") / len(ended), 4) if ended else None
        )


@pytest.mark.django_db
def test_no_campaign_ended_gives_no_success_rate(client, index):
    CampaignPageFactory(parent=index)
    data = client.get("/open-data/stats.json").json()
    assert data["overall"]["ended"] == 0
    assert data["overall"]["success_rate"] is None


@pytest.mark.django_db
def test_formula_looking_titles_are_escaped_in_the_csv_only(client, index):
    title = '=HYPERLINK("http://evil.example","Cliquez")'
    CampaignPageFactory(parent=index, title=title)
    (row,) = csv_rows(client)
    assert row["title_fr"] == "'" + title
    (item,) = client.get("/open-data/campaigns.json").json()["campaigns"]
    assert item["title_fr"] == title


@pytest.mark.django_db
def test_headers_methods_and_cache(client, campaigns, settings):
    csv_response = client.get("/open-data/campaigns.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'inline; filename="cocity-campaigns.csv"'
    for url in URLS:
        response = client.get(url)
        assert response["Cache-Control"] == f"public, max-age={settings.API_CACHE_SECONDS}"
        assert not response.cookies
        head = client.head(url)
        assert head.status_code == 200 and head.content == b""
        for method in ("post", "put", "delete", "patch"):
            assert getattr(client, method)(url).status_code == 405, (method, url)


@pytest.mark.django_db
def test_queries_do_not_grow_with_campaigns(client, index, french):
    district = DistrictFactory(locale=french)
    category = CategoryFactory(locale=french)

    def add(count):
        for _ in range(count):
            campaign = CampaignPageFactory(parent=index, district=district, category=category)
            create_language_aliases(campaign)
            pay(campaign, 5)

    def queries(url):
        client.get(url)  # site root paths and other caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    add(2)
    few = {url: queries(url) for url in URLS}
    add(10)
    many = {url: queries(url) for url in URLS}
    assert few == many
    assert max(many.values()) <= 6, many
    assert len(csv_rows(client)) == 12
