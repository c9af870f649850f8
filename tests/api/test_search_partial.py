"""The API's page search finds parts of words as the site's search does (Chinese has no
spaces, Arabic attaches its article), among the pages the public may see only, keeping the
listing's filters, order and operator. Runs on SQLite and PostgreSQL."""

from wagtail.models import Locale, PageViewRestriction

import pytest

from home.locales import create_language_aliases
from stories.factories import StoryIndexPageFactory, StoryPageFactory


@pytest.fixture
def index(home_page):
    listing = StoryIndexPageFactory(parent=home_page)
    create_language_aliases(listing)
    return listing


def story(index, language, title, **fields):
    locale = Locale.objects.get(language_code=language)
    return StoryPageFactory(
        parent=index.get_translation(locale),
        locale=locale,
        title=title,
        introduction=fields.pop("introduction", title),
        **fields,
    )


def titles(client, **params):
    response = client.get("/api/v2/pages/", {"limit": 50, **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_chinese_and_arabic_words_are_found_inside_longer_words(client, index):
    story(index, "zh-hans", "社区共享花园项目介绍")
    story(index, "zh-hans", "修理咖啡馆")
    story(index, "ar", "الحديقة فتحت أبوابها")
    story(index, "ar", "مقهى الإصلاح")
    assert titles(client, search="花园", locale="zh-hans") == ["社区共享花园项目介绍"]
    assert titles(client, search="حديقة", locale="ar") == ["الحديقة فتحت أبوابها"]
    # the type filter and its fields are kept
    found = client.get(
        "/api/v2/pages/", {"search": "花园", "type": "stories.StoryPage", "fields": "date"}
    ).json()
    assert [item["title"] for item in found["items"]] == ["社区共享花园项目介绍"]
    assert found["meta"]["total_count"] == 1 and "date" in found["items"][0]


@pytest.mark.django_db
def test_whole_words_first_then_parts_and_the_asked_order_kept(client, index):
    story(index, "fr", "Jardinage pour débutants")
    story(index, "fr", "Le jardin partagé")
    story(index, "fr", "Apprendre le jardinage")
    assert titles(client, search="jardin", locale="fr")[0] == "Le jardin partagé"
    assert titles(client, search="jardin", locale="fr", order="-title") == [
        "Le jardin partagé",
        "Jardinage pour débutants",
        "Apprendre le jardinage",
    ]


@pytest.mark.django_db
def test_operator_and_needs_every_word_or_needs_one(client, index):
    story(index, "zh-hans", "社区花园")
    story(index, "zh-hans", "社区咖啡馆")
    assert titles(client, search="花园 咖啡", locale="zh-hans") == []
    assert sorted(titles(client, search="花园 咖啡", locale="zh-hans", search_operator="or")) == [
        "社区咖啡馆",
        "社区花园",
    ]


@pytest.mark.django_db
def test_a_part_of_a_word_finds_no_page_the_public_may_not_see(client, index):
    story(index, "zh-hans", "公开的花园")
    story(index, "zh-hans", "草稿的花园", live=False)
    private = story(index, "zh-hans", "私密的花园")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert titles(client, search="花园") == ["公开的花园"]
    assert titles(client, search="私密") == []
