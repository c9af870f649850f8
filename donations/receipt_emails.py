"""The tax receipts' emails to the donor (queued by donations/tasks.py once a receipt is
issued or cancelled): plain text in the receipt's language, like the gift's confirmation.

- ``send_receipt``: the receipt's number and amount, its PDF attached (always French, like
  the form 2041-RD) and its signed download link, which never expires.
- ``send_cancellation``: the receipt is cancelled and why (refund, correction), and which
  receipt replaces it (sent in its own email).

Each is sent once: the row is marked (``emailed_at``, ``cancellation_emailed_at``) before
sending, in a conditional update that only one worker wins, and unmarked if the sending
fails (the task may then run again). Nothing is sent without the donor's email; a receipt
cancelled before its email went out is not sent, and its cancellation is not announced
(the donor never had it).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from helpers.emails import render_subject, render_text
from helpers.money import format_money

from .models import TaxReceipt, TaxReceiptKind, TaxReceiptStatus
from .receipt_links import absolute, current_receipt, download_url


def _claim(receipt_id, field, **conditions):
    """Mark ``field`` now if it is still empty (and ``conditions`` hold); True if this call
    did it (and so must send)."""
    rows = TaxReceipt.objects.filter(pk=receipt_id, **{f"{field}__isnull": True}, **conditions)
    return rows.update(**{field: timezone.now()}) == 1


def _unclaim(receipt_id, field):
    TaxReceipt.objects.filter(pk=receipt_id).update(**{field: None})


def _context(receipt):
    return {
        "receipt": receipt,
        "amount": format_money(receipt.amount_cents, receipt.language),
        "yearly": receipt.kind == TaxReceiptKind.YEAR,
    }


def send_receipt(receipt_id):
    """Email the donor their receipt (PDF attached, download link). Returns True if sent;
    False when it was sent already, is cancelled, or has no email address."""
    receipt = TaxReceipt.objects.filter(pk=receipt_id).first()
    if receipt is None or not receipt.donor_email or receipt.emailed_at:
        return False
    if not _claim(receipt_id, "emailed_at", status=TaxReceiptStatus.ISSUED, purged_at__isnull=True):
        return False
    try:
        # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
        from .receipt_pdf import render_receipt  # noqa: PLC0415

        with translation.override(receipt.language):
            context = {
                **_context(receipt),
                "download_url": absolute(download_url(receipt, receipt.language)),
            }
            subject = render_subject("donations/email/tax_receipt_subject.txt", context)
            body = render_text("donations/email/tax_receipt.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [receipt.donor_email])
        message.attach(
            f"recu-fiscal-{receipt.number}.pdf", render_receipt(receipt), "application/pdf"
        )
        message.send()
    except BaseException:
        _unclaim(receipt_id, "emailed_at")
        raise
    return True


def send_cancellation(receipt_id):
    """Tell the donor their receipt is cancelled, why, and which receipt replaces it.
    Returns True if sent; False when it was told already, the receipt is not cancelled or
    was never emailed, or there is no email address."""
    receipt = TaxReceipt.objects.filter(pk=receipt_id).first()
    if receipt is None or not receipt.donor_email or receipt.cancellation_emailed_at:
        return False
    if receipt.status != TaxReceiptStatus.CANCELLED or receipt.emailed_at is None:
        return False
    if not _claim(receipt_id, "cancellation_emailed_at", status=TaxReceiptStatus.CANCELLED):
        return False
    try:
        replacement = current_receipt(receipt)
        with translation.override(receipt.language):
            context = {
                **_context(receipt),
                "reason": receipt.cancel_reason,
                "replacement": replacement,
                "replacement_amount": (
                    format_money(replacement.amount_cents, receipt.language) if replacement else ""
                ),
            }
            subject = render_subject("donations/email/tax_receipt_cancelled_subject.txt", context)
            body = render_text("donations/email/tax_receipt_cancelled.txt", context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [receipt.donor_email]).send()
    except BaseException:
        _unclaim(receipt_id, "cancellation_emailed_at")
        raise
    return True
