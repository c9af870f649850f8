"""A donor's tax receipts and personal data (issue 13, items 3 and 5): the name and postal
address given for a receipt are exported and erased with the rest of a gift; the receipts
themselves are exported but kept (legal keeping period), until the purge blanks them."""

import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from donations import personal_data as donor_data
from donations import tax_receipts
from donations.models import Donation, TaxReceipt
from helpers import personal_data
from tests.donations.receipt_fixtures import (  # noqa: F401 - receipts_on is a fixture
    ADDRESS,
    offline_gift_with_receipt,
    receipts_on,
)

EMAIL = "awa.diallo@example.org"
NEEDLES = [EMAIL, "Awa Diallo", "Diallo", "12 rue des Couronnes", "rue des Couronnes"]


@pytest.fixture
def donor(campaign, receipts_on, django_capture_on_commit_callbacks):  # noqa: F811
    """Awa: a gift with its receipt, and another donor's gift and receipt that stay."""
    with django_capture_on_commit_callbacks(execute=True):
        gift = offline_gift_with_receipt(
            campaign, cents=5000, donor_name="Awa", donor_email=EMAIL.upper()
        )
        other = offline_gift_with_receipt(
            campaign,
            cents=2000,
            donor_name="Bruno",
            donor_email="bruno@example.org",
            receipt_name="Bruno Keita",
            address_line="3 villa Faucheur",
        )
    return {"gift": gift, "receipt": gift.tax_receipts.get(), "other": other}


def receipt_rows_holding(needles):
    """Every (receipt, field) whose text holds one of ``needles``."""
    hits = []
    for row in TaxReceipt.objects.values():
        for name, value in row.items():
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            if any(needle.lower() in text.lower() for needle in needles):
                hits.append((row["id"], name))
    return hits


def test_receipts_are_found_by_email_and_exported_but_not_erasable(donor):
    found = personal_data.find(EMAIL.lower(), "")
    records = {(record.kind, record.id): record for record in found.records}
    assert sorted(records) == sorted(
        [("donations.gift", donor["gift"].pk), ("donations.tax_receipt", donor["receipt"].pk)]
    )
    gift = records[("donations.gift", donor["gift"].pk)]
    assert gift.erasable
    assert {name: gift.data[name] for name in ADDRESS} == ADDRESS
    assert gift.data["wants_receipt"] is True and gift.data["receipt_yearly"] is False

    receipt = records[("donations.tax_receipt", donor["receipt"].pk)]
    kept_until = tax_receipts.keep_until(donor["receipt"].issued_at)
    assert not receipt.erasable
    assert kept_until.isoformat() in str(receipt.note)  # "kept for the legal period … until"
    assert receipt.data["number"] == donor["receipt"].number
    assert receipt.data["amount_cents"] == 5000
    assert receipt.data["first_gift_on"] == donor["gift"].received_on.isoformat()
    assert (receipt.data["donor_name"], receipt.data["address_line"]) == (
        "Awa Diallo",
        "12 rue des Couronnes",
    )
    assert (receipt.data["postal_code"], receipt.data["city"], receipt.data["country"]) == (
        "75020",
        "Paris",
        "France",
    )
    assert receipt.data["kept_until"] == kept_until.isoformat()
    assert kept_until.year == timezone.localdate().year + 6

    exported = json.loads(personal_data.export_json(found))
    kinds = sorted(record["kind"] for record in exported["records"])
    assert kinds == ["donations.gift", "donations.tax_receipt"]
    csv_text = personal_data.export_csv(found)
    assert "donations.tax_receipt" in csv_text and donor["receipt"].number in csv_text


def test_erasing_a_donor_blanks_the_gift_and_keeps_the_receipt_until_the_purge(donor):
    found = personal_data.find(EMAIL, "")
    assert personal_data.erase(found, by_user=None) == {"donations": 1}

    gift = Donation.objects.get(pk=donor["gift"].pk)
    assert (gift.donor_name, gift.donor_email, gift.receipt_name) == ("", "", "")
    assert (gift.address_line, gift.postal_code, gift.city, gift.country) == ("", "", "", "")
    assert gift.amount_cents == 5000 and gift.status == "paid"
    # the receipt is kept whole for the legal period, and still found by its email
    receipt = TaxReceipt.objects.get(pk=donor["receipt"].pk)
    assert receipt.status == "issued" and receipt.purged_at is None
    assert (receipt.donor_name, receipt.address_line, receipt.donor_email) == (
        "Awa Diallo",
        "12 rue des Couronnes",
        EMAIL.upper(),
    )
    assert [record.kind for record in personal_data.find(EMAIL, "").records] == [
        "donations.tax_receipt"
    ]
    # erasing again erases no receipt (not erasable), even if asked directly
    assert personal_data.erase(personal_data.find(EMAIL, ""), by_user=None) == {}
    assert donor_data.erase(personal_data.find(EMAIL, "").records, by_user=None) == 0
    assert receipt_rows_holding(NEEDLES)

    # the other donor is untouched
    other = Donation.objects.get(pk=donor["other"].pk)
    assert (other.receipt_name, other.address_line) == ("Bruno Keita", "3 villa Faucheur")

    # six years and more after issue, the purge blanks the receipt's donor
    TaxReceipt.objects.filter(pk=receipt.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=6 * 366 + 1)
    )
    out = io.StringIO()
    call_command("issue_tax_receipts", "--purge", stdout=out)
    assert "1 receipts purged" in out.getvalue()
    assert receipt_rows_holding(NEEDLES) == []
    receipt.refresh_from_db()
    assert receipt.purged_at is not None and receipt.amount_cents == 5000
    assert personal_data.find(EMAIL, "").records == []
    # the other donor's recent receipt keeps its details
    assert receipt_rows_holding(["Bruno Keita", "bruno@example.org", "3 villa Faucheur"])


def test_the_purge_takes_the_gifts_copy_of_the_name_and_address_too(donor):
    """Not erased on request, a gift keeps the name and address its receipt was made out to
    while the receipt is kept; once the receipt is purged, the gift's copy goes too."""
    TaxReceipt.objects.filter(pk=donor["receipt"].pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=6 * 366 + 1)
    )
    assert tax_receipts.purge_expired() == 1
    gift = Donation.objects.get(pk=donor["gift"].pk)
    assert (gift.receipt_name, gift.address_line, gift.postal_code, gift.city) == ("",) * 4
    assert gift.country == "" and gift.amount_cents == 5000 and gift.wants_receipt
    other = Donation.objects.get(pk=donor["other"].pk)  # its receipt is recent
    assert (other.receipt_name, other.address_line) == ("Bruno Keita", "3 villa Faucheur")


def test_the_erase_confirmation_says_the_receipt_stays_and_until_when(donor, admin_client):
    """Staff see, before erasing, what stays and why (a tax receipt, the legal period)."""
    data = {"email": EMAIL, "phone": ""}
    page = admin_client.post(reverse("personal_data:erase"), data).content.decode()
    kept = page[page.index('class="personal-data-kept"') :]
    kept = kept[: kept.index("</ul>")]
    assert donor["receipt"].number in kept
    assert tax_receipts.keep_until(donor["receipt"].issued_at).isoformat() in kept
    assert (
        admin_client.post(reverse("personal_data:erase"), {**data, "confirm": "yes"}).status_code
        == 302
    )
    assert TaxReceipt.objects.get(pk=donor["receipt"].pk).donor_name == "Awa Diallo"
