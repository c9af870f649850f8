"""docs/api.md cannot rot: every documented `curl` runs against the demo data, and every JSON
answer shown in the docs has the keys (and the types and languages) the real answer has."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from campaigns.models import CampaignPage

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
CURL = re.compile(r'^\$ curl (?P<options>[^"]*)"(?P<url>[^"]+)"', re.MULTILINE)


def documented_examples():
    """(curl options, URL, the JSON shown right after it or None), in document order."""
    blocks = BLOCK.findall(DOC.read_text())
    examples = []
    for index, (language, text) in enumerate(blocks):
        if language != "console":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        shown = json.loads(following[1]) if following and following[0] == "json" else None
        for match in CURL.finditer(text):
            examples.append((match["options"], match["url"], shown))
    return examples


def check_shape(shown, real, where="$"):
    """Each key documented exists in the real answer, recursively; `type` and `locale`
    values must be equal too."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), f"{where}: documented an object, got {real!r}"[:300]
        for key, value in shown.items():
            assert key in real, f"{where}: documented key {key!r} is not in the answer"
            if key in ("type", "locale") and isinstance(value, str):
                assert real[key] == value, f"{where}.{key}: {real[key]!r} != {value!r}"
            check_shape(value, real[key], f"{where}.{key}")
    elif isinstance(shown, list) and shown and isinstance(shown[0], dict):
        assert isinstance(real, list) and real, f"{where}: documented a list, got {real!r}"
        check_shape(shown[0], real[0], f"{where}[0]")


EXAMPLES = documented_examples()


def test_the_docs_have_examples_of_every_part():
    urls = [url for _options, url, _shown in EXAMPLES]
    assert len(urls) >= 7
    for part in ("/api/v2/pages/", "/api/v2/images/", "/open-data/", "/embed/campaign/"):
        assert any(part in url for url in urls), f"no documented example of {part}"


@pytest.mark.django_db
def test_every_documented_example_works_on_the_demo_data(client, demo_site):
    # The card's example names a campaign by id: ids differ from one database to another
    demo_campaign = CampaignPage.objects.live().get(
        slug="jardin-des-couronnes", locale__language_code="fr"
    )
    for options, url, shown in EXAMPLES:
        parts = urlsplit(url)
        path = re.sub(r"/embed/campaign/\d+/", f"/embed/campaign/{demo_campaign.pk}/", parts.path)
        response = client.get(
            f"{path}?{parts.query}" if parts.query else path, follow="L" in options
        )
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        if shown is not None:
            check_shape(shown, json.loads(response.content), where=url)
