"""The compact frame on a 360 × 800 phone: a short header, content a few key presses away,
language and search choices that open without JavaScript, axe clean.

Screenshots of the header, closed and with each disclosure open, at 360 and 1280 px:
test-artifacts/frame-<lang>-<width>-<state>.png.
"""

import re

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
MAX_HEADER_HEIGHT = 200  # px, on the phone
MAX_TABS_AFTER_SKIP_LINK = 3
ALL_LANGUAGES = ["fr", "ar", "en", "pt", "zh-hans"]
PAGE = "/{lang}/qui-sommes-nous/"
HOME = "/{lang}/"  # with links in its content, for the Tab walks


def header_box(page):
    return page.locator("header.site-header").bounding_box()


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_header_is_at_most_200_px_high_on_a_phone(new_page, site_url, lang):
    page = new_page(viewport=PHONE)
    page.goto(f"{site_url}/{lang}/")
    assert page.get_attribute("html", "lang") == lang
    box = header_box(page)
    assert box["height"] <= MAX_HEADER_HEIGHT, f"the header is {box['height']} px high in {lang}"
    # Every link of the main menu is in the header, on one row that scrolls by itself.
    menu = page.locator("header.site-header nav.main-menu a")
    assert menu.count() >= 3
    tops = {round(box["y"]) for box in (link.bounding_box() for link in menu.all())}
    assert len(tops) == 1, f"the menu links are on {len(tops)} rows"
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["viewport"], f"the page scrolls sideways: {sizes}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_brand_starts_the_header_in_the_reading_direction(new_page, site_url, lang):
    page = new_page(viewport=PHONE)
    page.goto(f"{site_url}/{lang}/")
    brand = page.locator(".site-header__brand").bounding_box()
    language = page.locator(".language-switcher summary").bounding_box()
    if lang == "ar":
        assert brand["x"] > language["x"], (brand, language)
        assert PHONE["width"] - (brand["x"] + brand["width"]) <= 20, brand
    else:
        assert brand["x"] < language["x"], (brand, language)
        assert brand["x"] <= 20, brand
    # Brand, language and search share the first row.
    search = page.locator(".site-search summary").bounding_box()
    rows = {round(box["y"] + box["height"] / 2) for box in (brand, language, search)}
    assert max(rows) - min(rows) <= 4, (brand, language, search)


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), cls: el.className, id: el.id,
                    inMain: document.getElementById('main-content').contains(el)
                            && el.id !== 'main-content'};
        }"""
    )


def tabs_to_main(page, limit):
    """Press Tab until the focus is on something inside the main content; return how many
    presses that took, or None after ``limit`` presses."""
    for tabs in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page)["inMain"]:
            return tabs
    return None


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_tab_count_to_content_after_the_skip_link(new_page, site_url, lang):
    page = new_page(viewport=PHONE)
    page.goto(site_url + HOME.format(lang=lang))
    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip-link", f"the first Tab focused {focused(page)}"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main-content'", timeout=5000)
    tabs = tabs_to_main(page, MAX_TABS_AFTER_SKIP_LINK)
    assert tabs is not None, (
        f"{MAX_TABS_AFTER_SKIP_LINK} Tabs after the skip link, focus is on {focused(page)}"
    )
    print(f"{lang}: content reached {tabs} Tab(s) after the skip link")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_without_the_skip_link_the_header_is_a_short_tab_walk(new_page, site_url, lang):
    """Skipping the skip link: skip link, brand, the menu's links, language, search, then
    the content — nothing hidden in a closed disclosure takes a Tab."""
    page = new_page(viewport=PHONE)
    page.goto(site_url + HOME.format(lang=lang))
    menu_links = page.locator("header nav.main-menu a").count()
    expected = 1 + 1 + menu_links + 2 + 1
    tabs = tabs_to_main(page, expected + 1)
    assert tabs == expected, (tabs, expected, focused(page))


@pytest.mark.parametrize(("lang", "other"), [("fr", "ar"), ("ar", "fr")])
def test_language_and_search_open_without_javascript(new_page, site_url, lang, other):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(site_url + PAGE.format(lang=lang))

    switcher = page.locator("nav.language-switcher details")
    summary = switcher.locator("summary")
    label = summary.get_attribute("aria-label")
    assert label and re.search(r"[\u0600-\u06FF]" if lang == "ar" else "français", label), label
    link = switcher.locator(f"a[hreflang='{other}']")
    assert link.get_attribute("lang") == other
    assert link.is_hidden(), "the language list shows before it is opened"
    summary.click()
    assert switcher.get_attribute("open") is not None
    assert link.is_visible()
    current = switcher.locator("a[aria-current='true']")
    assert current.get_attribute("hreflang") == lang
    # The open list stays on the screen and the page does not scroll sideways.
    panel = switcher.locator("ul").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"], panel
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    link.click()
    page.wait_for_url(site_url + PAGE.format(lang=other))
    assert page.get_attribute("html", "lang") == other
    assert page.locator("nav.language-switcher details").get_attribute("open") is None

    search = page.locator("details.site-search")
    field = search.locator("input[type='search']")
    assert field.is_hidden()
    search.locator("summary").click()
    assert field.is_visible()
    box = search.locator("form").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    field.fill("jardin")
    field.press("Enter")
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{other}/search/\?q=jardin$"))
    assert page.get_attribute("html", "lang") == other


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_frame_is_axe_clean_closed_and_open(new_page, site_url, lang):
    page = new_page(viewport=PHONE)
    page.goto(site_url + PAGE.format(lang=lang))
    assert_no_serious_axe_violations(page)
    page.locator("nav.language-switcher summary").click()
    page.locator(".site-search summary").click()
    assert_no_serious_axe_violations(page)


def shoot_header(page, path, viewport):
    page.screenshot(path=path, clip={"x": 0, "y": 0, "width": viewport["width"], "height": 480})


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_header_screenshots_closed_and_open(new_page, site_url, artifacts_dir, lang, viewport):
    page = new_page(viewport=viewport)
    page.goto(site_url + PAGE.format(lang=lang))
    name = f"frame-{lang}-{viewport['width']}"
    shoot_header(page, artifacts_dir / f"{name}-closed.png", viewport)
    if viewport == DESKTOP:
        # Everything on one row: brand, menu, language, search.
        rows = {
            round(box["y"] + box["height"] / 2)
            for box in (
                page.locator(selector).bounding_box()
                for selector in (
                    ".site-header__brand",
                    "nav.main-menu a >> nth=0",
                    ".language-switcher summary",
                    ".site-search summary",
                )
            )
        }
        assert max(rows) - min(rows) <= 4, rows
    page.locator("nav.language-switcher summary").click()
    shoot_header(page, artifacts_dir / f"{name}-language.png", viewport)
    page.locator("nav.language-switcher summary").click()
    page.locator(".site-search summary").click()
    page.locator(".site-search input").focus()
    shoot_header(page, artifacts_dir / f"{name}-search.png", viewport)
