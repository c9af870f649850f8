"""The donation block when its campaign is gone (issue 10, finding 8)."""

import pytest

from home.factories import StandardPageFactory
from home.locales import create_language_aliases


def donation_block(campaign):
    return {
        "campaign": campaign,
        "heading": "Soutenez le jardin",
        "text": "Chaque euro compte.",
        "preset_amounts": [10, 25],
        "allow_custom_amount": True,
        "button_label": "Donner",
    }


@pytest.fixture
def page_with_block(home_page, campaign):
    page = StandardPageFactory(parent=home_page, title="Nos projets")
    page.body = [
        ("paragraph", "<p>Les projets du quartier.</p>"),
        ("donation", donation_block(campaign)),
    ]
    page.save_revision().publish()
    create_language_aliases(page)
    return page


@pytest.mark.django_db
def test_a_block_of_a_live_campaign_offers_the_amounts(client, page_with_block, campaign):
    body = client.get(page_with_block.url).content.decode()
    assert "Soutenez le jardin" in body and f"/donate/{campaign.translation_key}/" in body


@pytest.mark.django_db
def test_a_deleted_campaign_leaves_its_blocks_saying_it_is_gone(client, page_with_block, campaign):
    key = campaign.translation_key
    for page in type(campaign).objects.filter(translation_key=key):
        page.delete()
    for language in ("fr", "en", "ar"):
        url = page_with_block.get_url().replace("/fr/", f"/{language}/", 1)
        response = client.get(url)
        assert response.status_code == 200, language  # was a 500
        body = response.content.decode()
        assert "donation-block__gone" in body
        if language == "en":  # the other languages read it once the catalogues are translated
            assert "This campaign is no longer available." in body
        assert "Soutenez le jardin" in body and "Les projets du quartier." in body
        assert f"/donate/{key}/" not in body
