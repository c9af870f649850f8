"""A story's layout (issue 14, "Layout slips"): its hero photo is not repeated in its gallery
(a leader's story keeps its first photo as both), and its quote draws one bar."""

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from home.factories import ImageFactory
from home.locales import create_language_aliases
from stories.factories import StoryPageFactory


def main_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").select_one("main")


def shown(main, image):
    """How many <img> of ``main`` show ``image`` (its renditions carry its file's name)."""
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return sum(1 for img in main.select("img") if f"/{stem}." in img["src"])


def gallery(*photos):
    return (
        "gallery",
        {
            "heading": "Le chantier en images",
            "images": [{"image": image, "alt_text": alt, "caption": ""} for image, alt in photos],
        },
    )


@pytest.fixture
def photos(db):
    return {
        name: ImageFactory(file__filename=f"{name}-photo.jpg")
        for name in ("hero", "beds", "school")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_hero_photo_is_not_repeated_in_the_gallery(client, story_index, photos, lang):
    hero, beds, school = photos["hero"], photos["beds"], photos["school"]
    story = StoryPageFactory(
        parent=story_index,
        slug="jardin-ouvert",
        hero_image=hero,
        hero_image_alt="Le jardin vu de la rue",
        body=[
            ("paragraph", "<p>Douze bacs.</p>"),
            gallery((hero, "Le jardin vu de la rue"), (beds, "Les bacs"), (school, "L'école")),
        ],
    )
    create_language_aliases(story)
    version = story.get_translation(Locale.objects.get(language_code=lang))
    main = main_of(client, version.get_url())
    assert main.find_parent("html")["lang"] == lang
    assert shown(main, hero) == 1  # the hero, above the text
    assert main.select_one("img.story__image") is not None
    assert shown(main.select_one(".gallery"), hero) == 0
    assert [img["alt"] for img in main.select(".gallery img")] == ["Les bacs", "L'école"]
    assert shown(main, beds) == shown(main, school) == 1


@pytest.mark.django_db
def test_a_gallery_of_the_hero_alone_is_not_shown(client, story_index, photos):
    hero = photos["hero"]
    story = StoryPageFactory(
        parent=story_index,
        slug="une-photo",
        hero_image=hero,
        body=[("paragraph", "<p>Une photo.</p>"), gallery((hero, "Le jardin"))],
    )
    main = main_of(client, story.get_url())
    assert shown(main, hero) == 1
    assert main.select(".gallery") == []
    assert "Le chantier en images" not in main.get_text()


@pytest.mark.django_db
def test_a_gallery_without_the_hero_shows_every_photo(client, story_index, photos):
    hero, beds, school = photos["hero"], photos["beds"], photos["school"]
    with_hero = StoryPageFactory(
        parent=story_index,
        slug="sans-hero",
        hero_image=hero,
        body=[gallery((beds, "Les bacs"), (school, "L'école"))],
    )
    without_hero = StoryPageFactory(
        parent=story_index,
        slug="sans-image",
        body=[gallery((beds, "Les bacs"))],
    )
    main = main_of(client, with_hero.get_url())
    assert [img["alt"] for img in main.select(".gallery img")] == ["Les bacs", "L'école"]
    main = main_of(client, without_hero.get_url())
    assert [img["alt"] for img in main.select(".gallery img")] == ["Les bacs"]


@pytest.mark.django_db
def test_a_quote_is_one_figure_not_nested_in_a_namesake(client, story_index):
    """The body's wrapper <div class="block-quote"> is not the quote: only .quote draws the
    bar (tests/e2e/test_layout_slips.py measures it)."""
    story = StoryPageFactory(
        parent=story_index,
        slug="citation",
        body=[("quote", {"quote": "Le jardin, c'est la place du quartier.", "attribution": "Awa"})],
    )
    main = main_of(client, story.get_url())
    (quote,) = main.select("figure.quote")
    assert quote.select_one("blockquote").get_text(strip=True).startswith("Le jardin")
    assert not main.select(".block-quote .block-quote, figure.block-quote")
