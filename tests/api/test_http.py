"""The API over HTTP: bounded queries, page size, cache headers, CORS, bad requests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from campaigns.factories import CampaignPageFactory
from donations import ledger
from home.factories import ImageFactory
from home.locales import create_language_aliases
from stories.factories import StoryPageFactory
from workshops.factories import WorkshopPageFactory

PARTNER = "https://budgetparticipatif.example"


def count_queries(client, path, params):
    client.get(path, params)  # one-time work: site root paths, renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response.json()


def add_campaigns(index, count, image):
    for number in range(count):
        page = CampaignPageFactory(parent=index, hero_image=image, hero_image_alt="Un jardin")
        ledger.record_offline(
            campaign_key=page.translation_key, amount_cents=1_000 + number, offline_method="cash"
        )


@pytest.mark.django_db
def test_campaign_listing_queries_do_not_grow_with_the_number_of_campaigns(client, campaign):
    """10 campaigns, then 100: the same number of queries for a full page of results."""
    index, image = campaign.get_parent(), ImageFactory()
    params = {"type": "campaigns.CampaignPage", "locale": "fr", "fields": "*", "limit": 50}
    add_campaigns(index, 9, image)
    few, body = count_queries(client, "/api/v2/pages/", params)
    assert body["meta"]["total_count"] == 10 and len(body["items"]) == 10

    add_campaigns(index, 90, image)
    many, body = count_queries(client, "/api/v2/pages/", params)
    assert body["meta"]["total_count"] == 100 and len(body["items"]) == 50
    assert all(item["raised_cents"] >= 1_000 for item in body["items"][1:])
    assert many == few, f"{few} queries for 10 campaigns, {many} for 100"
    assert few <= 15


@pytest.mark.django_db
def test_story_and_workshop_listings_are_bounded(client, campaign, story_index, workshop_index):
    def add(count):
        for _number in range(count):
            story = StoryPageFactory(parent=story_index, campaign=campaign)
            create_language_aliases(story)
            workshop = WorkshopPageFactory(parent=workshop_index)
            workshop.related_campaigns.add(campaign)
            workshop.save()

    for page_type in ("stories.StoryPage", "workshops.WorkshopPage"):
        counts = []
        for added in (2, 20):
            add(added)
            params = {"type": page_type, "fields": "*", "limit": 50, "locale": "ar"}
            queries, body = count_queries(client, "/api/v2/pages/", params)
            counts.append(queries)
        assert counts[0] == counts[1], (page_type, counts)


@pytest.mark.django_db
def test_generic_listing_in_every_language_is_bounded(client, campaign):
    index = campaign.get_parent()
    first, body = count_queries(client, "/api/v2/pages/", {"limit": 50})
    assert len(body["items"]) == 15  # home, listing and campaign in five languages
    for _number in range(10):
        create_language_aliases(CampaignPageFactory(parent=index))
    second, body = count_queries(client, "/api/v2/pages/", {"limit": 50})
    assert len(body["items"]) == 50
    assert second == first


@pytest.mark.django_db
def test_page_size_is_limited(client, campaign):
    response = client.get("/api/v2/pages/", {"limit": 51})
    assert response.status_code == 400
    assert "50" in response.json()["message"]
    response = client.get("/api/v2/pages/", {"limit": "beaucoup"})
    assert response.status_code == 400
    for _number in range(2):
        create_language_aliases(CampaignPageFactory(parent=campaign.get_parent()))
    assert len(client.get("/api/v2/pages/").json()["items"]) == 20  # the default


@pytest.mark.django_db
def test_responses_are_cacheable_and_errors_are_not(client, campaign):
    response = client.get(f"/api/v2/pages/{campaign.pk}/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in response
    missing = client.get("/api/v2/pages/999999/")
    assert missing.status_code == 404 and missing["Cache-Control"] == "no-store"
    assert missing.json()["message"]


@pytest.mark.django_db
def test_bad_requests_are_4xx_with_a_message(client, campaign):
    for params in ({"type": "nope.Nope"}, {"fields": "nope"}, {"order": "nope"}, {"x": "1"}):
        response = client.get("/api/v2/pages/", params)
        assert response.status_code == 400, params
        assert response.json()["message"], params
    assert client.post("/api/v2/pages/", {}).status_code == 405
    assert client.delete(f"/api/v2/pages/{campaign.pk}/").status_code == 405
    assert client.get("/api/v2/pages/abc/").status_code == 404
    response = client.get("/api/v2/pages/", {"locale": "de"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "de" in response.json()["message"] and "zh-hans" in response.json()["message"]


@pytest.mark.django_db
def test_cors_for_partner_origins_only(client, settings, campaign):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]
    response = client.get("/api/v2/pages/", HTTP_ORIGIN=PARTNER)
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Credentials" not in response

    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response

    preflight = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" not in preflight["Access-Control-Allow-Methods"]

    # The site's own pages never answer other origins
    page = client.get("/fr/", HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in page
