"""Reading stories: listing, filters, story page, feed, campaign pages, escaping, queries."""

import datetime
from xml.etree import ElementTree

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Workflow, WorkflowPage

import pytest
from bs4 import BeautifulSoup

from home.factories import ImageFactory
from stories.factories import StoryPageFactory
from stories.models import LeaderProfile, StoryIndexPage
from stories.workflow import REVIEWERS_GROUP, WORKFLOW_NAME

ATOM = {"a": "http://www.w3.org/2005/Atom"}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_listing_filters_by_campaign_and_district(client, story_index, campaign, district):
    StoryPageFactory(parent=story_index, title="Sur le jardin", campaign=campaign)
    StoryPageFactory(parent=story_index, title="Dans le 20e", district=district)
    StoryPageFactory(parent=story_index, title="Brouillon", campaign=campaign, live=False)

    def titles(**params):
        soup = soup_of(client.get(story_index.get_url(), params))
        return sorted(a.get_text() for a in soup.select(".story-card h2 a"))

    assert titles() == ["Dans le 20e", "Sur le jardin"]
    assert titles(campaign=campaign.slug) == ["Sur le jardin"]
    assert titles(district="75020") == ["Dans le 20e"]
    assert titles(district="nowhere", page="x") == []


@pytest.mark.django_db
def test_story_page_shows_campaign_author_and_related_stories(
    client, story_index, campaign, django_user_model
):
    leader = django_user_model.objects.create_user("awa")
    LeaderProfile.objects.create(user=leader, public_name="Awa D.", language="ar")
    story = StoryPageFactory(parent=story_index, campaign=campaign, owner=leader)
    older = StoryPageFactory(
        parent=story_index, campaign=campaign, date=datetime.date(2026, 1, 5), title="Avant"
    )
    soup = soup_of(client.get(story.get_url()))
    assert "Awa D." in soup.select_one(".page-header .card__meta").get_text()
    assert soup.select_one(f'a[href="{campaign.get_url()}"]') is not None
    assert [a.get_text() for a in soup.select(".story-card h2 a")] == [older.title]


@pytest.mark.django_db
def test_campaign_page_lists_its_published_stories(client, story_index, campaign):
    StoryPageFactory(parent=story_index, title="Le jardin a ouvert", campaign=campaign)
    StoryPageFactory(parent=story_index, title="Pas encore", campaign=campaign, live=False)
    soup = soup_of(client.get(campaign.get_url()))
    cards = [a.get_text() for a in soup.select("section.featured .card a")]
    assert cards == ["Le jardin a ouvert"]


@pytest.mark.django_db
def test_feed_lists_the_languages_stories_newest_first(client, story_index):
    StoryPageFactory(parent=story_index, title="Ancienne", date=datetime.date(2026, 1, 1))
    StoryPageFactory(parent=story_index, title="Récente", date=datetime.date(2026, 6, 1))
    response = client.get("/fr/stories/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext("a:title", namespaces=ATOM) for entry in feed.findall("a:entry", ATOM)]
    assert titles == ["Récente", "Ancienne"]
    assert client.get("/fr/stories/feed/").status_code == 200


@pytest.mark.django_db
def test_payloads_in_title_text_and_alt_text_are_escaped_everywhere(client, story_index, campaign):
    image = ImageFactory()
    StoryPageFactory(
        parent=story_index,
        title=f"Titre {XSS}",
        introduction=f"Texte {XSS}",
        campaign=campaign,
        hero_image=image,
        hero_image_alt='alt" onmouseover="alert(2)',
        body=[
            ("paragraph", f"<p>{'&lt;script&gt;'}</p>"),
            (
                "gallery",
                {
                    "heading": XSS,
                    # another photo than the hero: the gallery leaves the hero out
                    "images": [
                        {"image": ImageFactory(), "alt_text": '" onload="alert(3)', "caption": XSS}
                    ],
                },
            ),
        ],
        slug="xss",
    )
    pages = [story_index.get_url(), "/fr/", campaign.get_url(), story_index.get_url() + "xss/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.select("[onerror], [onload], [onmouseover]"), url
    # the gallery is drawn, its heading and caption shown as text
    story = BeautifulSoup(client.get(story_index.get_url() + "xss/").content, "html.parser")
    assert [c.get_text() for c in story.select("figcaption")] == [XSS]
    assert any(h.get_text() == XSS for h in story.select("h2"))
    feed = client.get("/fr/stories/feed/").content.decode()
    assert "<script>" not in feed and "&lt;script&gt;" in feed


@pytest.mark.django_db
def test_listing_queries_do_not_grow_with_stories(
    client, story_index, campaign, district, monkeypatch
):
    monkeypatch.setattr(StoryIndexPage, "per_page", 50)

    def add(count):
        for _ in range(count):
            StoryPageFactory(
                parent=story_index, campaign=campaign, district=district, hero_image=ImageFactory()
            )

    def queries():
        client.get(story_index.get_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(story_index.get_url()).status_code == 200
        return len(captured)

    add(5)
    five = queries()
    add(45)
    assert queries() == five
    assert (
        len(
            BeautifulSoup(client.get(story_index.get_url()).content, "html.parser").select(
                ".story-card"
            )
        )
        == 50
    )


@pytest.mark.django_db
def test_story_listings_go_through_the_review_workflow(story_index):
    story_index.save_revision().publish()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page=story_index).workflow == workflow
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [REVIEWERS_GROUP]
