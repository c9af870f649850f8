"""The demo's Site names the address `make run` serves (HOST and PORT, 127.0.0.1:8000 by
default): the JSON API's `html_url` and `detail_url` lead to the running demo, and the curl
examples of docs/api.md call that same address."""

import io
import os
import re
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Site

import pytest

from tests.api.helpers import api

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def make_run_address():
    """What the Makefile passes to `make run` (and exports to the tests)."""
    return os.environ.get("HOST") or "127.0.0.1", int(os.environ.get("PORT") or "8000")


@pytest.mark.django_db
def test_the_api_links_point_where_make_run_answers(client, demo_site):
    host, port = make_run_address()
    base = f"http://{host}:{port}"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (host, port)

    status, listing = api(client, "pages/", type="campaigns.CampaignPage", locale="fr", limit=1)
    assert status == 200
    meta = listing["items"][0]["meta"]
    assert meta["html_url"].startswith(f"{base}/fr/"), meta
    assert meta["detail_url"].startswith(f"{base}/api/v2/pages/"), meta


@pytest.mark.django_db
def test_a_second_run_follows_host_and_port(client, demo_site, monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # listen everywhere: links still name loopback
    monkeypatch.setenv("PORT", "8765")
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert "http://127.0.0.1:8765/" in out.getvalue()
    status, listing = api(client, "pages/", type="home.HomePage", locale="fr")
    assert listing["items"][0]["meta"]["html_url"] == "http://127.0.0.1:8765/fr/"


@pytest.mark.django_db
def test_a_port_that_is_no_port_stops_the_command(demo_site, monkeypatch):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(CommandError, match="PORT"):
        call_command("load_demo", stdout=io.StringIO())


def test_the_documented_curl_examples_call_the_demo_address():
    urls = re.findall(r'^\$ curl [^"]*"([^"]+)"', DOC.read_text(), re.MULTILINE)
    assert urls
    assert all(url.startswith("http://127.0.0.1:8000/") for url in urls), urls
