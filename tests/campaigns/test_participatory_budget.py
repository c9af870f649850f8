"""Campaigns (and stories) that are also Paris Participatory Budget projects
(home/participatory_budget.py): the fields and their rules, the note on the page in French and
Arabic, the listing's filters by edition and stage, the API and open data, the demo."""

import csv
import io

from django.core.exceptions import ValidationError

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from campaigns.factories import CampaignPageFactory, ParticipatoryBudgetPageFactory
from campaigns.models import CampaignPage
from cocity import page_cache
from helpers.cache_tags import TOTALS
from home.locales import create_language_aliases
from home.participatory_budget import ParticipatoryBudgetStage

pytestmark = pytest.mark.django_db


def page_of(campaign, language):
    return Page.objects.get(
        translation_key=campaign.translation_key, locale__language_code=language
    )


@pytest.fixture
def projects(campaign):
    """``campaign`` (2025, on the ballot, with its page on the city's site), a 2024 project
    being built, and a campaign that is no project."""
    CampaignPage.objects.filter(translation_key=campaign.translation_key).update(
        pb_edition=2025,
        pb_stage=ParticipatoryBudgetStage.BALLOT,
        pb_project_number="4213",
        pb_url="https://decider.paris.fr/bp/jsp/site/Portal.jsp?document_id=4213&portlet_id=158",
    )
    index = campaign.get_parent()
    built = CampaignPageFactory(
        parent=index, title="Bancs de la place", pb_edition=2024, pb_stage="building"
    )
    create_language_aliases(built)
    plain = CampaignPageFactory(parent=index, title="Atelier vélo")
    create_language_aliases(plain)
    return campaign, built, plain


def test_an_edition_needs_its_stage_and_the_rest_needs_an_edition(campaign):
    campaign.pb_edition = 2025
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "pb_stage" in error.value.message_dict
    campaign.pb_edition, campaign.pb_stage = None, ParticipatoryBudgetStage.VOTED
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "pb_edition" in error.value.message_dict
    campaign.pb_edition = 2013  # before the first edition
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "pb_edition" in error.value.message_dict
    campaign.pb_edition = 2025
    campaign.full_clean()  # both: valid


@pytest.mark.parametrize(
    ("language", "edition", "stage", "link"),
    [
        ("fr", "Budget participatif de Paris 2025", "Soumis au vote", "Projet n° 4213"),
        ("ar", "الميزانية التشاركية لباريس 2025", "مطروح للتصويت", "المشروع رقم 4213"),
    ],
)
def test_the_campaign_page_says_it_is_a_project_in_the_reader_s_language(
    client, projects, language, edition, stage, link
):
    campaign, _built, plain = projects
    html = client.get(page_of(campaign, language).url).content.decode()
    note = BeautifulSoup(html, "html.parser").select_one(".pb-note")
    assert note is not None
    assert edition in note.get_text(" ", strip=True)
    assert note.select_one(".pb-note__stage").get_text(strip=True) == stage
    anchor = note.select_one("a.pb-note__link")
    assert anchor["href"].startswith("https://decider.paris.fr/") and link in anchor.get_text()
    assert "external" in anchor["rel"]
    assert ".pb-note" not in client.get(page_of(plain, language).url).content.decode()
    assert 'class="pb-note"' not in client.get(page_of(plain, language).url).content.decode()


def test_the_listing_filters_projects_by_edition_and_stage(client, projects):
    campaign, built, plain = projects
    listing = page_of(campaign, "fr").get_parent().url

    def titles(query=""):
        soup = BeautifulSoup(client.get(listing + query).content, "html.parser")
        return sorted(a.get_text(strip=True) for a in soup.select(".card__title a"))

    everything = titles()
    assert plain.title in everything and len(everything) == 3
    soup = BeautifulSoup(client.get(listing).content, "html.parser")
    editions = [option["value"] for option in soup.select("#filter-pb option")]
    assert editions == ["", "2025", "2024"]  # newest first, after "All"
    assert len(soup.select("#filter-pb_stage option")) == len(ParticipatoryBudgetStage) + 1
    assert titles("?pb=2025") == [campaign.title]
    assert titles("?pb_stage=building") == [built.title]
    assert titles("?pb=2025&pb_stage=building") == []
    # an unknown edition or stage is ignored, never a server error
    for query in ("?pb=1999", "?pb=abc", "?pb_stage=%3Cscript%3E"):
        response = client.get(listing + query)
        assert response.status_code == 200
        assert titles(query) == everything


def test_a_listing_without_projects_shows_no_such_filter(client, campaign):
    html = client.get(page_of(campaign, "fr").get_parent().url).content.decode()
    assert 'id="filter-district"' in html  # the other filters are there
    assert 'id="filter-pb"' not in html and 'id="filter-pb_stage"' not in html


def test_the_api_and_open_data_carry_the_same_fields(client, projects):
    campaign, _built, plain = projects
    found = client.get(
        "/api/v2/pages/",
        {"type": "campaigns.CampaignPage", "fields": "participatory_budget", "locale": "ar"},
    ).json()["items"]
    by_title = {item["title"]: item["participatory_budget"] for item in found}
    assert by_title[campaign.title] == {
        "edition": 2025,
        "stage": "ballot",
        "project_number": "4213",
        "url": "https://decider.paris.fr/bp/jsp/site/Portal.jsp?document_id=4213&portlet_id=158",
    }
    assert by_title[plain.title] is None

    content = client.get("/open-data/campaigns.csv").content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(content))}
    row = rows[str(campaign.translation_key)]
    assert (row["pb_edition"], row["pb_stage"], row["pb_project_number"]) == (
        "2025",
        "ballot",
        "4213",
    )
    assert rows[str(plain.translation_key)]["pb_edition"] == ""
    fields = client.get("/open-data/campaigns.json").json()["fields"]
    assert {"pb_edition", "pb_stage", "pb_project_number", "pb_url"} <= set(fields)


def test_the_demo_has_two_projects_at_different_stages(demo_site):
    projects = CampaignPage.objects.filter(
        locale__language_code="fr", alias_of__isnull=True, pb_edition__isnull=False
    )
    assert projects.count() == 2
    assert len({project.pb_stage for project in projects}) == 2


@pytest.fixture
def projects_page(home_page):
    page = ParticipatoryBudgetPageFactory(parent=home_page)
    create_language_aliases(page)
    return page


def test_the_projects_page_lists_them_by_edition_then_stage(client, projects, projects_page):
    campaign, built, plain = projects
    index = campaign.get_parent()
    voted = CampaignPageFactory(parent=index, title="Fontaine", pb_edition=2025, pb_stage="voted")
    create_language_aliases(voted)
    soup = BeautifulSoup(client.get(projects_page.url).content, "html.parser")
    sections = soup.select("main section")
    assert [section.h2.get_text(strip=True) for section in sections] == [
        "Budget participatif de Paris 2025",
        "Budget participatif de Paris 2024",
    ]
    # within an edition, by stage: on the ballot before voted
    assert [a.get_text(strip=True) for a in sections[0].select("h3.card__title a")] == [
        campaign.title,
        "Fontaine",
    ]
    assert [a.get_text(strip=True) for a in sections[1].select("h3.card__title a")] == [built.title]
    assert plain.title not in soup.get_text()
    assert "Budget participatif 2024 : En cours de réalisation" in sections[1].get_text(" ")

    arabic = Page.objects.get(
        translation_key=projects_page.translation_key, locale__language_code="ar"
    )
    html = client.get(arabic.url).content.decode()
    assert 'dir="rtl"' in html and "الميزانية التشاركية لباريس 2025" in html


def test_a_projects_page_without_projects_says_so(client, campaign, projects_page):
    soup = BeautifulSoup(client.get(projects_page.url).content, "html.parser")
    assert soup.select("main section") == []
    assert (
        "Pas encore de projet au budget participatif" in soup.select_one(".empty-state").get_text()
    )


def test_a_gift_or_a_stage_changed_purges_the_cached_projects_page(projects, projects_page):
    """The page is kept under the totals' tag (cocity/page_cache.py), which a gift and any
    change of a campaign purge."""
    campaign, _built, _plain = projects
    assert TOTALS in page_cache._page_type_tags(projects_page.specific)
    assert TOTALS in page_cache.page_change_tags(campaign)
    assert TOTALS in page_cache.ledger_tags(campaign.translation_key)
