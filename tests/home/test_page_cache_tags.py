"""The page cache purges precisely (cocity/page_cache.py, tags): a gift, a story published or a
seat taken retires the cached answers that show it, and leaves every other one served from
the cache, without a query. On the local-memory cache and on Redis (the production backend,
where the tags' versions are shared by every node)."""

import datetime
import time

from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from campaigns.models import CampaignIndexPage, CampaignPage, ImpactPage
from cocity import page_cache
from cocity.cache import DegradingRedisCache
from donations import ledger
from donations.matching import active_funds, covers
from donations.models import Donation, MatchFund
from helpers.money import format_money
from helpers.visibility import public_pages
from home.models import Footer, HomePage
from stories.models import StoryIndexPage, StoryPage
from tests.conftest import WEBHOOK_SECRET
from tests.redis_keys import clear_prefix, own_prefix
from workshops import registrations
from workshops.models import WorkshopPage


@pytest.fixture
def page_cache_on(settings):
    """The page cache on (the suite runs without it, cocity/settings/test.py), and this
    process's memory of the entries' tags empty (as on a node just started)."""
    settings.PAGE_CACHE_SECONDS = 300
    page_cache._known_tags.clear()
    yield settings
    page_cache._known_tags.clear()


REDIS_DB6 = "redis://127.0.0.1:6379/6"


@pytest.fixture(params=["local", "redis"])
def shared_cache(request, settings, page_cache_on):
    """The local-memory cache (of the demo; room for every key: when full it drops a third of
    them, the tags' versions too, which makes misses), then the production backend on Redis
    db 6."""
    if request.param == "local":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "page-cache-tags",
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            }
        }
    prefix = own_prefix("cocity-test-tags")  # the other CI run shares Redis: tests/redis_keys.py
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "cocity.cache.DegradingRedisCache",
                "LOCATION": REDIS_DB6,
                "KEY_PREFIX": prefix,
            }
        }

    if request.param == "redis":
        clear_prefix(REDIS_DB6, prefix)
    else:
        cache.clear()
    if request.param == "redis":
        assert isinstance(caches["default"], DegradingRedisCache)
        cache.set("ping", 1)
        if cache.get("ping") != 1:
            pytest.fail("Redis on 127.0.0.1:6379 does not answer (it is in scripts/system_deps.sh)")
    yield cache
    if request.param == "redis":
        clear_prefix(REDIS_DB6, prefix)
    else:
        cache.clear()


def fr(model, **filters):
    return public_pages(model.objects.filter(locale__language_code="fr", **filters))


def campaigns_a_and_b():
    """Two live French campaigns that take gifts: A (the garden) and another."""
    a = fr(CampaignPage).get(url_path__endswith="/jardin-des-couronnes/")
    b = next(
        page
        for page in fr(CampaignPage).exclude(translation_key=a.translation_key)
        if page.accepts_donations
    )
    return a, b


def fund_covers_both(a, b):
    return any(
        covers(fund, a.translation_key) and covers(fund, b.translation_key)
        for fund in active_funds(timezone.now())
    )


def not_covered_campaign():
    """A French campaign page no sponsor's fund covers."""
    funds = list(MatchFund.objects.all())
    return next(
        page
        for page in fr(CampaignPage)
        if not any(covers(fund, page.translation_key) for fund in funds)
    )


def shared_fund(a, b, sponsor):
    """A sponsor's fund of 5 000 € matching 1 € for 1 € the gifts to A and B, open now."""
    now = timezone.now()
    return MatchFund.objects.create(
        sponsor_name=sponsor,
        ratio_percent=100,
        total_cap_cents=500_000,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=30),
        campaign_keys=[str(a.translation_key), str(b.translation_key)],
    )


def card(page):
    return f"/embed/campaign/{page.pk}/"


def warm(client, urls):
    """GET each URL until the cache holds it; every one answers from the cache."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


def served_from_cache(client, url):
    """True if ``url`` is answered from the cache, without a single query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if response["X-Page-Cache"] == "hit":
        assert len(queries) == 0, (url, [query["sql"] for query in queries])
        return True
    assert len(queries) > 0, url
    return False


def pay(page, cents, name):
    donation = ledger.create_pending(
        campaign_key=page.translation_key,
        amount_cents=cents,
        donor_name=name,
        donor_email="tags@example.org",
        display="name",
        message="",
        language="fr",
        provider="demo",
    )
    ledger.transition(donation.pk, ledger.PAID, payment_id=f"demo-{donation.uuid}")


@pytest.mark.django_db
def test_a_gift_purges_what_shows_its_campaign_and_nothing_else(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    a, b = campaigns_a_and_b()
    workshop = fr(WorkshopPage).first()
    story = fr(StoryPage).first()
    # the demo's sponsor fund covers A and B and matches the gift: B's page says what is left
    # in it (its card does not)
    assert fund_covers_both(a, b)
    uncovered = not_covered_campaign()
    shows_a = [
        a.url,
        b.url,
        card(a),
        fr(CampaignIndexPage).get().url,
        fr(HomePage).get().url,
        fr(ImpactPage).get().url,
        "/api/v2/pages/?type=campaigns.CampaignPage",
        f"/api/v2/pages/{a.pk}/",
        "/open-data/campaigns.json",
        "/open-data/campaigns.csv",
    ]
    others = [card(b), uncovered.url, workshop.url, story.url, fr(StoryIndexPage).get().url]
    warm(client, shows_a + others)

    with django_capture_on_commit_callbacks(execute=True):
        pay(a, 4_321, "Tagged Donor")

    for url in shows_a:
        assert not served_from_cache(client, url), url
    for url in others:
        assert served_from_cache(client, url), url
    # and what was just rendered again is cached again
    for url in shows_a:
        assert served_from_cache(client, url), url


@pytest.mark.django_db
def test_publishing_a_story_purges_it_in_every_language_its_index_home_and_campaign(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    story = fr(StoryPage).filter(campaign__isnull=False).first()
    campaign = story.campaign
    versions = list(public_pages(StoryPage.objects.filter(translation_key=story.translation_key)))
    assert len(versions) >= 2  # its copies in the other languages
    other_campaign = fr(CampaignPage).exclude(translation_key=campaign.translation_key).first()
    index = story.get_parent()
    shows_story = [
        *(version.url for version in versions),
        index.url,
        fr(HomePage).get().url,
        campaign.url,
        "/api/v2/pages/?type=stories.StoryPage",
    ]
    others = [other_campaign.url, card(campaign), fr(WorkshopPage).first().url]
    warm(client, shows_story + others)

    story.title = "Le jardin a ouvert, et après"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    for url in shows_story:
        assert not served_from_cache(client, url), url
    assert "Le jardin a ouvert, et après" in client.get(index.url).content.decode()
    for url in others:
        assert served_from_cache(client, url), url


@pytest.mark.django_db
def test_a_seat_taken_purges_the_workshop_not_the_campaigns(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    workshop = next(page for page in fr(WorkshopPage) if page.registration_state == "open")
    other_workshop = fr(WorkshopPage).exclude(translation_key=workshop.translation_key).first()
    a, _b = campaigns_a_and_b()
    shows_seats = [workshop.url, workshop.get_parent().url]
    others = [a.url, card(a), other_workshop.url]
    warm(client, shows_seats + others)

    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(workshop, name="Seat Taker", seats=1, language="fr", notify=False)

    for url in shows_seats:
        assert not served_from_cache(client, url), url
    for url in others:
        assert served_from_cache(client, url), url


@pytest.mark.django_db
def test_a_snippet_saved_purges_everything(client, demo_site, shared_cache):
    a, b = campaigns_a_and_b()
    warm(client, [a.url, b.url, "/open-data/campaigns.json"])
    Footer.objects.filter(locale__language_code="fr").first().save()
    for url in (a.url, b.url, "/open-data/campaigns.json"):
        assert not served_from_cache(client, url), url


@pytest.mark.django_db
def test_another_node_shares_the_versions(client, demo_site, shared_cache):
    """A node that never saw an entry (its memory of tags empty) still serves it from the
    shared cache, and a purge made anywhere retires it there too."""
    a, b = campaigns_a_and_b()
    warm(client, [a.url, b.url])
    page_cache._known_tags.clear()  # the other node
    assert served_from_cache(client, a.url)
    page_cache.purge(page_cache.ledger_tags(a.translation_key))
    page_cache._known_tags.clear()
    assert not served_from_cache(client, a.url)
    assert served_from_cache(client, b.url)


@pytest.mark.django_db
def test_evicted_versions_never_serve_a_stale_entry(client, demo_site, shared_cache):
    """The cache may drop any key: a tag's version gone after a purge makes its entries
    misses (never hits again), and a clock gone starts again above its last value."""
    a, b = campaigns_a_and_b()
    warm(client, [a.url, b.url])
    tag_key = page_cache.TAG_KEY + page_cache.campaign_tag(a.translation_key)
    page_cache.purge({page_cache.campaign_tag(a.translation_key)})
    shared_cache.delete(tag_key)
    assert not served_from_cache(client, a.url)
    assert served_from_cache(client, a.url)

    clock = shared_cache.get(page_cache.CLOCK_KEY)
    shared_cache.delete(page_cache.CLOCK_KEY)
    assert served_from_cache(client, b.url)  # nothing purged: still served
    page_cache.purge({page_cache.campaign_tag(b.translation_key)})
    assert shared_cache.get(page_cache.CLOCK_KEY) > clock
    assert not served_from_cache(client, b.url)


@pytest.mark.django_db
def test_a_gift_paid_through_stripe_shows_within_two_seconds(
    client,
    demo_site,
    shared_cache,
    stripe_server,
    django_capture_on_commit_callbacks,
):
    """The donor gives through Stripe Checkout (the real SDK against the fake server), the
    webhook says it is paid: the campaign's cached page, card, index and home show the new
    total at once, while a campaign no sponsor's fund shares with it is still served from the
    cache (B's page shares the demo's fund with A: it says what is left in it)."""
    a, _b = campaigns_a_and_b()
    other = not_covered_campaign()
    shows_a = [a.url, card(a), fr(CampaignIndexPage).get().url, fr(HomePage).get().url]
    warm(client, [*shows_a, other.url])

    donor = Client()  # the donor's own browser (the donation form gives it a session)
    with translation.override("fr"):
        donate = reverse("donations:donate", args=[a.translation_key])
    form = {
        "amount_choice": "custom",
        "custom_amount": "777",
        "donor_name": "Stripe Donor",
        "donor_email": "stripe-donor@example.org",
        "display": "name",
        "message": "",
        "consent": "on",
    }
    response = donor.post(donate, form)
    assert response.status_code == 302, response.content[:500]

    donation = Donation.objects.order_by("-pk").first()
    session = stripe_server.complete(donation.provider_session_id)
    payload, header = stripe_server.signed(
        stripe_server.event("checkout.session.completed", session), WEBHOOK_SECRET
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = donor.post(
            "/webhooks/stripe/",
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    paid = time.monotonic()
    assert answer.status_code == 200
    with translation.override("fr"):
        shown = format_money(ledger.tally(a.translation_key)[0])
    for url in shows_a[:2]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert shown in response.content.decode(), url
    for url in shows_a[2:]:
        assert client.get(url)["X-Page-Cache"] == "miss", url
    assert time.monotonic() - paid < 2
    assert served_from_cache(client, other.url)


@pytest.mark.django_db
def test_publishing_a_campaign_purges_it_and_its_listings_not_the_other_pages(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    a, b = campaigns_a_and_b()
    assert a.budget_lines.exists()  # saved again on publish: they purge only their page
    versions = public_pages(CampaignPage.objects.filter(translation_key=a.translation_key))
    shows_a = [
        *(version.url for version in versions),
        card(a),
        fr(CampaignIndexPage).get().url,
        fr(HomePage).get().url,
        "/open-data/campaigns.json",
    ]
    workshop = next(
        page
        for page in fr(WorkshopPage)
        if not page.related_campaigns.filter(translation_key=a.translation_key).exists()
    )
    others = [b.url, card(b), workshop.url, fr(StoryIndexPage).get().url]
    warm(client, shows_a + others)

    a.summary = "Un résumé tout neuf"
    with django_capture_on_commit_callbacks(execute=True):
        a.save_revision().publish()

    for url in shows_a:
        assert not served_from_cache(client, url), url
    for url in others:
        assert served_from_cache(client, url), url


@pytest.mark.django_db
def test_a_draft_saved_purges_nothing_and_its_publication_does(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    story = fr(StoryPage).first()
    warm(client, [story.url, fr(HomePage).get().url])
    story.title = "Un brouillon"
    with django_capture_on_commit_callbacks(execute=True):
        revision = story.save_revision()
    assert served_from_cache(client, story.url)
    assert served_from_cache(client, fr(HomePage).get().url)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss" and "Un brouillon" in response.content.decode()


@pytest.mark.django_db
def test_a_match_on_one_campaign_purges_what_every_campaign_says_is_left_in_the_fund(
    client, demo_site, shared_cache, django_capture_on_commit_callbacks
):
    """A sponsor's fund shared by A and B: a gift to A that the fund matches lowers what B's
    page says is left in it, so B's page is purged too (``fund-room:`` of every campaign the
    fund covers), not B's card; a campaign no fund covers and a workshop are not."""
    a, b = campaigns_a_and_b()
    shared_fund(a, b, "Fonds partagé des tags")
    workshop = fr(WorkshopPage).first()
    uncovered = not_covered_campaign()
    warm(client, [b.url, card(b), uncovered.url, workshop.url])
    assert format_money(500_000, "fr") in client.get(b.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        pay(a, 4_000, "Donatrice Appariée")

    assert not served_from_cache(client, b.url)
    assert format_money(496_000, "fr") in client.get(b.url).content.decode()
    for url in (card(b), uncovered.url, workshop.url):
        assert served_from_cache(client, url), url
