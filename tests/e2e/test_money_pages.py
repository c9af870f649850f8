"""The money after the gift on the demo's campaign pages, in Chromium, in French and Arabic,
at 360 and 1280 px: the match offer on a live campaign, what happened to the money and where
it went on the closed ones. axe-clean, nothing wider than the screen.

Screenshots go to test-artifacts/money-<slug>-<lang>-<width>.png.
"""

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.test_giving import FAILED, LIVE, SUCCEEDED, campaign_path, digits
from tests.e2e.test_story_form import assert_no_sideways_scroll, log_in

pytestmark = pytest.mark.e2e

VIEWPORTS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}
# What each demo campaign shows of the money after the gift (campaigns/*_demo.py).
EXPECTED = {
    LIVE: [".match-offer"],  # the demo's match fund covers the garden
    SUCCEEDED: [".closing-notice", ".money-use", ".money-use__table"],  # closed, paid out
    FAILED: [".closing-notice"],  # all-or-nothing below its threshold: refunded
}


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("slug", EXPECTED)
def test_the_money_after_the_gift_reads_well_on_a_phone_and_a_screen(
    new_page, site_url, artifacts_dir, slug, lang, width
):
    page = new_page(viewport=VIEWPORTS[width])
    response = page.goto(site_url + campaign_path(lang, slug))
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    for selector in EXPECTED[slug]:
        assert page.locator(selector).first.is_visible(), selector
    if slug == FAILED:
        # every gift of the failed demo campaign was refunded: nothing is counted any more
        raised = page.locator(".progress .progress__figures strong").first.inner_text()
        assert digits(raised) == 0, raised
    page.screenshot(path=artifacts_dir / f"money-{slug}-{lang}-{width}.png", full_page=True)
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_leader_sees_where_the_money_went_in_the_space(
    new_page, site_url, artifacts_dir, lang, width
):
    """The demo leader awa leads the library, which was paid out and bought things."""
    page = new_page(viewport=VIEWPORTS[width])
    log_in(page, site_url, lang)
    money = page.locator(".money-use--space").first
    assert money.is_visible()
    assert money.locator("table").count() == 2  # payouts, then what was bought
    assert money.locator("a", has=page.locator(".visually-hidden")).count() >= 1  # receipts
    page.screenshot(path=artifacts_dir / f"money-space-{lang}-{width}.png", full_page=True)
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
