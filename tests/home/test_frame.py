"""The frame around pages: search, sitemap, robots.txt, blocks, settings, demo command."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import translation

from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page, Revision

import pytest
from bs4 import BeautifulSoup

from helpers import env
from home import blocks
from home.models import Footer, MainMenu

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_search_finds_pages_of_the_readers_language_only(client, demo_site):
    soup = BeautifulSoup(client.get("/en/search/", {"q": "workshops"}).content, "html.parser")
    titles = [link.get_text() for link in soup.select(".search-results a")]
    assert "Workshops" in titles
    assert all(link["href"].startswith("/en/") for link in soup.select(".search-results a"))


@pytest.mark.django_db
def test_search_with_bad_input_answers_400_with_a_translated_message(client, demo_site):
    response = client.get("/fr/search/", {"q": "x" * 201})
    assert response.status_code == 400
    error = BeautifulSoup(response.content, "html.parser").select_one("#search-error")
    assert "200" in error.get_text() and "recherche" in error.get_text().lower()
    # a nonsense page number shows a valid page instead of failing
    assert client.get("/fr/search/", {"q": "jardin", "page": "abc"}).status_code == 200
    assert client.get("/fr/search/", {"q": "jardin", "page": "999"}).status_code == 200
    assert client.post("/fr/search/", {"q": "jardin"}).status_code == 405


@pytest.mark.django_db
def test_sitemap_lists_every_language_with_alternates(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "xhtml": "http://www.w3.org/1999/xhtml",
    }
    urlset = ElementTree.fromstring(response.content)
    entries = urlset.findall("s:url", namespaces)
    locations = [entry.findtext("s:loc", namespaces=namespaces) for entry in entries]
    assert len(locations) == demo_site.count()
    for language in ("fr", "en", "ar", "pt", "zh-hans"):
        assert f"http://testserver/{language}/qui-sommes-nous/" in locations
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in entries[0].findall("xhtml:link", namespaces)
    }
    assert set(alternates) == {"fr", "en", "ar", "pt", "zh-hans"}  # the demo's languages
    assert alternates["ar"].startswith("http://testserver/ar/")


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client, demo_site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


@pytest.mark.django_db
def test_footer_shows_contact_details_and_translated_text(client, demo_site):
    soup = BeautifulSoup(client.get("/ar/").content, "html.parser")
    footer = soup.select_one("footer.site-footer")
    assert "bonjour@cocity.example" in footer.get_text()
    assert "منذ عام 2016" in footer.get_text()
    # one per language: fr, en, ar, pt, zh-hans
    assert MainMenu.objects.count() == 5 and Footer.objects.count() == 5


@pytest.mark.django_db
def test_userbar_is_shown_to_editors_only(client, admin_client, demo_site):
    assert b"w-userbar" not in client.get("/fr/").content
    assert b"w-userbar" in admin_client.get("/fr/").content


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_reset_rebuilds(demo_site):
    pages = sorted(Page.objects.values_list("locale__language_code", "url_path", "title"))
    revisions = Revision.objects.count()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "nothing to do" in output.getvalue()
    assert sorted(Page.objects.values_list("locale__language_code", "url_path", "title")) == pages
    assert Revision.objects.count() == revisions

    call_command("load_demo", "--reset", stdout=io.StringIO())
    rebuilt = sorted(Page.objects.values_list("locale__language_code", "url_path", "title"))
    assert [(lang, title) for lang, _path, title in rebuilt] == [
        (lang, title) for lang, _path, title in pages
    ]


@pytest.mark.django_db
def test_demo_admin_password_comes_from_the_environment(monkeypatch, demo_site):
    # the shared demo build made `admin` already (random password): load_demo makes it again
    get_user_model().objects.filter(username="admin").delete()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-demo-password-1")
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert authenticate(username="admin", password="a-demo-password-1") is not None
    assert "a-demo-password-1" not in output.getvalue()


@pytest.mark.parametrize(
    "block_class",
    [
        blocks.HeadingBlock,
        blocks.ParagraphBlock,
        blocks.CaptionedImageBlock,
        blocks.QuoteBlock,
        blocks.VideoBlock,
        blocks.CallToActionBlock,
        blocks.KeyFiguresBlock,
        blocks.FAQBlock,
    ],
)
def test_every_body_block_is_described_for_editors(block_class):
    meta = block_class().meta
    for attribute in ("icon", "label", "description", "template", "preview_value"):
        assert getattr(meta, attribute, None), f"{block_class.__name__} lacks {attribute}"
    assert (ROOT / "home" / "templates" / meta.template).exists()
    assert block_class.__doc__


@pytest.mark.django_db
@pytest.mark.parametrize("block", [blocks.CallToActionBlock(), blocks.LinkBlock()])
@pytest.mark.parametrize(
    ("with_page", "url", "message"),
    [
        (False, "", "Choose a page or enter an address."),
        (True, "https://cocity.example/", "Choose either a page or an address, not both."),
    ],
)
def test_links_need_a_page_or_an_address(block, with_page, url, message):
    page = Page.get_first_root_node() if with_page else None
    value = block.to_python({"label": "Go", "page": page and page.pk, "url": url})
    with pytest.raises(StructBlockValidationError) as error, translation.override("en"):
        block.clean(value)
    with translation.override("en"):
        assert [str(m) for m in error.value.block_errors["page"]] == [message]


@pytest.mark.django_db
def test_valid_links_pass_and_external_links_need_a_text():
    link = blocks.LinkBlock()
    assert link.clean(link.to_python({"label": "", "page": Page.get_first_root_node().pk}))
    with pytest.raises(StructBlockValidationError) as error:
        link.clean(link.to_python({"label": "", "url": "https://cocity.example/"}))
    assert "label" in error.value.block_errors


def test_image_block_requires_alt_text():
    block = blocks.CaptionedImageBlock()
    with pytest.raises(Exception) as error:
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))
    assert "alt_text" in str(error.value.block_errors)


def test_env_required_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("SOME_MISSING_VARIABLE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_MISSING_VARIABLE"):
        env.required("SOME_MISSING_VARIABLE")


def _production_check(**overrides):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in set(PRODUCTION_REQUIRED) | {"PAYMENT_BACKEND"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cocity.settings.production",
        SECRET_KEY="k7#Qz!v9Lm2@pX4&rT8^wY1*bN6(cD3)eF5_gH0+jK-sA=uI~oP",
        ALLOWED_HOSTS="cocity.example",
        DATABASE_URL="postgres://cocity:secret@db.internal:5432/cocity",
        REDIS_URL="redis://cache.internal:6379/0",
        STRIPE_SECRET_KEY="sk_live_placeholder",
        STRIPE_WEBHOOK_SECRET="whsec_placeholder",
    )
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_demo_checkout():
    result = _production_check(PAYMENT_BACKEND="demo")
    assert result.returncode != 0
    assert "PAYMENT_BACKEND must be 'stripe' in production" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _production_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
]


@pytest.mark.parametrize("missing", PRODUCTION_REQUIRED)
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = _production_check(**{missing: None})
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_env_example_documents_every_variable_the_code_reads():
    read = set()
    for path in [*ROOT.glob("cocity/**/*.py"), *ROOT.glob("*/management/**/*.py")]:
        source = path.read_text()
        read |= set(re.findall(r'env\.(?:get|required|boolean|listing)\(\s*"([A-Z_]+)"', source))
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    read |= set(re.findall(r'(?:environ\.get|_setting)\("([A-Z_]+)"', gunicorn))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GUNICORN_WORKERS"} <= read
    assert read <= documented, read - documented
