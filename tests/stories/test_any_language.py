"""Stories in any language are readable in every language (issue 11, item 4): a story a
leader writes in Arabic (or English…) gets a copy in every other language, shown with the
fallback notice in the reader's language and its text marked with its own language and
direction, listed in every language with a mark of its language; translating it later
turns a copy into the translation."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation as django_translation
from django.utils.translation import get_language_info

from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

import pytest
from bs4 import BeautifulSoup

from campaigns.demo import CAMPAIGNS
from home.factories import ImageFactory
from home.locales import alias_other_language_pages, create_language_aliases, sync_all_trees
from stories.demo import DEMO_ARABIC_LEADER, WRITTEN_IN_ARABIC
from stories.factories import StoryPageFactory
from stories.models import StoryPage
from tests.api.helpers import api
from tests.stories.helpers import make_leader, story_data, url

LANGUAGES = ["fr", "en", "ar", "pt", "zh-hans"]
REPAIR_CAFE_TITLE = next(
    spec["title"] for spec in CAMPAIGNS if spec["slug"] == "repair-cafe-belleville"
)
# The notice of base.html, as each catalogue words its first sentence.
NOTICE = {
    "fr": "pas encore été traduite",
    "en": "has not been translated into your language yet",
    "pt": "ainda não foi traduzida",
    "zh-hans": "尚未翻译",
    "ar": "إلى لغتك بعد",
}


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def versions(story):
    """{language code: page} of every version of ``story``."""
    return {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=story.translation_key).select_related(
            "locale"
        )
    }


def write_and_publish(client, leader, reviewer, campaign, capture, **data):
    """A leader writes a story in the space and submits it; a reviewer approves it."""
    client.force_login(leader)
    language = data.get("language", "ar")
    response = client.post(url("story_new", language=language), story_data(campaign, **data))
    assert response.status_code == 302, response.content.decode()[:500]
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    assert client.post(url("story_submit", story.pk, language=language)).status_code == 302
    with capture(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    story.refresh_from_db()
    assert story.live
    client.logout()
    return story


@pytest.fixture
def arabic_story(client, leader, reviewer, campaign, django_capture_on_commit_callbacks):
    return write_and_publish(client, leader, reviewer, campaign, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_copies_are_drafts_until_the_story_is_published(
    client, leader, reviewer, campaign, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    client.post(url("story_new"), story_data(campaign))
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    for code, page in copies.items():
        if code != "ar":
            # A copy of the story itself (never of another copy), under that language's listing
            assert page.alias_of_id == story.pk and not page.live, code
            assert page.get_parent().locale.language_code == code
    client.logout()
    assert client.get(copies["fr"].get_url()).status_code == 404  # not published yet

    client.force_login(leader)
    client.post(url("story_submit", story.pk))
    with django_capture_on_commit_callbacks(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    assert all(page.live for page in Page.objects.filter(translation_key=story.translation_key))


@pytest.mark.django_db
def test_an_arabic_story_is_read_in_every_language_with_the_notice(client, arabic_story):
    copies = versions(arabic_story)
    original_url = f"http://testserver{arabic_story.get_url()}"
    for code in LANGUAGES:
        soup = soup_of(client.get(copies[code].get_url()))
        assert soup.html["lang"] == code
        assert soup.select_one('link[rel="canonical"]')["href"] == original_url
        alternates = {
            link["hreflang"]: link["href"]
            for link in soup.select('link[rel="alternate"][hreflang]')
        }
        # Only the Arabic original is in its own language; it is also the x-default.
        assert alternates == {"ar": original_url, "x-default": original_url}, code
        switcher = soup.select("nav.language-switcher a")
        assert [link["hreflang"] for link in switcher] == LANGUAGES
        for link in switcher:
            assert link["href"] == copies[link["hreflang"]].get_url() + "?lang-picked"
        notice = soup.select_one(".notice--translation")
        if code == "ar":
            assert notice is None
            assert soup.select_one("main div[lang]") is None
            continue
        assert NOTICE[code] in notice.get_text(), code
        assert "العربيّة" in notice.get_text()  # the language it is written in
        content = soup.select_one('main div[lang="ar"][dir="rtl"]')
        assert content is not None and "الفقرة الثانية." in content.get_text()
        assert content.h1.get_text() == "افتتاح الحديقة"
        # The date and labels are in the reader's language, inside the Arabic wrapper
        assert soup.select_one(".page-header .card__meta")["lang"] == code


@pytest.mark.django_db
def test_a_story_written_in_english_is_copied_with_its_direction(
    client, django_user_model, reviewer, campaign, story_index, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "chen", campaign, language="en")
    story = write_and_publish(
        client,
        leader,
        reviewer,
        campaign,
        django_capture_on_commit_callbacks,
        language="en",
        title="The garden opens",
        text="First paragraph.\n\nSecond paragraph.",
        alt_1="Children watering plants",
        alt_2="The garden from above",
    )
    assert story.locale.language_code == "en"
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    soup = soup_of(client.get(copies["ar"].get_url()))
    assert soup.html["dir"] == "rtl"
    assert NOTICE["ar"] in soup.select_one(".notice--translation").get_text()
    content = soup.select_one('main div[lang="en"][dir="ltr"]')
    assert content is not None and "Second paragraph." in content.get_text()


@pytest.mark.django_db
def test_every_listing_shows_the_story_with_a_mark_of_its_language(client, arabic_story):
    copies = versions(arabic_story)
    for code in LANGUAGES:
        listing = copies[code].get_parent()
        soup = soup_of(client.get(listing.get_url()))
        cards = soup.select(".story-card")
        assert len(cards) == 1, code
        card = cards[0]
        link = card.select_one("h2 a")
        assert link["href"] == copies[code].get_url() and link.get_text() == "افتتاح الحديقة"
        mark = card.select_one(".card__language")
        if code == "ar":
            assert mark is None and card.h2.get("lang") is None
            continue
        assert card.h2["lang"] == "ar" and card.h2["dir"] == "rtl"
        intro = card.select("p")[-1]
        assert intro["lang"] == "ar" and intro.get_text() == "الفقرة الأولى."
        assert mark.get("lang") is None  # in the reader's language
        with django_translation.override(code):
            assert str(get_language_info("ar")["name_translated"]) in mark.get_text()


@pytest.mark.django_db
def test_feed_home_search_and_api_show_the_copy_once_per_language(client, arabic_story, home_page):
    copies = versions(arabic_story)
    assert "افتتاح الحديقة" in client.get("/fr/stories/feed/").content.decode()
    assert copies["fr"].get_url() in client.get("/fr/stories/feed/").content.decode()
    home = soup_of(client.get(home_page.get_url()))
    featured = home.select_one(f'.featured h3 a[href="{copies["fr"].get_url()}"]').parent
    assert featured["lang"] == "ar" and featured["dir"] == "rtl"
    assert featured.find_next_sibling(class_="card__language") is not None
    found = soup_of(client.get("/fr/search/", {"q": "الحديقة"}))
    assert copies["fr"].get_url() in {a["href"] for a in found.select("main a[href]")}

    status, listing = api(client, "pages/", type="stories.StoryPage")
    assert status == 200
    ids = [item["id"] for item in listing["items"]]
    # One page per language, as for a French story: the original and its four copies.
    assert sorted(ids) == sorted(page.pk for page in copies.values())
    status, item = api(client, f"pages/{copies['fr'].pk}/")
    assert status == 200
    assert item["meta"]["locale"] == "fr", item["meta"]
    assert item["meta"]["alias_of"]["id"] == arabic_story.pk


@pytest.mark.django_db
def test_translating_the_arabic_story_into_french_turns_the_copy_into_the_translation(
    client, arabic_story, reviewer, django_capture_on_commit_callbacks
):
    copies = versions(arabic_story)
    french_locale = Locale.objects.get(language_code="fr")
    client.force_login(reviewer)
    with django_translation.override("fr"):
        response = client.post(
            f"/admin/localize/submit/page/{arabic_story.pk}/", {"locales": [french_locale.pk]}
        )
    assert response.status_code == 302, response.content.decode()[:500]
    french = Page.objects.get(translation_key=arabic_story.translation_key, locale=french_locale)
    assert french.pk == copies["fr"].pk and french.alias_of_id is None  # the copy, converted

    job = Translation.objects.get(source__object_id=arabic_story.translation_key)
    po = job.export_po()
    french_text = {
        "افتتاح الحديقة": "Le jardin ouvre",
        "الفقرة الأولى.": "Premier paragraphe.",
        "الفقرة الثانية.": "Second paragraphe.",
    }
    for entry in po:
        entry.msgstr = french_text.get(entry.msgid, entry.msgid)
    job.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        job.save_target(user=reviewer, publish=True)
    client.logout()

    french.refresh_from_db()  # its slug is translated too
    soup = soup_of(client.get(french.get_url()))
    assert soup.h1.get_text() == "Le jardin ouvre"
    assert soup.select_one(".notice--translation") is None
    assert soup.select_one('link[rel="canonical"]')["href"].endswith(french.get_url())
    hreflangs = {link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert hreflangs == {"fr", "ar", "x-default"}
    # The other copies still follow the Arabic original, and are listed once
    portuguese = soup_of(client.get(copies["pt"].get_url()))
    assert 'dir="rtl"' in str(portuguese.select_one("main div[lang='ar']"))
    french_listing = soup_of(client.get(copies["fr"].get_parent().get_url()))
    assert [a.get_text() for a in french_listing.select(".story-card h2 a")] == ["Le jardin ouvre"]
    assert french_listing.select_one(".card__language") is None

    # A new revision of the Arabic original reaches its copies, not the French translation.
    draft = arabic_story.get_latest_revision_as_object()
    draft.title = "افتتاح الحديقة الكبير"
    draft.save_revision().publish()
    assert Page.objects.get(pk=copies["en"].pk).title == "افتتاح الحديقة الكبير"
    assert Page.objects.get(pk=copies["fr"].pk).title == "Le jardin ouvre"


@pytest.mark.django_db
def test_stories_written_before_get_their_copies_once(story_index, campaign):
    arabic_index = story_index.get_translation(Locale.objects.get(language_code="ar"))
    story = StoryPageFactory(parent=arabic_index, title="قديمة", campaign=campaign)
    assert list(versions(story)) == ["ar"]  # as the space made them before

    assert alias_other_language_pages() == 4
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    assert all(page.alias_of_id == story.pk for code, page in copies.items() if code != "ar")
    assert alias_other_language_pages() == 0  # idempotent
    with CaptureQueriesContext(connection) as captured:
        alias_other_language_pages()
    assert len(captured) <= 3  # nothing to do costs next to nothing


@pytest.mark.django_db
def test_syncing_the_trees_never_copies_a_copy(story_index, campaign):
    """wagtail-localize's tree sync would alias a story written in Arabic from its French
    copy; the missing copies are made from the original."""
    arabic_index = story_index.get_translation(Locale.objects.get(language_code="ar"))
    story = StoryPageFactory(parent=arabic_index, title="قديمة", campaign=campaign)
    create_language_aliases(story)
    Page.objects.filter(translation_key=story.translation_key).exclude(
        locale__language_code__in=["ar", "fr"]
    ).delete()
    sync_all_trees()
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    assert {page.alias_of_id for code, page in copies.items() if code != "ar"} == {story.pk}


@pytest.mark.django_db
def test_a_page_created_in_the_admin_in_arabic_gets_its_copies(story_index, campaign):
    arabic_index = story_index.get_translation(Locale.objects.get(language_code="ar"))
    story = StoryPageFactory(parent=arabic_index, title="من لوحة الإدارة", campaign=campaign)
    for hook in hooks.get_hooks("after_create_page"):
        hook(None, story)
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    assert {page.alias_of_id for code, page in copies.items() if code != "ar"} == {story.pk}


@pytest.mark.django_db
def test_a_listing_mixing_languages_runs_a_fixed_number_of_queries(
    client, story_index, campaign, district
):
    arabic_index = story_index.get_translation(Locale.objects.get(language_code="ar"))
    english_index = story_index.get_translation(Locale.objects.get(language_code="en"))

    def add(count):
        for number in range(count):
            parent = [story_index, arabic_index, english_index][number % 3]
            story = StoryPageFactory(
                parent=parent, campaign=campaign, district=district, hero_image=ImageFactory()
            )
            create_language_aliases(story)

    def queries():
        client.get(story_index.get_url())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(story_index.get_url())
        cards = soup_of(response).select(".story-card")
        marks = [card for card in cards if card.select_one(".card__language")]
        return len(captured), len(marks)

    add(6)
    six, marks = queries()
    assert marks == 4  # the two Arabic and two English stories
    add(24)
    queries_then, marks = queries()
    assert queries_then == six and marks >= 4  # one page of cards, a third of them French


@pytest.mark.django_db
def test_the_demo_story_written_in_arabic_is_read_in_five_languages(client, demo_site):
    story = StoryPage.objects.get(slug=WRITTEN_IN_ARABIC["slug"], locale__language_code="ar")
    assert story.live and story.owner.username == DEMO_ARABIC_LEADER["username"]
    assert story.owner.leader_profile.language == "ar"
    copies = versions(story)
    assert sorted(copies) == sorted(LANGUAGES)
    for code, page in copies.items():
        soup = soup_of(client.get(page.get_url()))
        assert soup.h1.get_text() == WRITTEN_IN_ARABIC["title"]
        header = soup.select_one(".page-header").get_text()
        # The district and campaign are named in the reader's language
        assert ("باريس" in header) == (code == "ar"), (code, header)
        if code != "ar":
            assert page.alias_of_id == story.pk
            assert NOTICE[code] in soup.select_one(".notice--translation").get_text()
            assert soup.select_one('main div[lang="ar"][dir="rtl"]') is not None
        listing = soup_of(client.get(page.get_parent().get_url()))
        card = next(
            card
            for card in listing.select(".story-card")
            if card.h2.get_text() == WRITTEN_IN_ARABIC["title"]
        )
        assert (card.select_one(".card__language") is None) == (code == "ar")
        # The campaign is named in the reader's language (the Arabic one in Arabic only)
        meta = card.select_one(".card__meta").get_text()
        assert ("مقهى التصليح في بلفيل" in meta) == (code == "ar"), (code, meta)
        # the campaign's own translation (every demo campaign is in every language)
        assert REPAIR_CAFE_TITLE.get(code) in meta, (code, meta)
