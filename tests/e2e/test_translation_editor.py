"""wagtail-localize's translation editor in Chromium: translating the demo's home page into
Arabic, the source segments read left to right in French, the Arabic ones (shown and typed)
right to left and upright (static/js/admin_rtl.js, static/css/admin_rtl.css)."""

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
