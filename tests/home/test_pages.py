"""Page types: render, SEO fields, bounded query counts, featured sections."""

import importlib
import importlib.util

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

import wagtail_factories
from wagtail.models import Locale, Page, Site

import pytest
from bs4 import BeautifulSoup

from helpers import featured
from home.factories import HomePageFactory, ImageFactory, StandardPageFactory
from home.locales import create_language_aliases


@pytest.fixture
def home(db):
    """A French home page as the default site's root, with its aliases in every language."""
    root = Page.get_first_root_node()
    page = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.filter(is_default_site=True).update(root_page=page)
    create_language_aliases(page)
    return page


BLOCK_KINDS = ["heading", "paragraph", "image", "quote", "key_figures", "faq", "call_to_action"]


def block_of(kind, index, images, target):
    """One block of ``kind``; images and CTA targets differ from block to block."""
    if kind == "heading":
        return (kind, {"text": f"Section {index}", "level": "h2"})
    if kind == "paragraph":
        return (kind, f"<p>Paragraphe {index}</p>")
    if kind == "image":
        return (kind, {"image": images[index], "alt_text": f"Image {index}", "caption": "x"})
    if kind == "quote":
        return (kind, {"quote": "Ensemble", "attribution": "Awa"})
    if kind == "key_figures":
        return (kind, {"heading": "", "figures": [{"value": "94 %", "label": "ok"}]})
    if kind == "faq":
        item = {"question": "Pourquoi ?", "answer": "<p>Parce que.</p>"}
        return (kind, {"heading": "FAQ", "items": [item]})
    return (kind, {"label": "Go", "page": target, "url": "", "text": ""})


def render_queries(client, page, language="fr"):
    """Render ``page`` twice (the first render creates image renditions) and return the
    number of queries of the second render."""
    url = page.get_url()
    if language != "fr":
        url = page.get_translation(Locale.objects.get(language_code=language)).get_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def images(db):
    return [ImageFactory() for _index in range(30)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "pt"])
@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_render_cost_does_not_grow_with_blocks_or_images(client, home, images, kind, language):
    targets = [StandardPageFactory(parent=home) for _index in range(30)]
    for target in targets:
        create_language_aliases(target)
    counts = {}
    for size in (3, 30):
        body = [block_of(kind, index, images, targets[index]) for index in range(size)]
        page = StandardPageFactory(parent=home, body=body)
        create_language_aliases(page)
        counts[size] = render_queries(client, page, language)
    assert counts[3] == counts[30], counts
    assert counts[30] <= 25, counts


@pytest.mark.django_db
def test_render_cost_of_a_page_mixing_every_block_type(client, home, images):
    target = StandardPageFactory(parent=home)
    counts = {}
    for size in (len(BLOCK_KINDS), 30):
        body = [
            block_of(BLOCK_KINDS[index % len(BLOCK_KINDS)], index, images, target)
            for index in range(size)
        ]
        counts[size] = render_queries(client, StandardPageFactory(parent=home, body=body))
    assert counts[len(BLOCK_KINDS)] == counts[30], counts


@pytest.mark.django_db
def test_home_page_renders_hero_key_figures_and_body(client, home):
    home.hero_image = ImageFactory()
    home.hero_image_alt = "Un jardin"
    home.key_figures = [("figure", {"figure": "people", "label": "personnes ont donné"})]
    home.body = [("heading", {"text": "Comment ça marche ?", "level": "h2"})]
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/fr/").content, "html.parser")
    assert soup.h1.get_text() == home.hero_heading
    assert soup.select_one(".hero img")["alt"] == "Un jardin"
    assert soup.select_one(".hero source[type='image/webp']") is not None
    assert soup.select_one(".key-figures").get_text().split() == ["0", "personnes", "ont", "donné"]
    assert soup.select_one(".stream h2").get_text() == "Comment ça marche ?"


@pytest.mark.django_db
def test_seo_fields_reach_the_head(client, home):
    page = StandardPageFactory(
        parent=home,
        seo_title="Titre pour les moteurs",
        search_description="Description courte",
        social_image=ImageFactory(),
    )
    soup = BeautifulSoup(client.get(page.get_url()).content, "html.parser")
    assert soup.title.get_text().startswith("Titre pour les moteurs")
    assert soup.select_one('meta[name="description"]')["content"] == "Description courte"
    assert soup.select_one('meta[property="og:image"]')["content"].startswith("http://testserver/")
    assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"


@pytest.mark.django_db
def test_featured_sections_come_from_registered_providers(client, home):
    def provider(home_page, request):
        return featured.FeaturedSection(
            key="campaigns",
            heading="Campagnes à soutenir",
            items=[featured.FeaturedItem(title="Jardin des Couronnes", url="/fr/jardin/")],
        )

    featured.register("test-campaigns", provider)
    try:
        soup = BeautifulSoup(client.get("/fr/").content, "html.parser")
    finally:
        featured.unregister("test-campaigns")
    section = soup.select_one("section.featured")
    assert section.h2.get_text() == "Campagnes à soutenir"
    assert section.select_one(".card a")["href"] == "/fr/jardin/"
    # and without a provider, no empty section is left behind
    soup = BeautifulSoup(client.get("/fr/").content, "html.parser")
    assert soup.select_one("section.featured") is None


@pytest.mark.django_db
def test_every_page_type_renders_in_every_language(client, home):
    for factory in (StandardPageFactory,):
        page = factory(parent=home)
        create_language_aliases(page)
        for version in page.get_translations(inclusive=True):
            assert client.get(version.get_url()).status_code == 200
    for version in home.get_translations(inclusive=True):
        assert client.get(version.get_url()).status_code == 200


def test_every_page_type_has_a_factory():
    project_apps = {"home", "campaigns", "donations", "stories", "workshops"}
    factory_modules = [
        importlib.import_module(f"{app}.factories")
        for app in sorted(project_apps)
        if importlib.util.find_spec(f"{app}.factories")
    ]
    page_models = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label in project_apps
    }
    assert page_models, "no page types found"
    factory_models = {
        factory._meta.model
        for module in factory_modules
        for factory in vars(module).values()
        if isinstance(factory, type)
        and issubclass(factory, wagtail_factories.PageFactory)
        and factory is not wagtail_factories.PageFactory
    }
    assert page_models <= factory_models, page_models - factory_models
