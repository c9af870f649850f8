"""Tax receipts (issue 13, item 3): who gets one, numbering, cancel and reissue."""

from donations import ledger, tax_receipts
from donations.models import DonationStatus, TaxReceipt, TaxReceiptStatus
from tests.donations.receipt_fixtures import offline_gift_with_receipt, receipts_on  # noqa: F401


def test_an_offline_gift_with_an_address_gets_its_receipt_and_a_refund_replaces_it(
    campaign, receipts_on, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = offline_gift_with_receipt(campaign, cents=5000)
    receipt = TaxReceipt.objects.get()
    assert receipt.amount_cents == 5000
    assert list(receipt.donations.all()) == [gift]
    assert receipt.sequence == 1 and receipt.payment_modes == ["cheque"]

    gift.refunded_cents = 2000
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift)
    old, new = TaxReceipt.objects.order_by("sequence")
    assert old.status == TaxReceiptStatus.CANCELLED and old.cancel_reason == "refund"
    assert new.status == TaxReceiptStatus.ISSUED and new.amount_cents == 3000
    assert new.sequence == 2 and new.replaces == old

    with django_capture_on_commit_callbacks(execute=True):
        ledger.mark_returned(gift.pk, user=None, returned_on=gift.received_on)
    gift.refresh_from_db()
    assert gift.status == DonationStatus.REFUNDED
    assert TaxReceipt.objects.filter(status=TaxReceiptStatus.ISSUED).count() == 0
    assert tax_receipts.issue_due() == []
