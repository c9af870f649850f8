"""The Content-Security-Policy in Chromium: the e2e server sends it (so every browser test runs
under it, and conftest.py fails a test during which anything was refused), Wagtail's user bar
works under it for staff on public pages, and the policy really refuses inline code."""

import re
import urllib.request

import pytest

pytestmark = pytest.mark.e2e

ADMIN = {"username": "admin", "password": "e2e-admin-Pa55word!"}  # tests/e2e/conftest.py


def test_the_browser_tests_run_under_the_policy(site_url):
    with urllib.request.urlopen(f"{site_url}/fr/", timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        permissions = response.headers["Permissions-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in permissions


def test_staff_use_the_user_bar_on_public_pages_without_violations(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", ADMIN["username"])
    page.fill("input[name=password]", ADMIN["password"])
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    for path in ("/fr/", "/ar/", "/fr/campagnes/jardin-des-couronnes/"):
        page.goto(site_url + path)
        trigger = page.locator("wagtail-userbar").locator("[data-wagtail-userbar-trigger]")
        trigger.click()
        items = page.locator("wagtail-userbar").locator("[role=menuitem]")
        items.first.wait_for()
        assert items.count() >= 2, path
        # the content checker (axe, run by the user bar's own script) opens its results
        page.locator("wagtail-userbar").locator("#checker-trigger").click()
        page.locator("wagtail-userbar").locator("#checker-results").wait_for()


@pytest.mark.expected_csp_violation(r"inline")
def test_the_policy_refuses_inline_code(page, site_url, csp_violations):
    """The collector and the policy both work: inline code added to a page is refused."""
    page.goto(f"{site_url}/fr/")
    refused = re.compile(r"inline script")
    with page.expect_console_message(lambda message: bool(refused.search(message.text))):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "document.body.dataset.inline = 'ran'";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("() => document.body.dataset.inline") is None
    assert any(refused.search(text) for text in csp_violations), csp_violations
