"""Background work of the ledger: emails go out from here, never from a request or webhook."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from wagtail.models import Page

from django_tasks import task

from helpers.email_retry import email_task
from helpers.emails import render_subject
from helpers.money import format_money

from . import receipt_emails, tax_receipts
from .models import Donation, DonationStatus


@email_task()
def send_donation_confirmation(donation_id):
    """Email the donor, in the language they gave in, that their gift is confirmed.

    Does nothing for a gift without email or no longer paid. Returns True when sent.
    """
    donation = Donation.objects.filter(pk=donation_id, status=DonationStatus.PAID).first()
    if donation is None or not donation.donor_email:
        return False
    with translation.override(donation.language):
        campaign = (
            Page.objects.live()
            .filter(translation_key=donation.campaign_key, locale__language_code=donation.language)
            .first()
            or Page.objects.live().filter(translation_key=donation.campaign_key).first()
        )
        context = {
            "donation": donation,
            "amount": format_money(donation.amount_cents, donation.language),
            "campaign_title": campaign.title if campaign else "",
            "campaign_url": campaign.get_full_url() if campaign else "",
        }
        subject = render_subject("donations/email/confirmation_subject.txt", context)
        body = render_to_string("donations/email/confirmation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [donation.donor_email])
    return True


@task()
def issue_gift_receipt(donation_id):
    """Issue the gift's own tax receipt if it is due now (donations/tax_receipts.py);
    returns the receipt's number or None."""
    receipt = tax_receipts.issue_for_gift(donation_id)
    return receipt.number if receipt else None


@task()
def correct_gift_receipt(donation_id):
    """The gift's money changed: cancel and reissue its receipt if it no longer says what
    the association keeps; a gift without a receipt may get its own now."""
    corrected = tax_receipts.follow_refund(donation_id)
    if corrected is None:
        receipt = tax_receipts.issue_for_gift(donation_id)
        return receipt.number if receipt else None
    return corrected.number


@email_task()
def send_tax_receipt(receipt_id):
    """Email the donor their tax receipt (PDF attached, signed download link)."""
    return receipt_emails.send_receipt(receipt_id)


@email_task()
def send_tax_receipt_cancellation(receipt_id):
    """Tell the donor their receipt is cancelled (and which one replaces it)."""
    return receipt_emails.send_cancellation(receipt_id)
