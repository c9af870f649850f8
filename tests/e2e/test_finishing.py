"""Finishing touches in Chromium (issue 14, item 6 and "Layout slips"), in French and Arabic:

- the thank-you page after a gift (through the demo checkout, as tests/e2e/test_giving.py
  gives): a success header (mark, heading, amount, campaign) on the first phone screen, then
  its parts as separate cards, centred on a wide screen; axe-clean, no sideways scrolling;
- a story's quote draws one bar, on the start side (the right in Arabic);
- the home page's featured cards share the whole row on a wide screen; its hero image and a
  campaign's load lazily (they sit below the first phone screen);
- the embeddable card fills its snippet's box (no blank under it) and names an icon that
  exists, so the browser does not ask for a missing /favicon.ico.

Screenshots: test-artifacts/finishing-<page>-<lang>-<width>.png.
"""

import json
import urllib.request

import pytest

from helpers.embed import CARD_HEIGHT, CARD_WIDTH
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.test_giving import (
    campaign_path,
    digits,
    fill_form,
    open_form_from_block,
    pay_on_demo_checkout,
)
from tests.e2e.test_story_form import assert_no_sideways_scroll

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
LANGS = ["fr", "ar"]
STORY = "/{lang}/histoires/le-jardin-a-ouvert/"
# Under the tallest card, at most this much of the snippet's box stays blank.
EMBED_SLACK = 32  # px

BOX = """selector => Array.from(document.querySelectorAll(selector)).map(el => {
    const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right,
            width: r.width, border: getComputedStyle(el).borderTopWidth};
})"""


def boxes(page, selector):
    return page.evaluate(BOX, selector)


def shoot(page, artifacts_dir, name, lang, viewport):
    # down to the bottom first, so that the lazy images below the first screen load
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(
        path=artifacts_dir / f"finishing-{name}-{lang}-{viewport['width']}.png", full_page=True
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_thank_you_page_is_a_finishing_state(new_page, site_url, artifacts_dir, lang):
    page = new_page(viewport=PHONE)
    page.goto(site_url + campaign_path(lang))
    title = page.locator("main h1").inner_text().strip()
    form = open_form_from_block(page, site_url, lang, euros=25)
    fill_form(
        form,
        name="",
        email=f"finishing-{lang}@example.org",
        display="anonymous",
        message="",
        consent=True,
    )
    pay_on_demo_checkout(page, site_url, lang)

    # The success header: an inline SVG mark (decoration), the heading, the amount, the campaign.
    header = page.locator("main .giving-thanks__header")
    mark = header.locator("svg.giving-thanks__mark")
    assert mark.is_visible() and mark.get_attribute("aria-hidden") == "true"
    assert header.locator("h1").is_visible()
    assert digits(header.locator(".giving-thanks__amount").inner_text()) == 25
    lead = header.locator(".giving-thanks__lead").inner_text()
    assert title in lead and "25" in lead, (title, lead)
    (top,) = boxes(page, "main .giving-thanks__header")
    assert top["bottom"] <= PHONE["height"], f"the success header ends at {top['bottom']} px"

    # Then the receipt, where the campaign stands and passing it on: one card each, apart.
    cards = boxes(
        page,
        "main .giving-thanks__header, main .giving-receipt-outlook, "
        "main .giving-thanks__progress, main .giving-share",
    )
    assert len(cards) == 4, cards
    for above, below in zip(cards, cards[1:], strict=False):
        assert below["top"] - above["bottom"] >= 12, (above, below)
    assert all(card["border"] != "0px" for card in cards), cards
    assert page.locator("main .giving-thanks__back a.button--primary").is_visible()
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
    shoot(page, artifacts_dir, "thanks", lang, PHONE)

    # A wide screen: the same column, centred.
    page.set_viewport_size(DESKTOP)
    page.reload()
    (column,) = boxes(page, "main .giving-thanks")
    start, end = column["left"], DESKTOP["width"] - column["right"]
    assert column["width"] <= 720 and abs(start - end) <= 2, column
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
    shoot(page, artifacts_dir, "thanks", lang, DESKTOP)


BARS = """root => {
    const bars = [];
    for (const el of [root, ...root.querySelectorAll('*')]) {
        const style = getComputedStyle(el);
        for (const side of ['Left', 'Right']) {
            const width = parseFloat(style[`border${side}Width`]);
            if (width > 0 && style[`border${side}Style`] !== 'none') {
                bars.push({tag: el.tagName.toLowerCase(), cls: el.className, side});
            }
        }
    }
    return bars;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_a_quote_draws_one_bar_on_the_start_side(new_page, site_url, artifacts_dir, lang):
    page = new_page(viewport=PHONE)
    page.goto(site_url + STORY.format(lang=lang))
    quote = page.locator("main .stream .quote")
    assert quote.count() == 1
    # from the body's wrapper of the block down
    wrapper = quote.locator("xpath=..")
    bars = wrapper.evaluate(BARS)
    start = "Right" if lang == "ar" else "Left"
    assert bars == [{"tag": "figure", "cls": "quote", "side": start}], bars
    # and the story's gallery does not repeat its hero photo (the demo's holds only it)
    assert page.locator("main img.story__image").count() == 1
    assert page.locator("main .gallery").count() == 0
    assert_no_sideways_scroll(page)
    shoot(page, artifacts_dir, "story", lang, PHONE)


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_cards_fill_the_row_and_the_hero_loads_lazily(
    new_page, site_url, artifacts_dir, lang
):
    page = new_page(viewport=DESKTOP)
    page.goto(f"{site_url}/{lang}/")
    assert page.locator(".hero img").get_attribute("loading") == "lazy"
    assert page.locator("img[fetchpriority='high']").count() == 0
    sections = page.locator("main section.featured")
    assert sections.count() >= 2
    for index in range(sections.count()):
        section = sections.nth(index)
        key = section.get_attribute("aria-labelledby")
        (row,) = boxes(page, f"section[aria-labelledby='{key}'] > .card-list")
        cards = boxes(page, f"section[aria-labelledby='{key}'] > .card-list > .card")
        assert cards, key
        first_row = [card for card in cards if abs(card["top"] - cards[0]["top"]) < 1]
        if len(first_row) == 1:
            continue  # a lone card lies on its side (photo beside text)
        # the cards share the row: from its start edge to its end edge (either way round)
        start = min(card["left"] for card in first_row)
        end = max(card["right"] for card in first_row)
        assert abs(start - row["left"]) <= 1 and abs(end - row["right"]) <= 1, (key, row, cards)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts_dir, "home", lang, DESKTOP)

    page.set_viewport_size(PHONE)
    page.reload()
    for card in boxes(page, "main .featured .card"):  # one card a row on a phone
        assert card["width"] >= PHONE["width"] - 60, card
    assert_no_sideways_scroll(page)
    shoot(page, artifacts_dir, "home", lang, PHONE)

    page.goto(site_url + campaign_path(lang))
    assert page.locator("img.campaign__image").get_attribute("loading") == "lazy"
    page.set_viewport_size(DESKTOP)  # its stories' cards in the story's column
    assert_no_sideways_scroll(page)
    shoot(page, artifacts_dir, "campaign", lang, DESKTOP)


# The card's height as its content makes it (the stylesheet stretches it to its frame; a
# property set through the CSSOM is not an inline style the policy refuses).
CARD_BOTTOM = "() => Math.ceil(document.querySelector('.embed').getBoundingClientRect().bottom)"
NATURAL_HEIGHT = """() => {
    const card = document.querySelector('.embed');
    card.style.minBlockSize = '0';
    const height = Math.ceil(card.getBoundingClientRect().bottom);
    card.style.minBlockSize = '';
    return height;
}"""


@pytest.fixture(scope="module")
def demo_campaigns(site_url):
    with urllib.request.urlopen(site_url + "/open-data/campaigns.json", timeout=10) as response:
        return json.load(response)["campaigns"]


def test_the_embed_card_fills_its_box_and_names_its_icon(
    new_page, site_url, artifacts_dir, demo_campaigns
):
    page = new_page(viewport={"width": CARD_WIDTH, "height": CARD_HEIGHT})
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    heights = {}
    for lang in LANGS:
        for campaign in demo_campaigns:
            page_id = campaign["page_ids"]["fr"]
            slug = campaign["url"].rstrip("/").rsplit("/", 1)[-1]
            response = page.goto(f"{site_url}/embed/campaign/{page_id}/?lang={lang}")
            assert response.ok
            icon = page.locator("head link[rel='icon']").get_attribute("href")
            with urllib.request.urlopen(site_url + icon, timeout=10) as answer:
                assert answer.status == 200, icon
            # the card fills its box; its content alone (without the stretch) nearly does too
            assert page.evaluate(CARD_BOTTOM) == CARD_HEIGHT
            heights[slug, lang] = page.evaluate(NATURAL_HEIGHT)
            assert page.evaluate("document.documentElement.scrollHeight") <= CARD_HEIGHT
            page.screenshot(path=artifacts_dir / f"finishing-embed-{slug}-{lang}-{CARD_WIDTH}.png")
    print(f"\ncard heights at {CARD_WIDTH} px: {heights} (box {CARD_HEIGHT} px)")
    assert max(heights.values()) <= CARD_HEIGHT, heights
    assert CARD_HEIGHT - max(heights.values()) <= EMBED_SLACK, heights
    assert not [url for url in asked if url.endswith("/favicon.ico")], asked
