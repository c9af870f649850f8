"""The page frame in a real browser: no JavaScript needed, keyboard, phone width, fallback pages."""

import re

import pytest

from campaigns.news_demo import NEWS

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def test_language_switcher_works_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(site_url + "/fr/")
    assert page.get_attribute("html", "dir") == "ltr"

    arabic = page.locator("nav.language-switcher a[hreflang='ar']")
    assert arabic.get_attribute("lang") == "ar"
    assert re.search(r"[\u0600-\u06FF]", arabic.text_content()), "the Arabic link is not in Arabic"
    # The languages are behind a <details> disclosure: its summary opens it.
    page.locator("nav.language-switcher summary").click()
    arabic.click()

    page.wait_for_url(site_url + "/ar/")
    assert page.locator("html[lang='ar'][dir='rtl']").count() == 1
    current = page.locator("nav.language-switcher a[aria-current='true']")
    assert current.get_attribute("hreflang") == "ar"


def test_faq_opens_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(site_url + "/fr/questions-frequentes/")
    item = page.locator("details.faq__item").first
    answer = item.locator(".faq__answer")
    assert item.get_attribute("open") is None
    assert answer.is_hidden(), "the FAQ answer is visible before the question is opened"
    assert answer.text_content().strip(), "the FAQ answer has no text"

    item.locator("summary").click()

    assert item.get_attribute("open") is not None
    assert answer.is_visible(), "clicking the question did not show its answer"
    box = answer.bounding_box()
    assert box and box["height"] > 0 and box["width"] > 0, box


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_first_tab_reaches_skip_link_and_enter_moves_to_main(page, site_url, lang):
    page.goto(f"{site_url}/{lang}/")
    page.keyboard.press("Tab")

    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {cls: el.className, href: el.getAttribute('href'), text: el.innerText.trim(),
                    top: box.top, bottom: box.bottom, left: box.left, right: box.right,
                    viewport: document.documentElement.clientWidth};
        }"""
    )
    assert focused["cls"] == "skip-link", f"first Tab focused {focused}"
    assert focused["href"] == "#main-content"
    assert focused["text"], "the skip link has no text"
    # Once focused, the skip link is on screen (it is parked above the viewport otherwise).
    assert focused["top"] >= 0 and focused["bottom"] <= 740, focused
    assert focused["left"] >= 0 and focused["right"] <= focused["viewport"], focused

    page.keyboard.press("Enter")
    # Following a fragment link is asynchronous in Chromium: wait for it rather than race it.
    page.wait_for_url(re.compile(r"#main-content$"), timeout=5000)
    page.wait_for_function("document.activeElement.id === 'main-content'", timeout=5000)
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('main-content').contains(document.activeElement)"
    ), "after the skip link, Tab left the main content"


@pytest.mark.parametrize("path", ["/ar/", "/fr/qui-sommes-nous/"])
def test_no_horizontal_scrolling_on_a_phone(new_page, site_url, path):
    page = new_page(viewport=PHONE)
    page.goto(site_url + path)
    sizes = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   body: document.body.scrollWidth})"""
    )
    assert sizes["client"] == PHONE["width"], sizes
    assert sizes["scroll"] <= sizes["client"], f"{path} scrolls sideways on a phone: {sizes}"
    assert sizes["body"] <= sizes["client"], f"{path} body overflows on a phone: {sizes}"


@pytest.mark.parametrize("lang", ["pt", "zh-hans"])
def test_untranslated_page_shows_notice_and_marks_content_french(page, site_url, lang):
    # the newest news item, waiting for its Portuguese and Chinese translations
    response = page.goto(f"{site_url}/{lang}/campagnes/jardin-des-couronnes/premiers-bacs/")
    assert response.ok
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == "ltr"

    notice = page.locator("main p.notice--translation")
    assert notice.is_visible(), "no translation notice on an untranslated page"
    assert notice.inner_text().strip()
    # The notice speaks the interface language; only the content is French.
    assert notice.evaluate("el => el.closest('[lang]').getAttribute('lang')") == lang

    content = page.locator("main div[lang='fr']")
    assert content.count() == 1, "the French content is not wrapped in lang=fr"
    assert content.get_attribute("dir") == "ltr"
    h1 = content.locator("h1")
    assert h1.inner_text().strip() == NEWS["title"].fr
    assert h1.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "fr"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["/fr/", "/ar/", "/ar/qui-sommes-nous/"])
def test_every_container_shares_the_header_gutters(new_page, site_url, path, viewport):
    """Header, main menu, key figures, content and footer all line up with the same gutters,
    so no text touches the screen edge (in either direction)."""
    page = new_page(viewport=viewport)
    page.goto(site_url + path)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.container')]
            .filter(el => el.getClientRects().length)
            .map(el => {
                const box = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                return {element: el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
                        left: Math.round(box.left + parseFloat(style.paddingLeft)),
                        right: Math.round(box.right - parseFloat(style.paddingRight))};
            })"""
    )
    header = next(box for box in boxes if "site-header__inner" in box["element"])
    assert header["left"] >= 16 and header["right"] <= viewport["width"] - 16, header
    misaligned = [
        box for box in boxes if (box["left"], box["right"]) != (header["left"], header["right"])
    ]
    assert not misaligned, f"not aligned with the header {header}: {misaligned}"


def test_french_postal_address_keeps_its_order_on_arabic_pages(page, site_url):
    """The contact address is Latin-script data: on an RTL page "12 rue des Couronnes" must not
    be displayed as "rue des Couronnes 12" by the bidirectional algorithm."""
    page.goto(site_url + "/ar/")
    positions = page.evaluate(
        """() => {
            const p = document.querySelector('.site-footer address p');
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            const where = (word) => {
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.data.indexOf(word);
                    if (at >= 0) {
                        const range = document.createRange();
                        range.setStart(node, at);
                        range.setEnd(node, at + word.length);
                        walker.currentNode = p;
                        return range.getBoundingClientRect().left;
                    }
                }
                walker.currentNode = p;
                return null;
            };
            return {text: p.innerText, number: where('12'), street: where('rue'),
                    postcode: where('75020'), city: where('Paris'),
                    textRight: (() => {
                        const range = document.createRange();
                        range.selectNodeContents(p);
                        return Math.max(...[...range.getClientRects()].map(r => r.right));
                    })(),
                    boxRight: p.getBoundingClientRect().right};
        }"""
    )
    assert None not in positions.values(), positions
    assert positions["number"] < positions["street"], f"street number after the street: {positions}"
    assert positions["postcode"] < positions["city"], f"postcode after the city: {positions}"
    # …while the lines stay aligned with the rest of the (right-to-left) footer column.
    assert positions["textRight"] >= positions["boxRight"] - 1, f"not right-aligned: {positions}"
