"""Search finds parts of words (Chinese has no spaces, Arabic attaches its article), only
among the pages the public may see, and shows each result with its type, date and image, in
a number of queries that does not grow with the results. Runs on SQLite and PostgreSQL."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from home.factories import ImageFactory
from home.locales import create_language_aliases
from home.search import arabic_stem, partial_words
from stories.factories import StoryPageFactory


@pytest.fixture
def image(db):
    return ImageFactory()


def story(story_index, language, title, introduction="", **fields):
    """A live story written in ``language``, under the listing of that language."""
    locale = Locale.objects.get(language_code=language)
    return StoryPageFactory(
        parent=story_index.get_translation(locale),
        locale=locale,
        title=title,
        introduction=introduction or title,
        **fields,
    )


def found(client, language, query):
    """The titles the search page of ``language`` lists for ``query``."""
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.get_text() for link in soup.select(".search-results .result-item__title a")]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الحديقة", "حديقة"),
        ("والحديقة", "حديقة"),
        ("للحديقة", "حديقة"),
        ("بالحديقة", "حديقة"),
        ("وحديقة", "حديقة"),
        ("حديقة", "حديقة"),
        ("ورشة", "ورشة"),  # a word that only begins like a proclitic stays whole
        ("الى", "الى"),  # too short to lose its first letters
    ],
)
def test_arabic_words_lose_their_article_and_proclitics(word, stem):
    assert arabic_stem(word) == stem


def test_partial_words_are_bounded():
    assert partial_words("a") == []
    assert partial_words("花") == []
    assert partial_words("花园") == ["花园"]
    assert partial_words("الحديقة jardin jardin") == ["حديقة", "jardin"]
    assert len(partial_words(" ".join(f"w{n}" for n in range(20)))) == 8


@pytest.mark.django_db
def test_chinese_finds_a_word_inside_a_title_and_a_text(client, story_index):
    story(story_index, "zh-hans", "社区共享花园项目介绍")
    story(story_index, "zh-hans", "项目介绍", introduction="今年春天，社区共享花园开放了。")
    story(story_index, "zh-hans", "修理咖啡馆")
    titles = found(client, "zh-hans", "花园")
    # the title match first, then the one with the word in its text; no other story
    assert titles == ["社区共享花园项目介绍", "项目介绍"]
    assert found(client, "zh-hans", "咖啡") == ["修理咖啡馆"]


@pytest.mark.django_db
def test_arabic_finds_words_with_or_without_their_article(client, story_index):
    story(story_index, "ar", "الحديقة فتحت أبوابها")
    story(story_index, "ar", "حديقة جديدة في الحي")
    story(story_index, "ar", "مقهى الإصلاح")
    assert sorted(found(client, "ar", "حديقة")) == ["الحديقة فتحت أبوابها", "حديقة جديدة في الحي"]
    assert sorted(found(client, "ar", "الحديقة")) == sorted(found(client, "ar", "حديقة"))
    assert found(client, "ar", "والإصلاح") == ["مقهى الإصلاح"]


@pytest.mark.django_db
def test_whole_words_come_first_and_no_page_twice(client, story_index):
    story(story_index, "fr", "Jardinage pour débutants")
    story(story_index, "fr", "Le jardin partagé")
    titles = found(client, "fr", "jardin")
    # "jardin" is a whole word (the backend's) of one and part of a word of the other
    assert titles == ["Le jardin partagé", "Jardinage pour débutants"]
    assert sorted(found(client, "fr", "jard")) == ["Jardinage pour débutants", "Le jardin partagé"]


@pytest.mark.django_db
def test_search_finds_only_what_the_public_may_see(client, story_index):
    story(story_index, "zh-hans", "公开的花园")
    story(story_index, "zh-hans", "草稿的花园", live=False)
    private = story(story_index, "zh-hans", "私密的花园")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    story(story_index, "fr", "Le jardin 花园 en français")  # another language
    assert found(client, "zh-hans", "花园") == ["公开的花园"]
    assert found(client, "zh-hans", "私密") == []


@pytest.mark.django_db
def test_a_result_shows_its_type_date_summary_and_image(client, story_index, image, campaign):
    potager = story(
        story_index,
        "fr",
        "Le potager a donné",
        introduction="Premières récoltes au potager.",
        date=datetime.date(2026, 6, 14),
        hero_image=image,
        hero_image_alt="Des tomates",
    )
    create_language_aliases(potager)  # its copies in every other language
    response = client.get("/fr/search/", {"q": "potager"})
    item = BeautifulSoup(response.content, "html.parser").select_one(".result-item")
    assert item.select_one(".result-item__type").get_text() == "Histoire"
    assert item.select_one("time")["datetime"] == "2026-06-14"
    assert item.select_one("time").get_text() == "14 juin 2026"
    response = client.get("/zh-hans/search/", {"q": "potager"})  # the French page's copy
    item = BeautifulSoup(response.content, "html.parser").select_one(".result-item")
    assert item.select_one("time").get_text() == "2026年6月14日"  # CLDR, not "14 六月 2026"
    assert "Premières récoltes" in item.select_one(".result-item__summary").get_text()
    thumbnail = item.select_one(".result-item__image img")
    assert thumbnail["alt"] == "" and thumbnail["loading"] == "lazy"  # decorative
    assert item.select(".result-item__image source")  # WebP and JPEG renditions

    response = client.get("/ar/search/", {"q": campaign.title.split()[-1]})
    item = BeautifulSoup(response.content, "html.parser").select_one(".result-item")
    assert item.select_one(".result-item__type").get_text() == "حملة"
    # an untranslated copy says which language its title is in
    assert item.select_one(".result-item__title")["lang"] == "fr"


@pytest.mark.django_db
def test_no_result_is_a_designed_state_with_places_to_go(client, story_index):
    response = client.get("/fr/search/", {"q": "introuvable"})
    soup = BeautifulSoup(response.content, "html.parser")
    state = soup.select_one(".empty-state")
    assert state.select_one("svg[aria-hidden]") is None  # the icon's wrapper hides it
    assert state.select_one(".empty-state__icon[aria-hidden=true] svg")
    assert state.select_one(".empty-state__heading").get_text().strip()
    links = [link["href"] for link in state.select(".empty-state__browse a")]
    assert story_index.url in links


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_results(client, story_index, image):
    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            titles = found(client, "zh-hans", "花园")
        assert len(titles) == count
        return len(captured)

    story(story_index, "zh-hans", "花园 1", hero_image=image)
    story(story_index, "zh-hans", "社区花园 2")
    queries(2)  # renditions made once, for every later request
    few = queries(2)
    for number in range(3, 10):
        story(story_index, "zh-hans", f"社区花园 {number}", hero_image=image)
    assert queries(9) == few
