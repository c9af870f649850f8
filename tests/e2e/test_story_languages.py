"""A story a leader wrote in Arabic, read in French: the notice in French, the story laid out
right-to-left inside the left-to-right page, and its card marked in the French listing."""

import pytest

from stories.demo import WRITTEN_IN_ARABIC
from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

STORY = f"/fr/histoires/{WRITTEN_IN_ARABIC['slug']}/"

DIRECTIONS = """() => {
    const wrapper = document.querySelector('main div[lang="ar"]');
    const h1 = wrapper.querySelector('h1');
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect();
    const box = h1.getBoundingClientRect();
    return {
        page: getComputedStyle(document.documentElement).direction,
        notice: getComputedStyle(document.querySelector('.notice--translation')).direction,
        story: getComputedStyle(h1).direction,
        // right-aligned: the text ends at the h1's right edge, not its left
        gapRight: box.right - text.right,
        gapLeft: text.left - box.left,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_an_arabic_story_read_in_french(new_page, site_url, artifacts_dir, viewport):
    page = new_page(viewport=viewport)
    response = page.goto(site_url + STORY)
    assert response.status == 200
    assert page.locator("html[lang='fr'][dir='ltr']").count() == 1
    notice = page.locator(".notice--translation")
    assert "pas encore été traduite" in notice.inner_text()
    assert "العربيّة" in notice.inner_text()
    assert (
        page.locator("main div[lang='ar'][dir='rtl'] h1").inner_text()
        == (WRITTEN_IN_ARABIC["title"])
    )
    geometry = page.evaluate(DIRECTIONS)
    assert geometry["page"] == "ltr" and geometry["notice"] == "ltr", geometry
    assert geometry["story"] == "rtl", geometry
    assert geometry["gapRight"] <= geometry["gapLeft"] + 1, geometry
    assert geometry["overflow"] <= 0, geometry  # nothing wider than a phone
    page.screenshot(
        path=artifacts_dir / f"story-written-in-arabic-fr-{viewport['width']}.png", full_page=True
    )
    assert_no_serious_axe_violations(page)

    page.goto(site_url + "/fr/histoires/")
    card = page.locator(".story-card", has_text=WRITTEN_IN_ARABIC["title"])
    assert card.locator("h2[lang='ar'][dir='rtl']").count() == 1
    assert "arabe" in card.locator(".card__language").inner_text().lower()
    page.screenshot(
        path=artifacts_dir / f"stories-listing-fr-{viewport['width']}.png", full_page=True
    )
    assert_no_serious_axe_violations(page)
