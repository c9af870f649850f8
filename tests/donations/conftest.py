"""Fixtures for giving: a live campaign in every language, and the fake Stripe server."""

from wagtail.models import Locale, Page, Site

import pytest

from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from home.factories import HomePageFactory
from home.locales import create_language_aliases
from tests.fakes.stripe_server import FakeStripe

WEBHOOK_SECRET = "whsec_test_cocity"


@pytest.fixture
def home_page(db):
    """A French home page as the site root, mirrored in every language."""
    # After a transactional test's flush, the root page and the default site that migrations
    # create are gone (the locales come back with post_migrate): make them again.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": page}
    )
    create_language_aliases(page)
    return page


@pytest.fixture
def campaign(home_page):
    """A live campaign (goal 1 000 €) under a campaign listing, in every language."""
    index = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    page = CampaignPageFactory(parent=index, title="Jardin des Couronnes")
    create_language_aliases(page)
    return page


@pytest.fixture
def stripe_server(settings):
    """The fake Stripe API on loopback, with the site configured to use it."""
    with FakeStripe(hold_seconds=3) as server:
        settings.PAYMENT_BACKEND = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_cocity"
        settings.STRIPE_API_BASE = server.url
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_TIMEOUT = 1
        yield server


@pytest.fixture
def donation_form():
    """Valid donation form data (25 €)."""
    return {
        "amount_choice": "25",
        "custom_amount": "",
        "donor_name": "Awa Diallo",
        "donor_email": "awa@example.org",
        "display": "name",
        "message": "Pour le jardin !",
        "consent": "on",
    }
