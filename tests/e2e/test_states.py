"""The finishing states, in a browser at 360 and 1280 px, in French and Arabic: search results
(type, date, thumbnail), no result, a listing its filters leave empty, the 404 page. Each is
axe-clean, fits the screen without sideways scrolling, and is saved as a screenshot under
test-artifacts/ (states-<name>-<lang>-<width>.png)."""

import pytest

from tests.e2e.conftest import not_found_page
from tests.e2e.screens import shoot_and_check

pytestmark = pytest.mark.e2e

WIDTHS = [360, 1280]
LANGUAGES = ["fr", "ar"]
HEIGHT = 800
# "حديقة" (garden) is in the demo's Arabic story "الحديقة فتحت أبوابها" only as part of a word
SEARCHED = {"fr": "jardin", "ar": "حديقة"}
PAGES = {
    "search-results": "/{lang}/search/?q={query}",
    "search-empty": "/{lang}/search/?q=zzyzx",
    "listing-empty": "/{lang}/campagnes/?district=99999",
}


def open_at(new_page, width):
    return new_page(viewport={"width": width, "height": HEIGHT})


def check_and_shoot(page, artifacts_dir, name, lang, width):
    """Right language and direction, no sideways scrolling, axe-clean; then a screenshot."""
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shoot_and_check(page, artifacts_dir / f"states-{name}-{lang}-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_results_show_type_date_and_image(new_page, site_url, artifacts_dir, lang, width):
    page = open_at(new_page, width)
    page.goto(site_url + PAGES["search-results"].format(lang=lang, query=SEARCHED[lang]))
    items = page.locator(".result-item")
    assert items.count() > 0
    if lang == "ar":
        assert page.locator(".result-item__title", has_text="الحديقة فتحت أبوابها").count() == 1
    assert page.locator(".result-item__type").count() == items.count()
    assert page.locator(".result-item time").count() > 0
    thumbnails = page.locator(".result-item__image img")
    assert thumbnails.count() > 0
    assert thumbnails.first.get_attribute("loading") == "lazy"
    # a thumbnail sits beside its text, at the inline end, and never wider than a third
    first = page.locator(".result-item--with-image").first
    box, thumb = first.bounding_box(), first.locator(".result-item__image").bounding_box()
    assert thumb["width"] <= box["width"] / 3
    at_end = (
        thumb["x"] < box["x"] + box["width"] / 2
        if lang == "ar"
        else thumb["x"] > box["x"] + box["width"] / 2
    )
    assert at_end, (box, thumb)
    check_and_shoot(page, artifacts_dir, "search-results", lang, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_result_is_a_designed_state(new_page, site_url, artifacts_dir, lang, width):
    page = open_at(new_page, width)
    page.goto(site_url + PAGES["search-empty"].format(lang=lang))
    state = page.locator(".empty-state")
    assert state.locator(".empty-state__icon svg").is_visible()
    assert state.locator("h2").is_visible()
    links = state.locator(".empty-state__browse a")
    assert links.count() >= 3  # campaigns, stories, workshops…
    assert all(
        href.startswith(f"/{lang}/")
        for href in links.evaluate_all("a => a.map(e => e.getAttribute('href'))")
    )
    check_and_shoot(page, artifacts_dir, "search-empty", lang, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_empty_filtered_listing_leads_back_to_everything(
    new_page, site_url, artifacts_dir, lang, width
):
    page = open_at(new_page, width)
    page.goto(site_url + PAGES["listing-empty"].format(lang=lang))
    show_all = page.locator(".empty-state__action a")
    assert show_all.get_attribute("href") == f"/{lang}/campagnes/"
    assert page.locator(".filters__reset").get_attribute("href") == f"/{lang}/campagnes/"
    check_and_shoot(page, artifacts_dir, "listing-empty", lang, width)
    with page.expect_navigation():  # the listing loaded, not only its address committed
        show_all.click()
    assert page.url.endswith(f"/{lang}/campagnes/")
    assert page.locator(".card").count() > 0


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page(new_page, site_url, pytestconfig, artifacts_dir, lang, width):
    """The e2e server runs with DEBUG on (Django's technical 404): the real 404 page is
    rendered apart (conftest.not_found_page) and served to the browser in place of the server's
    answer; its styles and images still come from the server."""
    path = f"/{lang}/cette-page-n-existe-pas/"
    status, html = not_found_page(pytestconfig, path)
    assert status == 404
    page = open_at(new_page, width)
    page.route(
        site_url + path,
        lambda route: route.fulfill(
            status=404, body=html, headers={"Content-Type": "text/html; charset=utf-8"}
        ),
    )
    response = page.goto(site_url + path)
    assert response.status == 404
    assert page.locator("h1").inner_text() != "Page not found"  # in the reader's language
    assert page.locator(".not-found__art svg").is_visible()
    assert page.locator(".not-found__search input[type=search]").is_visible()
    links = page.locator(".not-found__links a").evaluate_all(
        "a => a.map(e => e.getAttribute('href'))"
    )
    assert links[0] == f"/{lang}/" and len(links) >= 4  # home, then the listings
    assert all(link.startswith(f"/{lang}/") for link in links)
    assert page.locator("script").count() == 0
    check_and_shoot(page, artifacts_dir, "not-found", lang, width)
