"""The page cache for anonymous visitors and compressed HTML (cocity/page_cache.py)."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import pytest

from campaigns.models import CampaignIndexPage, CampaignPage
from cocity.page_cache import PageCacheMiddleware
from donations import ledger
from helpers.money import format_money
from home.models import Footer
from tests.redis_keys import clear_prefix, own_prefix
from workshops.models import WorkshopPage

CAMPAIGN = "/fr/campagnes/jardin-des-couronnes/"
PAGES = [
    "/fr/",
    "/ar/",
    CAMPAIGN,
    "/fr/campagnes/",
    "/fr/histoires/",
    "/fr/histoires/le-jardin-a-ouvert/",
    "/fr/ateliers/",
    "/fr/impact/",
    "/fr/search/?q=jardin",
    "/api/v2/pages/",
    "/open-data/campaigns.json",
    "/fr/no-such-page/",
]


@pytest.fixture
def page_cache(settings):
    """The page cache on (the suite runs without it, cocity/settings/test.py)."""
    settings.PAGE_CACHE_SECONDS = 300
    return settings


def cached_get(client, url, **headers):
    """GET ``url`` twice; return the second answer and the queries it ran."""
    first = client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, **headers)
    return first, second, queries


def pay(page, cents, name, email):
    """A gift to ``page``'s campaign through the ledger, paid (as the webhook records it)."""
    donation = ledger.create_pending(
        campaign_key=page.translation_key,
        amount_cents=cents,
        donor_name=name,
        donor_email=email,
        display="name",
        message="",
        language="fr",
        provider="demo",
    )
    ledger.transition(donation.pk, ledger.PAID, payment_id=f"demo-{donation.uuid}")
    return donation


def campaign_page(demo_site):
    return CampaignPage.objects.get(
        url_path__endswith="/jardin-des-couronnes/", locale__language_code="fr"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_second_anonymous_request_is_served_from_the_cache(client, demo_site, page_cache, url):
    first, second, queries = cached_get(client, url)
    assert first["X-Page-Cache"] == "miss", url
    assert second["X-Page-Cache"] == "hit", url
    assert len(queries) == 0, [query["sql"] for query in queries]
    assert second.status_code == first.status_code
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
def test_the_cache_is_keyed_on_the_query_and_the_host(client, demo_site, page_cache):
    client.get("/fr/search/?q=jardin")
    assert client.get("/fr/search/?q=atelier")["X-Page-Cache"] == "miss"
    assert client.get("/fr/search/?q=jardin", HTTP_HOST="other.example")["X-Page-Cache"] == "miss"
    assert client.get("/fr/search/?q=jardin")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_without_the_setting_nothing_is_cached(client, demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _first, second, queries = cached_get(client, CAMPAIGN)
    assert "X-Page-Cache" not in second
    assert len(queries) > 0


@pytest.mark.django_db
def test_a_signed_in_user_never_gets_nor_fills_the_cache(client, demo_site, page_cache):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    _first, second, queries = cached_get(client, CAMPAIGN)
    assert "X-Page-Cache" not in second and len(queries) > 0
    client.logout()
    client.cookies.pop(django_settings.SESSION_COOKIE_NAME, None)
    assert client.get(CAMPAIGN)["X-Page-Cache"] == "miss"  # the editor's visits stored nothing
    # and a cached page is never served to someone signed in
    client.force_login(user)
    response = client.get(CAMPAIGN)
    assert "X-Page-Cache" not in response
    assert b"wagtail-userbar" in response.content or response.status_code == 200


@pytest.mark.django_db
def test_any_session_cookie_bypasses_the_cache(client, demo_site, page_cache):
    client.get(CAMPAIGN)
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Page-Cache" not in client.get(CAMPAIGN)


def view_with_a_message(request):
    messages.info(request, "Only for you")
    body = "".join(str(message) for message in messages.get_messages(request))
    return HttpResponse(f"<p>{body}</p>")


def view_with_a_csrf_token(request):
    return HttpResponse(f"<form>{get_token(request)}</form>" + "<p>filler</p>" * 50)


urlpatterns = [
    path("message/", view_with_a_message),
    path("token/", view_with_a_csrf_token),
]


@pytest.mark.django_db
def test_a_response_with_a_message_is_not_cached(client, page_cache):
    page_cache.ROOT_URLCONF = __name__
    response = client.get("/message/")
    assert b"Only for you" in response.content
    assert response["X-Page-Cache"] == "skip"
    assert client.get("/message/")["X-Page-Cache"] == "skip"


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_neither_cached_nor_compressed(client, page_cache):
    page_cache.ROOT_URLCONF = __name__
    for _ in range(2):
        response = client.get("/token/", HTTP_ACCEPT_ENCODING="gzip")
        assert response["X-Page-Cache"] == "skip"
        assert "Content-Encoding" not in response
        assert b"<form>" in response.content


@pytest.mark.django_db
def test_the_workshop_page_carries_no_token_and_its_form_page_is_never_cached(
    client, demo_site, page_cache
):
    workshop = next(
        page
        for page in WorkshopPage.objects.filter(locale__language_code="fr")
        if page.accepts_registrations
    )
    response = client.get(workshop.url)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies
    register = f"/fr/workshops/{workshop.pk}/register/"
    assert register.encode() in response.content
    assert client.get(workshop.url)["X-Page-Cache"] == "hit"

    form_page = client.get(register, HTTP_ACCEPT_ENCODING="gzip")
    assert form_page.status_code == 200
    assert b"csrfmiddlewaretoken" in form_page.content
    assert b'class="registration-form"' in form_page.content
    assert "Content-Encoding" not in form_page
    assert "no-store" in form_page["Cache-Control"]
    assert "X-Page-Cache" not in form_page


@pytest.mark.django_db
def test_anonymous_html_is_compressed_once_and_stored_compressed(client, demo_site, page_cache):
    plain = client.get(CAMPAIGN)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(CAMPAIGN, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["X-Page-Cache"] == "hit"
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert gzip.decompress(packed.content) == plain.content


@pytest.mark.django_db
def test_json_of_the_api_is_compressed(client, demo_site, page_cache):
    response = client.get("/api/v2/pages/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


@pytest.mark.django_db
def test_pages_are_compressed_even_without_the_page_cache(client, demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get(CAMPAIGN, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_signed_in_pages_are_not_compressed(client, demo_site, page_cache):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    response = client.get(CAMPAIGN, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


@pytest.mark.django_db
def test_a_paid_gift_shows_on_the_cached_page_and_card_within_two_seconds(
    client, demo_site, page_cache, django_capture_on_commit_callbacks
):
    page = campaign_page(demo_site)
    card = f"/embed/campaign/{page.pk}/"
    raised_before, _donors = ledger.tally(page.translation_key)
    for url in (CAMPAIGN, card):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        pay(page, 123_400, "Fresh Donor", "fresh@example.org")
    paid = time.monotonic()
    raised = ledger.tally(page.translation_key)[0]
    assert raised >= raised_before + 123_400  # with the sponsors' match, if any

    with translation.override("fr"):
        shown = format_money(raised)
    for url in (CAMPAIGN, card):
        response = client.get(url)
        assert time.monotonic() - paid < 2
        assert response["X-Page-Cache"] == "miss", url
        assert shown in response.content.decode(), url


@pytest.mark.django_db
def test_a_page_restricted_after_caching_is_not_served_from_the_cache(
    client, demo_site, page_cache
):
    page = campaign_page(demo_site)
    assert client.get(CAMPAIGN).status_code == 200
    assert client.get(CAMPAIGN)["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(CAMPAIGN)
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert b"jardin" not in response.content.lower() or b"password" in response.content.lower()
    assert client.get(CAMPAIGN)["X-Page-Cache"] != "hit"  # nor stored (password form: a token)


@pytest.mark.django_db
def test_publish_unpublish_move_and_delete_purge(client, demo_site, page_cache):
    page = campaign_page(demo_site)

    def cached(url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    cached(CAMPAIGN)
    page.title = "Jardin renommé"
    page.save_revision().publish()
    response = client.get(CAMPAIGN)
    assert response["X-Page-Cache"] == "miss" and "Jardin renommé" in response.content.decode()

    cached(CAMPAIGN)
    page.unpublish()
    assert client.get(CAMPAIGN).status_code == 404

    page.save_revision().publish()
    cached(CAMPAIGN)
    cached("/fr/campagnes/")
    other_parent = Page.objects.get(url_path__endswith="/histoires/", locale=page.locale)
    page.move(other_parent, pos="last-child")
    assert client.get(CAMPAIGN).status_code in (301, 404)  # Wagtail's redirect, if made
    moved = Page.objects.get(pk=page.pk)
    assert client.get(moved.url).status_code == 200
    assert client.get("/fr/campagnes/")["X-Page-Cache"] == "miss"

    cached(moved.url)
    Page.objects.get(pk=page.pk).delete()
    assert client.get(moved.url).status_code == 404


@pytest.mark.django_db
def test_a_snippet_or_setting_saved_purges(client, demo_site, page_cache):
    client.get("/fr/")
    assert client.get("/fr/")["X-Page-Cache"] == "hit"
    footer = Footer.objects.filter(locale__language_code="fr").first()
    footer.save()
    assert client.get("/fr/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_the_index_shows_a_new_campaign_at_once(client, demo_site, page_cache):
    index = CampaignIndexPage.objects.get(locale__language_code="fr")
    client.get(index.url)
    page = campaign_page(demo_site)
    page.title = "Un titre tout neuf"
    page.save_revision().publish()
    assert "Un titre tout neuf" in client.get(index.url).content.decode()


def test_the_middleware_is_between_whitenoise_and_the_sessions():
    middleware = django_settings.MIDDLEWARE
    position = middleware.index("cocity.page_cache.PageCacheMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < position
    assert position < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert PageCacheMiddleware  # the class the setting names


REDIS_DB6 = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_cache(settings):
    """The production backend on a Redis database of this test's own (db 6)."""
    prefix = own_prefix("cocity-test")  # the other CI run shares this Redis (tests/redis_keys.py)
    settings.CACHES = {
        "default": {
            "BACKEND": "cocity.cache.DegradingRedisCache",
            "LOCATION": REDIS_DB6,
            "KEY_PREFIX": prefix,
        }
    }

    clear_prefix(REDIS_DB6, prefix)
    yield cache
    clear_prefix(REDIS_DB6, prefix)


@pytest.mark.django_db
def test_with_redis_a_paid_gift_purges_too(
    client, demo_site, page_cache, redis_cache, django_capture_on_commit_callbacks
):
    page = campaign_page(demo_site)
    first, second, queries = cached_get(client, CAMPAIGN, HTTP_ACCEPT_ENCODING="gzip")
    assert second["X-Page-Cache"] == "hit" and len(queries) == 0
    assert second["Content-Encoding"] == "gzip"
    with django_capture_on_commit_callbacks(execute=True):
        pay(page, 5_000, "Redis Donor", "redis@example.org")
    assert client.get(CAMPAIGN)["X-Page-Cache"] == "miss"
    assert client.get(CAMPAIGN)["X-Page-Cache"] == "hit"


@pytest.fixture
def purge_server():
    """A loopback HTTP server that records the PURGE requests it gets (a CDN's purge API)."""
    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", purged
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_paid_gift_purges_the_campaign_from_the_cdn(
    demo_site, settings, purge_server, django_capture_on_commit_callbacks
):
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    page = campaign_page(demo_site)
    versions = CampaignPage.objects.filter(translation_key=page.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        donation = ledger.create_pending(
            campaign_key=page.translation_key,
            amount_cents=2_500,
            donor_name="CDN Donor",
            donor_email="cdn@example.org",
            display="name",
            message="",
            language="fr",
            provider="demo",
        )
        assert not purged  # a pending gift changes no total
        ledger.transition(donation.pk, ledger.PAID, payment_id=f"demo-{donation.uuid}")
    for version in versions:
        assert version.url in purged
        assert f"/embed/campaign/{version.pk}/" in purged
    assert "/fr/campagnes/" in purged and "/fr/" in purged and "/ar/" in purged


@pytest.mark.django_db
def test_without_a_cdn_nothing_is_purged_from_one(
    demo_site, settings, purge_server, django_capture_on_commit_callbacks
):
    _location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {}
    page = campaign_page(demo_site)
    with django_capture_on_commit_callbacks(execute=True):
        pay(page, 2_500, "No CDN", "nocdn@example.org")
    assert purged == []


@pytest.mark.django_db
def test_answers_that_vary_on_accept_or_origin_are_not_served_to_other_clients(
    client, demo_site, page_cache
):
    json_answer = client.get("/api/v2/pages/", HTTP_ACCEPT="application/json")
    html_answer = client.get("/api/v2/pages/", HTTP_ACCEPT="text/html")
    assert html_answer["X-Page-Cache"] != "hit"
    assert html_answer["Content-Type"] != json_answer["Content-Type"]
    again = client.get("/api/v2/pages/", HTTP_ACCEPT="application/json")
    assert again["Content-Type"] == json_answer["Content-Type"]
    page_cache.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    partner = client.get("/open-data/campaigns.json", HTTP_ORIGIN="https://partner.example")
    assert partner["Access-Control-Allow-Origin"] == "https://partner.example"
    other = client.get("/open-data/campaigns.json", HTTP_ORIGIN="https://other.example")
    assert "Access-Control-Allow-Origin" not in other


@pytest.mark.django_db
def test_the_form_page_of_a_closed_workshop_sends_back_to_the_workshop(client, demo_site):
    closed = next(
        page
        for page in WorkshopPage.objects.filter(locale__language_code="fr")
        if not page.accepts_registrations
    )
    response = client.get(f"/fr/workshops/{closed.pk}/register/")
    assert response.status_code == 302 and response["Location"] == closed.url


@pytest.mark.django_db
def test_head_requests_are_answered_from_the_get_entry_and_never_stored(
    client, demo_site, page_cache
):
    assert client.head(CAMPAIGN)["X-Page-Cache"] == "skip"  # a HEAD stores nothing
    assert client.get(CAMPAIGN)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.head(CAMPAIGN)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
