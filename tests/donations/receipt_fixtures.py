"""Shared set-up for the tax-receipt tests: the association's details filled in and
receipts turned on, and gifts whose donor asked for a receipt."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone

import pytest
from PIL import Image

from donations import ledger
from donations.models import TaxReceiptSettings


def png_bytes(size=(40, 16)):
    """A small, valid PNG (Pillow checks it as the settings form does)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG_1PX = png_bytes((1, 1))

ADDRESS = {
    "receipt_name": "Awa Diallo",
    "address_line": "12 rue des Couronnes",
    "postal_code": "75020",
    "city": "Paris",
    "country": "France",
}


@pytest.fixture
def receipts_on(db):
    """The association's details filled in, receipts turned on; returns the settings."""
    current = TaxReceiptSettings.load()
    current.enabled = True
    current.name = "Les Co-citoyens"
    current.identifier = "W751234567"
    current.address_line = "3 rue de Belleville"
    current.postal_code = "75019"
    current.city = "Paris"
    current.country = "France"
    current.purpose = "Financement participatif de projets de quartier à Paris"
    current.signatory_name = "Fatou Camara"
    current.signatory_quality = "Trésorière"
    current.signature.save("signature.png", ContentFile(PNG_1PX), save=False)
    current.save()
    return current


def offline_gift_with_receipt(campaign, cents=5000, method="cheque", days_ago=3, **fields):
    values = {**ADDRESS, "donor_email": "awa@example.org", **fields}
    return ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name=values.pop("donor_name", "Awa"),
        offline_method=method,
        received_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        wants_receipt=True,
        **values,
    )
