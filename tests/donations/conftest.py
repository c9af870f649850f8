"""Fixtures for giving (the site, the campaign and the fake Stripe server are shared by every
folder: tests/conftest.py)."""

import pytest


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
