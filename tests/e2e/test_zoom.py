"""Every page type at 200 % text on a 320 px wide screen, in French and Arabic: nothing makes
the page scroll sideways (WCAG 1.4.4 and 1.4.10).

"200 % text" is the browser's own font-size setting at 32 px (Chromium's default is 16 px),
set through the DevTools protocol as a reader sets it in the browser's preferences: the
site's rem-based sizes and its media queries both follow it. A <style> added by the test would
be refused by the site's Content-Security-Policy anyway.

Each page is saved as test-artifacts/zoom-<page>-<lang>.png.
"""

import re

import pytest

from tests.e2e.conftest import not_found_page
from tests.e2e.test_giving import (
    campaign_path,
    fill_form,
    open_form_from_block,
    pay_on_demo_checkout,
)
from workshops import demo as workshops_demo

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
TEXT_SIZE = 32  # px: twice Chromium's default

PAGES = [
    ("home", "/{lang}/"),
    ("campaigns", "/{lang}/campagnes/"),
    ("campaign", "/{lang}/campagnes/jardin-des-couronnes/"),
    ("stories", "/{lang}/histoires/"),
    ("story", "/{lang}/histoires/le-jardin-a-ouvert/"),
    ("workshops", "/{lang}/ateliers/"),
    # the workshop page; its registration form is on its copy at /workshops/<id>/register/
    ("workshop", f"/{{lang}}/ateliers/{workshops_demo.OPEN}/"),
    ("search", "/{lang}/search/?q=jardin"),
    ("privacy", "/{lang}/confidentialite/"),
    ("leader-login", "/{lang}/space/login/"),
    ("impact", "/{lang}/impact/"),
]
LANGUAGES = ["fr", "ar"]

# Elements wider than the screen, for the failure message: those not inside something that
# clips or scrolls them, a fixed bar (which never scrolls the page) or a closed disclosure.
OVERFLOWING = """() => {
    const width = window.innerWidth;
    const found = [];
    const containedBy = (el) => {
        for (let node = el; node && node !== document.body; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.position === 'fixed') return true;
            if (node !== el && style.overflowX !== 'visible') return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (!box.width || (box.right <= width + 0.5 && box.left >= -0.5)) continue;
        if (!el.checkVisibility() || containedBy(el)) continue;
        found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
                   `[${Math.round(box.left)}, ${Math.round(box.right)}] ` +
                   `"${(el.innerText || '').trim().slice(0, 40)}"`);
    }
    return found.slice(0, 12);
}"""


def enlarge_text(page):
    """Set the browser's default font size to TEXT_SIZE px (its "200 %" setting)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": TEXT_SIZE, "fixed": TEXT_SIZE}})
    return cdp


def assert_no_sideways_scrolling(page, artifacts_dir, name, lang):
    root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert root == f"{TEXT_SIZE}px", f"the text is not at 200 %: root font size {root}"
    assert page.get_attribute("html", "lang") == lang
    page.screenshot(path=artifacts_dir / f"zoom-{name}-{lang}.png", full_page=True)
    sizes = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
                   body: document.body.scrollWidth})"""
    )
    assert sizes["viewport"] == NARROW["width"], sizes
    assert sizes["scroll"] <= sizes["viewport"] and sizes["body"] <= sizes["viewport"], (
        f"{page.url} scrolls sideways at 200 % text, 320 px wide: {sizes}\n"
        + "\n".join(page.evaluate(OVERFLOWING))
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_320_px_at_200_percent_text(new_page, site_url, artifacts_dir, name, path, lang):
    page = new_page(viewport=NARROW)
    enlarge_text(page)
    response = page.goto(site_url + path.format(lang=lang))
    assert response.ok, f"{path.format(lang=lang)} answered {response.status}"
    assert_no_sideways_scrolling(page, artifacts_dir, name, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_giving_pages_fit_320_px_at_200_percent_text(new_page, site_url, artifacts_dir, lang):
    """The donation form, then (after paying on the demo checkout) the thank-you page."""
    page = new_page(viewport=NARROW)
    page.goto(site_url + campaign_path(lang))
    # Chosen at 100 % text: at 200 % the campaign's fixed give bar covers the block's amount
    # buttons when the browser scrolls them to the bottom of the screen.
    form = open_form_from_block(page, site_url, lang)
    enlarge_text(page)
    page.reload()
    assert_no_sideways_scrolling(page, artifacts_dir, "donate", lang)

    fill_form(
        form, name="Zoom", email="zoom@example.org", display="anonymous", message="", consent=True
    )
    pay_on_demo_checkout(page, site_url, lang)
    assert_no_sideways_scrolling(page, artifacts_dir, "thanks", lang)


@pytest.fixture(scope="module")
def not_found_pages(site_url, pytestconfig):
    """The site's own 404 page in each language, as the production settings serve it."""
    pages = {}
    for lang in LANGUAGES:
        status, html = not_found_page(pytestconfig, f"/{lang}/no-such-page/")
        assert status == 404, status
        pages[lang] = html
    return pages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_fits_320_px_at_200_percent_text(
    new_page, site_url, artifacts_dir, not_found_pages, lang
):
    page = new_page(viewport=NARROW)
    enlarge_text(page)
    # Loaded under the site's address so that its stylesheets and links resolve.
    page.route(
        re.compile(re.escape(site_url) + r"/[a-z-]+/no-such-page/$"),
        lambda route: route.fulfill(
            status=404, content_type="text/html; charset=utf-8", body=not_found_pages[lang]
        ),
    )
    response = page.goto(f"{site_url}/{lang}/no-such-page/")
    assert response.status == 404
    assert page.locator("main h1").inner_text().strip()
    assert_no_sideways_scrolling(page, artifacts_dir, "404", lang)
