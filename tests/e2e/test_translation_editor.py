"""The editors' admin in Chromium: wagtail-localize's translation editor, translating the demo's
home page into Arabic, shows the French source segments left to right and the Arabic ones (shown
and typed) right to left and upright (static/js/admin_rtl.js, static/css/admin_rtl.css); the
page editor's block chooser previews a block with the site's stylesheet and a real value."""

import re

import pytest

from tests.e2e.test_proposals import admin_logs_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}  # the page fixture's viewport
STYLE = """element => {
    const style = getComputedStyle(element);
    return {dir: style.direction, font: style.fontStyle, lang: element.lang};
}"""


def arabic_home_page_id(page, site_url):
    answer = page.request.get(f"{site_url}/api/v2/pages/?type=home.HomePage&locale=ar")
    assert answer.ok, answer.status
    return answer.json()["items"][0]["id"]


def test_arabic_segments_are_right_to_left_and_upright(page, site_url, artifacts_dir):
    admin_logs_in(page, site_url)
    page_id = arabic_home_page_id(page, site_url)
    page.goto(f"{site_url}/admin/pages/{page_id}/edit/")
    segment = page.locator(".js-translation-editor li.complete").first
    segment.wait_for()

    source = segment.locator(":scope > p").evaluate(STYLE)
    assert source == {"dir": "ltr", "font": "italic", "lang": "fr"}, source
    shown = segment.locator(":scope > div > p").evaluate(STYLE)
    assert shown == {"dir": "rtl", "font": "normal", "lang": "ar"}, shown

    page.screenshot(path=artifacts_dir / "translation-editor-ar-1280.png")
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts_dir / "translation-editor-ar-360.png")
    page.set_viewport_size(DESKTOP)

    # Editing a segment: the box being typed in
    segment.locator(":scope > ul button").last.click()
    box = segment.locator(":scope > div > textarea")
    box.wait_for()
    typed = box.evaluate(STYLE)
    assert typed == {"dir": "rtl", "font": "normal", "lang": "ar"}, typed
    assert box.evaluate("element => element.getAttribute('dir')") == "rtl"
    page.screenshot(path=artifacts_dir / "translation-editor-ar-typing-1280.png")


def test_the_block_chooser_previews_blocks_with_the_site_s_styles(page, site_url, artifacts_dir):
    """In the page editor's block chooser, a block's preview is the block drawn with the site's
    stylesheet and a real value (the donation block: the first live campaign)."""
    admin_logs_in(page, site_url)
    answer = page.request.get(f"{site_url}/api/v2/pages/?type=home.StandardPage&locale=fr")
    page_id = answer.json()["items"][0]["id"]
    page.goto(f"{site_url}/admin/pages/{page_id}/edit/")
    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    # the demo admin works in English
    option = page.get_by_role("option").filter(has_text=re.compile(r"^\s*Donation\s*$"))
    row = page.locator(".w-combobox__option-row").filter(has=option)
    row.locator("button.w-combobox__option-preview").click()  # the eye: "Show preview"
    preview = page.locator(".w-combobox-preview")
    preview.wait_for()
    assert "A call to give to a campaign" in preview.inner_text()  # the block's description
    frame = page.frame_locator(".w-combobox-preview__iframe")
    frame.locator(".donation-block").wait_for()
    assert frame.locator('link[href$="/static/css/site.css"]').count() == 1
    # the campaign in the editor's language (the demo admin's: English)
    assert frame.locator("html").get_attribute("lang") == "en"
    assert "Couronnes shared garden" in frame.locator(".donation-block").inner_text()
    page.screenshot(path=artifacts_dir / "block-chooser-preview-fr-1280.png")
