"""The campaign page's funding panel (issue 14, giving first): right under the title, the
amount raised, the goal, the percentage, the bar, the all-or-nothing threshold explained,
people and days left, the leaders' public names isolated in <bdi>, one give button; the
result instead once the campaign has closed (no button, no sticky bar). Cards carry the bar
and the percentage without a query of their own."""

import datetime
import re
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from campaigns import closing as closings
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.funding import days_left, format_percent, percent_of
from campaigns.models import CampaignIndexPage, CampaignStatus, FundingRule
from donations import ledger
from helpers.money import format_money
from home.locales import create_language_aliases
from stories.models import LeaderProfile

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AON = FundingRule.ALL_OR_NOTHING


@pytest.fixture
def index(home_page):
    page = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(page)
    return page


def campaign_in(index, **fields):
    page = CampaignPageFactory(parent=index, **fields)
    create_language_aliases(page)
    return page


def pay(campaign, euros):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=euros * 100, provider="demo"
    )
    paid_at = min(timezone.now(), campaign.closes_at - DAY / 24)
    ledger.transition(donation.pk, ledger.PAID, paid_at=paid_at)
    return donation


def leader(username, public_name=None):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    if public_name is not None:
        LeaderProfile.objects.create(user=user, public_name=public_name)
    return user


def page_soup(client, campaign, language):
    page = campaign.get_translation(Locale.objects.get(language_code=language))
    with translation.override(language):
        response = client.get(page.get_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    return element.get_text(" ", strip=True)


@pytest.fixture
def garden(index):
    """Live, all or nothing: 2 450 € of 3 000 € (81.7 %), closes in 10 days and a bit
    (calendar days in Paris), led by two people with a public name and one without."""
    closes = (timezone.localtime(NOW, PARIS) + 10 * DAY).replace(hour=20, minute=0)
    campaign = campaign_in(
        index, goal_cents=300_000, funding_rule=AON, closes_at=closes, title="Jardin partagé"
    )
    pay(campaign, 2000)
    pay(campaign, 450)
    campaign.leaders.add(leader("awa", "Awa D."), leader("nadia", "نادية"), leader("nameless"))
    campaign.save_revision().publish()
    return campaign


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_panel_comes_right_under_the_title_with_every_figure(client, garden, language):
    soup = page_soup(client, garden, language)
    html = str(soup.select_one("article.campaign"))
    panel = soup.select_one(".funding-panel")
    assert panel is not None
    # right under the title, before the summary and the story
    assert html.index("<h1") < html.index('class="funding-panel') < html.index('class="stream"')
    assert html.index('class="funding-panel') < html.index("campaign__summary")

    with translation.override(language):
        figures = panel.select_one(".progress__figures")
        assert text(figures.select_one(".progress__figures > strong")) == format_money(245_000)
        assert text(figures.select_one(".progress__goal")) == gettext("raised of %(goal)s") % {
            "goal": format_money(300_000)
        }
        assert text(figures.select_one(".progress__percent")) == format_percent(82)
        people = ngettext("%(counter)s person gave", "%(counter)s people gave", 2)
        assert people % {"counter": 2} in text(figures)
        days = ngettext("%(counter)s day left", "%(counter)s days left", 10)
        assert days % {"counter": 10} in text(figures)
        bar = figures.select_one("progress")
        assert (bar["value"], bar["max"]) == ("81", "100")  # 81.7 %: the bar's whole part
        assert bar["aria-valuetext"] == format_percent(82) and bar["aria-label"]

        rule = text(panel.select_one(".funding-panel__rule"))
        expected = gettext(
            "All or nothing: funded from %(percent)s (%(amount)s), else every gift is refunded."
        ) % {"percent": format_percent(80), "amount": format_money(240_000)}
        assert rule == expected
    # the threshold's tick on the bar, mirrored in Arabic
    tick = panel.select_one(".progress__threshold line")
    assert tick["x1"] == ("20" if language == "ar" else "80")

    # the leaders' public names, each isolated; an account without one is not shown
    names = [bdi.get_text() for bdi in panel.select(".funding-leaders bdi")]
    assert names == ["Awa D.", "نادية"]
    assert "nameless" not in html

    # one give button, to the donation form in the reader's language
    links = panel.select("a[href*='/donate/']")
    assert len(links) == 1 and "button--give" in links[0]["class"]
    assert links[0]["href"] == f"/{language}/donate/{garden.translation_key}/"
    # and the sticky bar at the end of the story, to the same form
    bar = soup.select_one(".campaign__story > .give-bar")
    assert bar is not None
    assert bar.select_one("a")["href"] == links[0]["href"]


@pytest.mark.django_db
def test_a_keep_it_all_campaign_has_no_threshold_to_explain(client, index):
    campaign = campaign_in(index, goal_cents=100_000)
    pay(campaign, 1_250)  # 125 %: the percentage goes past 100, the bar is full
    soup = page_soup(client, campaign, "fr")
    panel = soup.select_one(".funding-panel")
    with translation.override("fr"):
        assert text(panel.select_one(".progress__percent")) == format_percent(125)
    assert panel.select_one("progress")["value"] == "100"
    assert panel.select_one(".funding-panel__rule") is None
    assert panel.select_one(".progress__threshold") is None
    assert panel.select_one(".funding-leaders") is None  # no leader yet


@pytest.mark.django_db
def test_the_last_day_says_closes_today(client, index):
    closes = timezone.localtime(NOW, PARIS).replace(hour=23, minute=59, second=59)
    if closes - NOW < datetime.timedelta(minutes=5):  # run right before midnight
        closes += DAY
    campaign = campaign_in(index, closes_at=closes, opens_at=NOW - 3 * DAY)
    soup = page_soup(client, campaign, "fr")
    with translation.override("fr"):
        assert gettext("Closes today") in text(soup.select_one(".funding-panel .progress__facts"))


def test_days_left_counts_calendar_days_in_paris():
    now = datetime.datetime(2026, 12, 7, 22, 30, tzinfo=PARIS)
    at = lambda *args: datetime.datetime(*args, tzinfo=PARIS)  # noqa: E731
    assert days_left(at(2026, 12, 7, 23, 0), now) == 0  # this evening
    assert days_left(at(2026, 12, 8, 0, 0), now) == 0  # midnight: last open today
    assert days_left(at(2026, 12, 8, 9, 0), now) == 1  # tomorrow morning
    assert days_left(at(2026, 12, 17, 18, 0), now) == 10
    assert days_left(at(2026, 12, 7, 22, 30), now) is None  # closed


def test_the_percentage_is_rounded_and_may_pass_100():
    assert percent_of(245_000, 300_000) == 82  # 81.67
    assert percent_of(100_500, 300_000) == 34  # 33.5, half up
    assert percent_of(360_000, 300_000) == 120
    assert percent_of(0, 300_000) == 0
    assert percent_of(5_000, 0) == 0
    assert format_percent(82, "fr") == "82\u00a0%"
    assert format_percent(82, "en") == "82%"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_closed_campaign_shows_its_result_and_no_give_button(client, index, language):
    failed = campaign_in(
        index, opens_at=NOW - 40 * DAY, closes_at=NOW - DAY, funding_rule=AON, goal_cents=100_000
    )
    pay(failed, 300)
    succeeded = campaign_in(
        index, opens_at=NOW - 40 * DAY, closes_at=NOW - 2 * DAY, goal_cents=50_000
    )
    pay(succeeded, 600)
    closings.close_due_campaigns()

    for campaign, status in ((failed, CampaignStatus.FAILED), (succeeded, "succeeded")):
        soup = page_soup(client, campaign, language)
        panel = soup.select_one(".funding-panel")
        assert "funding-panel--result" in panel["class"], status
        assert f"funding-panel--{status}" in panel["class"]
        with translation.override(language):
            assert text(panel.select_one(".funding-result__title")) == str(
                CampaignStatus(status).label
            )
            assert gettext("Closed on %(date)s").split("%")[0].strip() in text(
                panel.select_one(".funding-result__date")
            )
        # what happened to the money, inside the panel
        assert panel.select_one(".closing-notice") is not None
        assert panel.select_one(".notice[role=note]") is not None
        # nothing to give to: no give button, no sticky bar, no link to the form
        assert soup.select_one("main a[href*='/donate/']") is None
        assert soup.select_one(".give-bar") is None
        assert panel.select_one(".funding-panel__give") is None


@pytest.mark.django_db
def test_an_upcoming_campaign_says_when_it_opens_without_a_button(client, index):
    campaign = campaign_in(index, opens_at=NOW + 3 * DAY, closes_at=NOW + 30 * DAY)
    soup = page_soup(client, campaign, "fr")
    panel = soup.select_one(".funding-panel")
    assert "funding-panel--upcoming" in panel["class"]
    assert panel.select_one(".notice[role=note]") is not None
    assert soup.select_one("main a[href*='/donate/']") is None
    assert soup.select_one(".give-bar") is None


def queries_to_render(client, url):
    client.get(url)  # renditions and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_cards_carry_the_bar_and_percentage_without_a_query_each(client, index, monkeypatch):
    monkeypatch.setattr(CampaignIndexPage, "per_page", 50)
    awa = leader("awa", "Awa D.")

    def add(count):
        for n in range(count):
            live = campaign_in(index, funding_rule=AON, goal_cents=100_000)
            pay(live, 10 + n)
            live.leaders.add(awa)
            live.save_revision().publish()
            ended = campaign_in(
                index, opens_at=NOW - 40 * DAY, closes_at=NOW - DAY, funding_rule=AON
            )
            pay(ended, 5)
        closings.close_due_campaigns()

    add(2)
    few, _ = queries_to_render(client, index.get_url())
    add(10)
    many, response = queries_to_render(client, index.get_url())
    assert few == many, (few, many)
    cards = BeautifulSoup(response.content, "html.parser").select(".campaign-card")
    assert len(cards) == 24
    for card in cards:
        assert card.select_one(".progress progress") is not None
        assert re.fullmatch(r"\d+\u00a0%", text(card.select_one(".progress__percent")))
        assert card.select_one(".progress__figures > strong").get_text().endswith("€")
        assert card.select_one(".status") is not None
    print(f"listing: {few} queries for 4 campaigns, {many} for 24")


@pytest.mark.django_db
def test_the_panel_costs_one_query_for_any_number_of_leaders(client, garden):
    one, _ = queries_to_render(client, garden.get_url())
    for n in range(5):
        garden.leaders.add(leader(f"leader{n}", f"Leader {n}"))
    garden.save_revision().publish()
    six, response = queries_to_render(client, garden.get_url())
    assert one == six, (one, six)
    assert len(BeautifulSoup(response.content, "html.parser").select(".funding-leaders li")) == 7
    print(f"campaign page: {six} queries")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_home_page_cards_carry_the_bar_and_percentage_in_fixed_queries(
    client, home_page, index, lang
):
    """The home page's "campaigns to support" cards show what the listing's cards show — the
    amount, the percentage and the bar — from the same annotated query."""
    gardens = [campaign_in(index, title=f"Jardin {n}", goal_cents=100_000) for n in range(2)]
    pay(gardens[0], 250)
    url = home_page.localized.url if lang == "fr" else f"/{lang}/"

    def cards():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        soup = BeautifulSoup(response.content, "html.parser")
        return soup.select("#featured-campaigns ~ .card-list .card")

    cards()  # the first request fills the site's caches
    with CaptureQueriesContext(connection) as two:
        found = cards()
    assert len(found) == 2
    with translation.override(lang):
        expected = {format_percent(25, lang), format_percent(0, lang)}
    assert {card.select_one(".progress__percent").get_text(strip=True) for card in found} == (
        expected
    )
    assert all(card.select_one("progress[max='100']") is not None for card in found)
    campaign_in(index, title="Jardin 3", goal_cents=100_000)
    with CaptureQueriesContext(connection) as three:
        assert len(cards()) == 3
    assert len(three) == len(two)
