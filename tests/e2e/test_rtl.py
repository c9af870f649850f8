"""Arabic is laid out right-to-left and drawn with real Arabic glyphs (fonts-noto-core)."""

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.e2e

ARABIC_PAGES = ["/ar/", "/ar/qui-sommes-nous/"]

H1_GEOMETRY = """() => {
    const h1 = document.querySelector('main h1');
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect();
    return {
        direction: getComputedStyle(h1).direction,
        text: h1.textContent.trim(),
        left: text.left,
        right: text.right,
        viewport: document.documentElement.clientWidth,
    };
}"""

# Widths of the h1's text drawn on a canvas in the h1's own font, in a font that cannot exist
# (the browser's default fallback, for the failure message), and as the same number of
# unassigned code points, which every font draws as "missing glyph" boxes (tofu).
H1_TEXT_WIDTHS = """() => {
    const h1 = document.querySelector('main h1');
    const style = getComputedStyle(h1);
    const text = h1.textContent.trim();
    const context = document.createElement('canvas').getContext('2d');
    const width = (family, string) => {
        context.font = `${style.fontWeight} ${style.fontSize} ${family}`;
        return context.measureText(string).width;
    };
    return {
        family: style.fontFamily,
        page: width(style.fontFamily, text),
        fallback: width('"Co-city E2E No Such Font"', text),
        tofu: width(style.fontFamily, '\\u0378'.repeat([...text].length)),
    };
}"""


def fc_list_arabic():
    """Font families fontconfig says cover Arabic (only for failure messages)."""
    if not shutil.which("fc-list"):
        return "fc-list not available"
    result = subprocess.run(
        ["fc-list", ":lang=ar", "family"], capture_output=True, text=True, check=False
    )
    return ", ".join(sorted(set(result.stdout.splitlines()) - {""})) or "none"


def platform_fonts(page, selector):
    """The fonts Chromium really used to draw the text of `selector` (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"{selector} not found"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_arabic_pages_are_right_to_left(page, site_url, path):
    page.goto(site_url + path)
    assert page.locator("html[lang='ar'][dir='rtl']").count() == 1, (
        "expected <html lang=ar dir=rtl>, got "
        f"lang={page.get_attribute('html', 'lang')!r} dir={page.get_attribute('html', 'dir')!r}"
    )

    h1 = page.evaluate(H1_GEOMETRY)
    assert h1["direction"] == "rtl", h1
    assert h1["viewport"] == 1280, h1
    gap_right = h1["viewport"] - h1["right"]
    gap_left = h1["left"]
    assert gap_right < gap_left, (
        f"the h1 text {h1['text']!r} is not laid out from the right: "
        f"{gap_left:.0f}px from the left edge, {gap_right:.0f}px from the right edge"
    )


@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_arabic_text_renders_with_real_glyphs(page, site_url, path):
    page.goto(site_url + path)
    widths = page.evaluate(H1_TEXT_WIDTHS)
    fonts = platform_fonts(page, "main h1")
    stack = [name.strip().strip("\"'") for name in widths["family"].split(",")]
    context = (
        f"h1 font-family: {widths['family']}\nfonts Chromium used: {fonts}\n"
        f"canvas widths: {widths}\nfc-list :lang=ar → {fc_list_arabic()}"
    )

    # Chromium drew the Arabic letters with an Arabic font named in our CSS stack (Noto Sans
    # Arabic from fonts-noto-core), not with whatever last-resort font the system had.
    arabic_fonts = [f for f in fonts if "Arabic" in f["familyName"] and f["glyphCount"] > 0]
    assert arabic_fonts, f"no Arabic font drew the h1.\n{context}"
    unexpected = [f["familyName"] for f in fonts if f["familyName"] not in stack]
    assert not unexpected, f"fonts outside the CSS stack were used: {unexpected}\n{context}"

    # Not tofu: real, shaped glyphs do not measure like a row of "missing glyph" boxes.
    assert abs(widths["page"] - widths["tofu"]) > 1, f"Arabic looks like tofu.\n{context}"
