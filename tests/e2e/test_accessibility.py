"""axe-core on the frame's pages in every language, plus a full-page screenshot of each."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = [
    ("home", "/{lang}/"),
    ("qui-sommes-nous", "/{lang}/qui-sommes-nous/"),
    ("questions-frequentes", "/{lang}/questions-frequentes/"),
    ("search", "/{lang}/search/?q=jardin"),
]
# The 404 page is not here: the e2e server runs with DEBUG on (to serve media), which shows
# Django's technical 404; tests/home/test_languages.py checks the real one.


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "pt", "zh-hans"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_serious_axe_violations(page, site_url, artifacts_dir, name, path, lang):
    response = page.goto(site_url + path.format(lang=lang))
    assert response.ok, f"{path.format(lang=lang)} answered {response.status}"
    assert page.get_attribute("html", "lang") == lang
    page.screenshot(path=artifacts_dir / f"{name}-{lang}.png", full_page=True)

    results = Axe().run(page).response
    assert results["passes"], "axe-core ran no rule at all: is it injected?"
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical violation(s) on {page.url}:\n"
        + describe(blocking)
    )
