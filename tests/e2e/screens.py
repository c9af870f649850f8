"""What every browser test of a page checks before calling it done: a screenshot saved, no
sideways scrolling, no serious axe violation."""

from tests.e2e.axe import assert_no_serious_axe_violations


def shoot_and_check(page, path):
    """Save a full-page screenshot at ``path``, then: the page fits the screen's width, and
    axe finds nothing serious."""
    page.screenshot(path=path, full_page=True)
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["client"], f"{page.url} scrolls sideways: {sizes}"
    assert_no_serious_axe_violations(page)
