"""The embeddable campaign card: same totals as the campaign page, languages and fallbacks,
bad input, framing headers (this route only), no cookies, the snippets for staff and leaders."""

import datetime
from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import Locale, PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from campaigns.factories import CampaignPageFactory
from campaigns.models import CampaignPage
from donations import ledger
from helpers.embed import embed_snippet
from helpers.money import format_money
from home.locales import create_language_aliases
from tests.stories.helpers import make_leader
from tests.stories.helpers import url as space_url

DAY = datetime.timedelta(days=1)


def embed_url(page, lang=None):
    return f"/embed/campaign/{page.pk}/" + (f"?lang={lang}" if lang else "")


def soup_of(response, status=200):
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def figures(soup):
    return soup.select_one(".progress__figures").get_text(" ", strip=True)


def pay(campaign, euros):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=euros * 100,
        provider="demo",
        donor_name="Awa",
    )
    ledger.transition(donation.pk, ledger.PAID)


def in_language(page, code):
    return page.get_translation(Locale.objects.get(language_code=code)).specific


@pytest.mark.django_db
def test_card_shows_the_campaign_pages_totals_in_french_and_arabic(client, demo_site):
    french = CampaignPage.objects.get(slug="jardin-des-couronnes", locale__language_code="fr")
    raised, donors = ledger.tally(french.translation_key)
    assert raised and donors
    for code, direction in [("fr", "ltr"), ("ar", "rtl")]:
        version = in_language(french, code)
        page = soup_of(client.get(version.get_url()))
        card = soup_of(client.get(embed_url(french, code)))
        assert card.html["lang"] == code and card.html["dir"] == direction
        assert figures(card) == figures(page)
        assert format_money(raised, code) in figures(card)
        assert format_money(french.goal_cents, code) in figures(card)
        assert card.select_one("progress")["value"] == str(raised * 100 // french.goal_cents)
        title = card.select_one("h1 a")
        assert version.title in title.get_text()
        assert title["href"] == "http://testserver" + version.get_url()
        give = card.select_one("a.embed__give")
        with translation.override(code):
            assert give["href"].endswith(f"/{code}/donate/{french.translation_key}/")
        assert card.title.get_text().startswith(version.title)
        for link in card.select("a"):
            assert link["target"] == "_blank" and "noopener" in link["rel"]
            assert link.select_one(".visually-hidden").get_text(strip=True), link
        assert not card.select("script") and not card.select("form")


@pytest.mark.django_db
def test_lang_picks_the_translation_or_falls_back_to_the_text_readers_get(client, demo_site):
    french = CampaignPage.objects.get(slug="jardin-des-couronnes", locale__language_code="fr")
    arabic = in_language(french, "ar")
    card = soup_of(client.get(embed_url(french, "ar")))
    assert card.select_one("h1 a").get_text().startswith(arabic.title)
    card = soup_of(client.get(embed_url(arabic, "fr")))
    assert card.html["lang"] == "fr"
    assert card.select_one("h1 a").get_text().startswith(french.title)
    # Default: the page's own language.
    card = soup_of(client.get(embed_url(arabic)))
    assert card.html["lang"] == "ar" and arabic.title in card.select_one("h1").get_text()
    # Portuguese: the demo's translation
    portuguese = in_language(french, "pt")
    card = soup_of(client.get(embed_url(french, "pt")))
    assert card.html["lang"] == "pt" and portuguese.alias_of_id is None
    assert card.select_one("h1 a").get_text().startswith(portuguese.title)
    assert card.select_one("h1 a span[lang]") is None


@pytest.mark.django_db
def test_an_untranslated_copy_gives_the_french_title_marked_so(client, campaign):
    # Portuguese has only an untranslated copy: Portuguese interface, French title marked so.
    copy = in_language(campaign, "pt")
    assert copy.alias_of_id == campaign.pk
    card = soup_of(client.get(embed_url(campaign, "pt")))
    assert card.html["lang"] == "pt"
    title = card.select_one("h1 a span[lang]")
    assert (title["lang"], title.get_text()) == ("fr", campaign.title)
    assert card.select_one("h1 a")["href"].endswith(copy.get_url())
    assert "/pt/donate/" in card.select_one("a.embed__give")["href"]


@pytest.mark.django_db
def test_closed_campaign_shows_its_status_instead_of_a_give_link(client, campaign):
    campaign.opens_at = timezone.now() - 40 * DAY
    campaign.closes_at = timezone.now() - DAY
    campaign.save_revision().publish()
    card = soup_of(client.get(embed_url(campaign, "en")))
    assert card.select_one("a.embed__give") is None
    assert card.select_one(".status").get_text(strip=True) == "Closed"
    assert "no longer takes donations" in card.select_one(".notice").get_text()


@pytest.mark.django_db
def test_unknown_language_is_a_400_with_a_translated_message(client, campaign):
    response = client.get(embed_url(campaign, "xx"), HTTP_ACCEPT_LANGUAGE="en")
    message = soup_of(response, 400).select_one("#embed-error").get_text()
    assert "Unknown language" in message and "xx" in message
    assert "fr, en, ar, pt, zh-hans" in message
    assert "Accept-Language" in response["Vary"]
    assert "X-Frame-Options" not in response  # partners see why, inside their frame
    long = client.get(embed_url(campaign, "<script>" + "x" * 500))
    assert long.status_code == 400
    assert b"<script>" not in long.content and b"x" * 21 not in long.content


@pytest.mark.django_db
def test_missing_draft_private_and_other_pages_are_404(client, campaign, home_page):
    draft = CampaignPageFactory(parent=campaign.get_parent(), live=False)
    unpublished = CampaignPageFactory(parent=campaign.get_parent())
    create_language_aliases(unpublished)
    unpublished.unpublish()
    private = CampaignPageFactory(parent=campaign.get_parent())
    create_language_aliases(private)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for page in [draft, unpublished, private, in_language(private, "en"), home_page]:
        response = client.get(embed_url(page), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404, page
        assert "does not exist" in soup_of(response, 404).select_one("#embed-error").get_text()
    for path in ["/embed/campaign/987654/", "/embed/campaign/99999999999999999999999/"]:
        assert client.get(path).status_code == 404, path
    assert client.get("/embed/campaign/abc/").status_code == 404
    assert client.get(embed_url(campaign)).status_code == 200


@pytest.mark.django_db
def test_only_the_card_may_be_framed_and_nothing_sets_a_cookie(client, campaign, settings):
    response = client.get(embed_url(campaign, "ar"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *;" in response["Content-Security-Policy"] + ";"
    assert response["Cache-Control"] == f"public, max-age={settings.API_CACHE_SECONDS}"
    assert response["Content-Language"] == "ar"
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())
    assert client.head(embed_url(campaign)).status_code == 200
    assert client.post(embed_url(campaign)).status_code == 405

    for path in ["/fr/", campaign.get_url(), "/open-data/campaigns.json", "/api/v2/pages/"]:
        other = client.get(path)
        assert other.status_code == 200, path
        assert other["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors *" not in other.get("Content-Security-Policy", ""), path


@pytest.mark.django_db
def test_a_signed_in_visitor_gets_no_cookie_either(client, campaign, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org", "pw"))
    response = client.get(embed_url(campaign))
    assert response.status_code == 200 and not response.cookies


@pytest.mark.django_db
def test_queries_do_not_grow_with_gifts(client, campaign):
    def queries():
        client.get(embed_url(campaign, "ar"))  # site root paths and other caches
        with CaptureQueriesContext(connection) as captured:
            card = soup_of(client.get(embed_url(campaign, "ar")))
        return len(captured), card

    pay(campaign, 10)
    few, _card = queries()
    for _ in range(30):
        pay(campaign, 1)
    many, card = queries()
    assert few == many and many <= 5, (few, many)
    assert format_money(4000, "ar") in figures(card)


def snippet_iframe(textarea):
    """The <iframe> a partner gets by pasting the textarea's text."""
    return BeautifulSoup(textarea.get_text(), "html.parser").iframe


@pytest.mark.django_db
def test_staff_find_a_snippet_per_language_in_the_admin(client, campaign, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.org", "pw"))
    soup = soup_of(client.get(f"/admin/pages/{campaign.pk}/edit/"))
    for code in ("fr", "en", "ar", "pt", "zh-hans"):
        textarea = soup.select_one(f"textarea#embed-snippet-{code}")
        assert textarea is not None and textarea.has_attr("readonly"), code
        assert soup.select_one(f"label[for=embed-snippet-{code}]").get_text(strip=True)
        iframe = snippet_iframe(textarea)
        assert iframe["src"].endswith(f"/embed/campaign/{campaign.pk}/?lang={code}"), iframe
        assert campaign.title in iframe["title"]
        assert iframe["loading"] == "lazy" and iframe["width"] and iframe["height"]
    # A page being created has no id yet, hence no snippet.
    index = campaign.get_parent()
    add = client.get(f"/admin/pages/add/campaigns/campaignpage/{index.pk}/")
    assert add.status_code == 200 and b"embed-snippet-" not in add.content


@pytest.mark.django_db
def test_leaders_find_the_snippet_of_their_campaigns_in_their_space(
    client, campaign, django_user_model
):
    leader = make_leader(django_user_model, "nadia", campaign, language="fr")
    client.force_login(leader)
    soup = soup_of(client.get(space_url("space", language="fr")))
    textarea = soup.select_one(f"textarea#embed-{campaign.pk}")
    assert textarea is not None and textarea.has_attr("readonly")
    assert soup.select_one(f"label[for=embed-{campaign.pk}]").get_text(strip=True)
    iframe = snippet_iframe(textarea)
    assert iframe["src"].endswith(f"/embed/campaign/{campaign.pk}/?lang=fr")
    assert campaign.title in iframe["title"]
    # What the snippet points at really is the card.
    src = urlsplit(iframe["src"])
    assert client.get(src.path, {"lang": "fr"}).status_code == 200


@pytest.mark.django_db
def test_snippet_stays_valid_and_readable_with_quotes_in_the_title(rf, campaign):
    campaign.title = 'L\'atelier "Vélo & co" <à> Belleville'
    snippet = embed_snippet(campaign, "fr", rf.get("/admin/"))
    assert "L'atelier" in snippet.code  # apostrophes need no escaping in "…"
    iframe = BeautifulSoup(snippet.code, "html.parser").iframe
    assert iframe["title"].endswith(campaign.title)
    assert (
        iframe["src"] == snippet.url == f"http://testserver/embed/campaign/{campaign.pk}/?lang=fr"
    )
