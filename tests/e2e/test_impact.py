"""The demo's impact page in a real browser, in French and Arabic, on a phone and a desktop:
axe-clean, nothing wider than the screen, the bars starting on the reading side (mirrored in
Arabic), each chart followed by its table; the home page's key figures are the same numbers."""

import pytest

from campaigns.impact_demo import IMPACT
from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

GEOMETRY = """() => {
    const charts = [...document.querySelectorAll('svg.impact-chart__svg')].map((svg) => {
        const box = svg.getBoundingClientRect();
        const bars = [...svg.querySelectorAll('rect.impact-chart__bar')]
            .map((bar) => bar.getBoundingClientRect())
            .filter((bar) => bar.width > 0);
        const texts = [...svg.querySelectorAll('text')].map((text) => text.getBoundingClientRect());
        return {
            left: box.left, right: box.right,
            barLefts: bars.map((bar) => bar.left), barRights: bars.map((bar) => bar.right),
            textLeft: Math.min(...texts.map((text) => text.left)),
            textRight: Math.max(...texts.map((text) => text.right)),
            nextIsTable: svg.closest('figure').nextElementSibling.tagName === 'TABLE',
        };
    });
    return {
        dir: document.documentElement.dir,
        charts,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}"""


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_impact_page(new_page, site_url, artifacts_dir, language, viewport):
    page = new_page(viewport=viewport)
    response = page.goto(f"{site_url}/{language}/impact/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == getattr(IMPACT["title"], language)
    geometry = page.evaluate(GEOMETRY)
    assert geometry["dir"] == ("rtl" if language == "ar" else "ltr")
    assert geometry["overflow"] <= 0, geometry  # nothing wider than the screen
    assert len(geometry["charts"]) == 3, geometry
    for chart in geometry["charts"]:
        assert chart["nextIsTable"], chart
        assert chart["barLefts"], chart
        # every label and amount inside the chart
        assert chart["left"] - 1 <= chart["textLeft"], chart
        assert chart["textRight"] <= chart["right"] + 1, chart
        if language == "ar":  # bars start on the right
            assert all(abs(right - chart["right"]) <= 1 for right in chart["barRights"]), chart
        else:
            assert all(abs(left - chart["left"]) <= 1 for left in chart["barLefts"]), chart
    tables = page.locator("table.impact-table")
    assert tables.count() == 3
    assert tables.first.locator("caption").inner_text()
    page.screenshot(
        path=artifacts_dir / f"impact-{language}-{viewport['width']}.png", full_page=True
    )
    assert_no_serious_axe_violations(page)


def test_the_home_page_shows_the_same_figures(page, site_url):
    page.goto(f"{site_url}/fr/impact/")
    on_impact = page.locator(".impact-figures .key-figures__value").all_inner_texts()
    page.goto(f"{site_url}/fr/")
    on_home = page.locator(".key-figures--home .key-figures__value").all_inner_texts()
    assert len(on_home) == 4, on_home
    success_rate, funded, _raised, people = on_home
    assert success_rate.endswith("%") and success_rate in on_impact
    assert funded in on_impact and people in on_impact
