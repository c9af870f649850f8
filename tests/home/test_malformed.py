"""Malformed input answers 4xx with a message, never 500 (issue 10, finding 9): NUL and
control characters anywhere (PostgreSQL refuses NUL in text), ids past 64 bits, search
syntax, the API's search and offset."""

from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Page

import pytest

from campaigns.models import CampaignPage
from cocity.api import MAX_OFFSET
from workshops.models import Registration, WorkshopPage

HUGE = "99999999999999999999"


def translated(message, language="fr"):
    """``message`` as the site shows it in ``language`` (French: the default)."""
    with translation.override(language):
        return gettext(message)


CONTROL_MESSAGE = (
    "This address or form contains characters that are not allowed (control "
    "characters). Check the link or what you typed, and try again."
)


def get(client, url, **extra):
    """GET with the query string exactly as written (percent-escapes included)."""
    return client.generic("GET", url, **extra)


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/fr/search/?q=%00",
        "/fr/search/?q=jardin%00",
        "/fr/campagnes/?q=%00",
        "/fr/campagnes/?district=%00",
        "/fr/campagnes/?category=%00",
        "/fr/histoires/?campaign=%00",
        "/fr/ateliers/?district=%00",
        "/fr/campagnes/?page=%01",
        "/fr/%00/",
        "/fr/campagnes/%00/",
        "/open-data/campaigns.csv?district=%1b",
        "/embed/campaign/1/?lang=a%00",
    ],
)
def test_control_characters_in_the_address_are_a_400_with_a_message(demo_site, client, url):
    response = get(client, url)
    assert response.status_code == 400
    assert translated(CONTROL_MESSAGE) in response.content.decode()


def test_the_message_is_in_the_language_of_the_address(demo_site, client):
    response = get(client, "/ar/search/?q=%00")
    assert response.status_code == 400
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/pages/find/?html_path=/fr/campagnes/%00/",
        "/api/v2/pages/?locale=%00",
        "/api/v2/images/?search=%00",
    ],
)
def test_the_api_answers_control_characters_in_json(demo_site, client, url):
    response = get(client, url)
    assert response.status_code == 400
    assert translated(CONTROL_MESSAGE) in response.json()["message"]


def test_tabs_and_line_breaks_are_allowed_in_values(demo_site, client):
    assert get(client, "/fr/search/?q=jardin%0D%0Apartag%C3%A9%09").status_code == 200


def test_a_form_with_a_nul_byte_is_a_400(demo_site, client):
    workshop = WorkshopPage.objects.live().filter(locale__language_code="fr").first()
    fields = {"name": "Awa\x00", "email": "awa@example.org", "seats": "1", "language": "fr"}
    response = client.post(f"/fr/workshops/{workshop.pk}/register/", fields)
    assert response.status_code == 400
    assert translated(CONTROL_MESSAGE) in response.content.decode()
    assert not Registration.objects.filter(email="awa@example.org").exists()


def test_a_cookie_with_a_nul_byte_is_ignored(demo_site, client):
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    response = get(client, "/fr/space/login/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"/fr/workshops/{HUGE}/calendar.ics"),
        ("POST", f"/fr/workshops/{HUGE}/register/"),
        ("GET", f"/embed/campaign/{HUGE}/"),
        ("GET", f"/documents/{HUGE}/rapport.pdf"),
    ],
)
def test_ids_past_64_bits_are_a_404(demo_site, client, method, url):
    assert client.generic(method, url).status_code == 404


@pytest.mark.parametrize("q", ['"', '"jardin', 'jardin"', '"jardin" "', "NEAR(", "a*b -c:d ^e"])
def test_search_syntax_is_read_as_words(demo_site, client, q):
    response = client.get("/fr/search/", {"q": q})
    assert response.status_code == 200


def test_quotes_do_not_hide_results(demo_site, client):
    plain = client.get("/fr/search/", {"q": "jardin"})
    quoted = client.get("/fr/search/", {"q": '"jardin"'})
    assert plain.context["results"].paginator.count > 0
    assert quoted.context["results"].paginator.count == plain.context["results"].paginator.count


# The API's search, documented in docs/api.md


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("pages", {"locale": "fr"}),
        ("pages", {"locale": "pt"}),
        ("pages", {"type": "campaigns.CampaignPage"}),
        ("images", {}),
        ("documents", {}),
    ],
)
def test_api_search_finds_only_what_the_listing_shows(demo_site, client, endpoint, params):
    url = f"/api/v2/{endpoint}/"
    listing = client.get(url, {**params, "limit": 50})
    assert listing.json()["meta"]["total_count"] <= 50
    listed = set(ids(listing))
    for words in ["jardin", "a", '"couronnes', "e"]:
        found = ids(client.get(url, {**params, "search": words, "limit": 50}))
        assert set(found) <= listed


def test_api_search_finds_pages_in_their_language(demo_site, client):
    found = ids(client.get("/api/v2/pages/", {"search": "jardin", "locale": "fr", "limit": 50}))
    garden = CampaignPage.objects.live().get(
        slug="jardin-des-couronnes", locale__language_code="fr"
    )
    assert garden.pk in found
    assert set(
        Page.objects.filter(pk__in=found).values_list("locale__language_code", flat=True)
    ) == {"fr"}


def test_api_search_keeps_the_type_fields_and_order(demo_site, client):
    response = client.get(
        "/api/v2/pages/",
        {"search": "jardin", "type": "campaigns.CampaignPage", "fields": "*", "order": "title"},
    )
    items = response.json()["items"]
    assert items and "raised_cents" in items[0]
    titles = [item["title"] for item in items]
    assert titles == sorted(titles)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"search": "jardin", "search_operator": "xor"}, "search_operator"),
        ({"search": "jardin", "slug": "jardin-des-couronnes"}, "slug"),
        ({"search": "jardin", "order": "random"}, "random"),
        ({"offset": HUGE}, f"{MAX_OFFSET}"),
    ],
)
def test_api_bad_search_and_offset_are_a_400_with_a_message(demo_site, client, params, message):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    assert message in response.json()["message"]
