"""The embeddable campaign card in Chromium: axe-clean in French and Arabic, no sideways
scrolling on a phone, fits the snippet's box, and shows inside another site's <iframe>,
where the rest of the site refuses to be framed."""

import http.server
import json
import threading
import urllib.request

import pytest

from helpers.embed import CARD_HEIGHT, CARD_WIDTH
from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def demo_campaigns(site_url):
    """The demo's campaigns as the open data lists them (with each language's page id)."""
    with urllib.request.urlopen(site_url + "/open-data/campaigns.json", timeout=10) as response:
        campaigns = json.load(response)["campaigns"]
    assert len(campaigns) >= 4, campaigns
    return campaigns


@pytest.fixture
def partner_site():
    """Serve(html) → the URL of a page with that HTML on another origin (another port of
    loopback: Chromium blocks a public page from framing a loopback address, which a
    partner on the Internet framing the real site never meets)."""
    servers = []

    def serve(html):
        body = html.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://localhost:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def card_url(site_url, campaign, lang):
    return f"{site_url}/embed/campaign/{campaign['page_ids']['fr']}/?lang={lang}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_demo_card_is_axe_clean_and_fits_its_box(new_page, site_url, demo_campaigns, lang):
    page = new_page(viewport={"width": CARD_WIDTH, "height": CARD_HEIGHT})
    phone = new_page(viewport=PHONE)
    for campaign in demo_campaigns:
        url = card_url(site_url, campaign, lang)
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        assert page.get_attribute("html", "lang") == lang
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        assert_no_serious_axe_violations(page)
        size = page.evaluate(
            "() => ({width: document.documentElement.scrollWidth,"
            " height: document.documentElement.scrollHeight})"
        )
        assert size["width"] <= CARD_WIDTH and size["height"] <= CARD_HEIGHT, (url, size)

        phone.goto(url)
        overflow = phone.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls {overflow}px sideways at 320px"


@pytest.mark.expected_csp_violation(r"frame-ancestors 'none'")
def test_the_card_shows_in_another_sites_iframe_but_the_site_does_not(
    page, site_url, demo_campaigns, partner_site
):
    campaign = next(item for item in demo_campaigns if item["status"] == "live")
    partner_page = f"""<!DOCTYPE html>
<html lang="en"><head><title>Partner</title></head><body>
<h1>Our neighbourhood</h1>
<iframe id="card" src="{card_url(site_url, campaign, "en")}" title="Campaign"
        width="{CARD_WIDTH}" height="{CARD_HEIGHT}"></iframe>
<iframe id="site" src="{site_url}/fr/" title="Co-city" width="600" height="400"></iframe>
</body></html>"""
    page.goto(partner_site(partner_page))

    card = page.frame_locator("#card")
    title = card.locator("h1 a")
    title.wait_for()
    expected = campaign["title_en"] or campaign["title_fr"]
    assert expected in title.inner_text()
    assert card.locator("a.embed__give").get_attribute("target") == "_blank"

    # Chromium refuses to show the site's own pages in a frame (X-Frame-Options: DENY).
    site_frame = page.locator("#site").element_handle().content_frame()
    assert site_frame is not None
    assert not site_frame.url.startswith(site_url), site_frame.url
    assert site_frame.locator(".site-header").count() == 0
