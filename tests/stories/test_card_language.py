"""Story cards and pages name their campaign in the reader's language (its translation when
there is a public one, never a draft's title), in a fixed number of queries; names written by
people (authors, leaders) are isolated with <bdi> in every language."""

import itertools
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, PageViewRestriction
from wagtail_localize.models import Translation, TranslationSource

import pytest
from bs4 import BeautifulSoup

from campaigns.factories import CampaignPageFactory
from campaigns.models import District
from home.locales import create_language_aliases
from stories.factories import StoryPageFactory
from tests.stories.helpers import make_leader, url

ARABIC_TITLE = "حديقة التيجان"


def locale(code):
    return Locale.objects.get(language_code=code)


def translate(page, language, title, publish=True):
    """Translate ``page`` into ``language`` through wagtail-localize (every other segment
    marked with the language), as a translator would; published unless ``publish=False``."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale(language)
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = title if entry.msgid == page.title else f"[{language}] {entry.msgid}"
    translation.import_po(po)
    translation.save_target(publish=False)
    target = page.get_translation(locale(language))
    if publish:
        target.get_latest_revision().publish()
    return target


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def cards(client, page):
    return soup(client.get(page.get_url())).select(".story-card")


def campaign_names(card):
    return [bdi.get_text() for bdi in card.select(".card__meta bdi.card__campaign")]


@pytest.fixture
def story(story_index, campaign):
    page = StoryPageFactory(parent=story_index, title="Le jardin a ouvert", campaign=campaign)
    create_language_aliases(page)
    return page


@pytest.mark.django_db
def test_a_story_card_names_the_campaign_in_the_readers_language(
    client,
    story,
    story_index,
    campaign,
):
    translate(campaign, "ar", ARABIC_TITLE)
    for code, expected in [
        ("ar", ARABIC_TITLE),
        ("fr", "Jardin des Couronnes"),
        ("pt", "Jardin des Couronnes"),  # no Portuguese version: the French one
    ]:
        (card,) = cards(client, story_index.get_translation(locale(code)))
        assert campaign_names(card) == [expected], code


@pytest.mark.django_db
def test_a_story_page_and_its_related_cards_name_the_campaign_in_the_readers_language(
    client,
    story,
    story_index,
    campaign,
):
    translate(campaign, "ar", ARABIC_TITLE)
    other = StoryPageFactory(parent=story_index, title="La récolte", campaign=campaign)
    create_language_aliases(other)
    document = soup(client.get(story.get_translation(locale("ar")).get_url()))
    link = document.select_one(".page-header a[href]")
    assert link.get_text() == ARABIC_TITLE
    assert link["href"] == campaign.get_translation(locale("ar")).get_url()
    (related,) = document.select(".story-card")
    assert campaign_names(related) == [ARABIC_TITLE]


@pytest.mark.django_db
def test_an_unpublished_translation_is_not_named(
    client,
    story,
    story_index,
    campaign,
):
    """The Arabic translation taken offline: the card names the French campaign (the page
    an Arabic reader is sent to), never the offline translation."""
    translate(campaign, "ar", ARABIC_TITLE).unpublish()
    (card,) = cards(client, story_index.get_translation(locale("ar")))
    assert campaign_names(card) == ["Jardin des Couronnes"]
    assert ARABIC_TITLE not in card.get_text()


@pytest.mark.django_db
def test_a_private_campaign_is_not_named(
    client,
    story,
    story_index,
    campaign,
):
    translate(campaign, "ar", ARABIC_TITLE)
    for page in campaign.get_translations(inclusive=True):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    (card,) = cards(client, story_index.get_translation(locale("ar")))
    assert campaign_names(card) == []
    assert ARABIC_TITLE not in card.get_text()


@pytest.mark.django_db
def test_cards_of_many_campaigns_run_a_fixed_number_of_queries(
    client,
    story_index,
    campaign,
    district,
):
    listing = story_index.get_translation(locale("ar"))
    campaign_index = campaign.get_parent()

    numbers = itertools.count()

    def add(count):
        for number in itertools.islice(numbers, count):
            other = CampaignPageFactory(parent=campaign_index, title=f"Projet {number}")
            create_language_aliases(other)
            if number % 2 == 0:
                translate(other, "ar", f"مشروع {number}")
            story = StoryPageFactory(parent=story_index, campaign=other, district=district)
            create_language_aliases(story)

    def queries():
        client.get(listing.get_url())
        with CaptureQueriesContext(connection) as captured:
            found = cards(client, listing)
        return len(captured), [name for card in found for name in campaign_names(card)]

    add(2)
    few, names = queries()
    assert "مشروع 0" in names and "Projet 1" in names
    add(4)
    more, names = queries()
    assert len(names) == 6 and {"مشروع 0", "مشروع 2", "مشروع 4"} <= set(names)
    assert more == few


# -- names isolated with <bdi> ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_author_of_a_story_is_isolated(
    client,
    django_user_model,
    story_index,
    campaign,
    language,
):
    leader = make_leader(django_user_model, "awa", campaign)
    leader.leader_profile.public_name = "Awa D."
    leader.leader_profile.save()
    story = StoryPageFactory(parent=story_index, campaign=campaign, owner=leader)
    create_language_aliases(story)
    document = soup(client.get(story.get_translation(locale(language)).get_url()))
    meta = document.select_one(".page-header .card__meta")
    assert "Awa D." in [bdi.get_text() for bdi in meta.select("bdi")]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_leader_greeted_by_name_keeps_the_name_whole(
    client,
    django_user_model,
    campaign,
    language,
):
    """ "Awa D.!" in an Arabic sentence: the name in a <bdi>, the "!" outside it."""
    leader = make_leader(django_user_model, "awa", campaign)
    leader.leader_profile.public_name = "Awa D."
    leader.leader_profile.save()
    client.force_login(leader)
    document = soup(client.get(url("space", language=language)))
    greeting = next(p for p in document.select("main p") if "Awa D." in p.get_text())
    # French puts a no-break space before "!"
    assert re.search(r"<bdi>Awa D\.</bdi>\xa0?!", str(greeting)), str(greeting)


def filter_options(client, page, name):
    document = soup(client.get(page.get_url()))
    return [
        (option["value"], option.get_text())
        for option in document.select(f"select[name={name}] option")
        if option["value"]
    ]


@pytest.mark.django_db
def test_the_listing_filters_name_campaigns_and_districts_in_the_readers_language(
    client,
    story,
    story_index,
    campaign,
    district,
):
    arabic_campaign = translate(campaign, "ar", ARABIC_TITLE)
    District.objects.create(
        name="باريس 20",
        code=district.code,
        kind=district.kind,
        locale=locale("ar"),
        translation_key=district.translation_key,
    )
    story.district = district
    story.save_revision().publish()
    arabic_index = story_index.get_translation(locale("ar"))
    # a story written in Arabic, about the Arabic version of the same campaign
    StoryPageFactory(
        parent=arabic_index, locale=locale("ar"), title="فتحت الحديقة", campaign=arabic_campaign
    )
    options = filter_options(client, arabic_index, "campaign")
    assert options == [(arabic_campaign.slug, ARABIC_TITLE)]  # once, in Arabic
    assert filter_options(client, arabic_index, "district") == [(district.code, "باريس 20")]
    assert filter_options(client, story_index, "campaign") == [
        (campaign.slug, "Jardin des Couronnes")
    ]
    assert filter_options(client, story_index, "district") == [(district.code, district.name)]
    # no Portuguese version: the French names
    portuguese = story_index.get_translation(locale("pt"))
    assert filter_options(client, portuguese, "campaign") == [
        (campaign.slug, "Jardin des Couronnes")
    ]
    # the option finds the stories about that campaign, whichever version they link
    filtered = soup(client.get(arabic_index.get_url(), {"campaign": arabic_campaign.slug}))
    titles = {
        card.select_one("h3, h2").get_text(strip=True) for card in filtered.select(".story-card")
    }
    assert titles == {"فتحت الحديقة", story.title}
