"""axe-core on the frame's pages in every language, plus a full-page screenshot of each."""

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PAGES = [
    ("home", "/{lang}/"),
    ("qui-sommes-nous", "/{lang}/qui-sommes-nous/"),
    ("questions-frequentes", "/{lang}/questions-frequentes/"),
    ("search", "/{lang}/search/?q=jardin"),
    ("stories", "/{lang}/histoires/"),
    ("stories-filtered", "/{lang}/histoires/?district=75020"),
    ("story", "/{lang}/histoires/le-jardin-a-ouvert/"),
    ("leader-login", "/{lang}/space/login/"),
]
# The 404 page is not here: the e2e server runs with DEBUG on (to serve media), which shows
# Django's technical 404; tests/home/test_languages.py checks the real one.


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "pt", "zh-hans"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_serious_axe_violations(page, site_url, artifacts_dir, name, path, lang):
    response = page.goto(site_url + path.format(lang=lang))
    assert response.ok, f"{path.format(lang=lang)} answered {response.status}"
    assert page.get_attribute("html", "lang") == lang
    page.screenshot(path=artifacts_dir / f"{name}-{lang}.png", full_page=True)

    assert_no_serious_axe_violations(page)
