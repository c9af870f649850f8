"""Every page type weighs under 300 KB before images, read without JavaScript, in French and
Arabic (issue 14: a person on an old phone must be able to read and give).

The weight is what the browser receives for the page, its stylesheet and anything else it
asks for but images, counted uncompressed (what a proxy that does not compress would send).
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.test_zoom import LANGUAGES, PAGES

pytestmark = pytest.mark.e2e

BUDGET = 300 * 1024  # bytes, before images
PHONE = {"width": 360, "height": 800}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_stays_under_300_kb_before_images_without_javascript(
    new_page, site_url, lang
):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    weights = {}
    for name, path in PAGES:
        received = []

        def record(response, received=received):
            received.append(response)

        page.on("response", record)
        response = page.goto(site_url + path.format(lang=lang))
        page.wait_for_load_state("load")
        page.remove_listener("response", record)
        assert response.ok, (name, response.status)
        assert page.locator("main h1").count() >= 1, f"{name}: no heading without JavaScript"
        assert page.locator("script[src]").count() == 0, f"{name} loads a script"
        counted = [r for r in received if r.request.resource_type not in ("image", "media")]
        weight = len(response.body())  # the page itself: must be readable
        for other in counted:
            if other is response or other.status >= 300:
                continue
            try:
                weight += len(other.body())
            except PlaywrightError as error:
                # a late answer to the previous page's requests (its load event was over when
                # this navigation began, as on a loaded machine): not this page's weight
                if "navigated away" not in str(error):
                    raise
        weights[name] = weight
    heavy = {name: weight for name, weight in weights.items() if weight >= BUDGET}
    assert not heavy, f"over {BUDGET} bytes before images: {heavy} (all: {weights})"
    # every page was measured (the stylesheet counted at least once)
    assert all(weight > 5_000 for weight in weights.values()), weights
