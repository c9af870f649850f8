"""What the donor sees of tax receipts: the signed links of the emails, and their two pages.

- **Download** (``download_url(receipt)``): a link signed for one receipt, which never
  expires (the donor needs it in spring, when filing the tax return, and may lose the
  email's attachment). It answers the PDF; a cancelled receipt answers 410 with a page
  saying so and linking the receipt that replaces it, if any.
- **Address** (``address_url(donation)``): a link signed for one gift, valid 400 days,
  printed in the confirmation email when the donor asked for a receipt without giving
  their postal address, or did not ask but may still. Its page takes the name and address
  (and the yearly choice), then issues the receipt if it is due now, or says when it comes.

A damaged, forged or expired link answers 404 with a page saying what to do. Each link
names the receipt or gift by its UUID, signed with its own salt: a download token is not
an address token, nor the reverse. Pages are never indexed nor cached.
"""

import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from helpers.money import format_money
from helpers.ratelimit import hit, per_ip

from . import tax_receipts
from .forms import RECEIPT_ADDRESS_FIELDS, ReceiptAddressForm
from .models import Donation, DonationSource, DonationStatus, TaxReceipt, TaxReceiptStatus

DOWNLOAD_SALT = "donations.tax-receipt.download"
ADDRESS_SALT = "donations.tax-receipt.address"
ADDRESS_MAX_AGE = datetime.timedelta(days=400)


# --- tokens and links -----------------------------------------------------------------------


def _load(token, unsign):
    """The UUID signed in ``token``, or None if it is forged, damaged, expired or not one."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        return uuid.UUID(unsign(token))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None


def download_token(receipt):
    """The receipt's UUID, signed without a date: the same link every time, forever."""
    return signing.Signer(salt=DOWNLOAD_SALT).sign(str(receipt.uuid))


def download_url(receipt, language=None):
    """The path of the receipt's download (signed, never expires), in the receipt's
    language (the page of a cancelled receipt is in it)."""
    with translation.override(language or receipt.language):
        return reverse("donations:tax_receipt", args=[download_token(receipt)])


def load_receipt(token):
    """The receipt a download token names, or None."""
    key = _load(token, signing.Signer(salt=DOWNLOAD_SALT).unsign)
    return TaxReceipt.objects.filter(uuid=key).first() if key else None


def address_token(donation):
    """The gift's UUID, signed with the time: the link works ADDRESS_MAX_AGE."""
    return signing.dumps(str(donation.uuid), salt=ADDRESS_SALT)


def address_url(donation, language=None):
    """The path of the page giving ``donation``'s receipt name and address (signed, valid
    ADDRESS_MAX_AGE), in the gift's language."""
    with translation.override(language or donation.language):
        return reverse("donations:tax_receipt_address", args=[address_token(donation)])


def load_gift(token):
    """The gift an address token names, or None (also once it is older than 400 days)."""
    key = _load(
        token, lambda value: signing.loads(value, salt=ADDRESS_SALT, max_age=ADDRESS_MAX_AGE)
    )
    return Donation.objects.filter(uuid=key).first() if key else None


def absolute(path):
    """``path`` on the site's public address (the base of every link in emails)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def current_receipt(receipt):
    """The valid receipt that replaces ``receipt`` (following corrections of corrections),
    ``receipt`` itself when it is valid, or None."""
    seen = set()
    while receipt is not None and receipt.pk not in seen:
        if receipt.status == TaxReceiptStatus.ISSUED:
            return receipt
        seen.add(receipt.pk)
        receipt = TaxReceipt.objects.filter(replaces=receipt).first()
    return None


# --- what a gift's donor is told ------------------------------------------------------------

# The states of a paid gift's receipt, as the thank-you page and the confirmation say them.
ISSUED = "issued"  # issued: emailed separately
SOON = "soon"  # due now: issued and emailed within minutes
HELD = "held"  # an all-or-nothing campaign: once it succeeds
YEARLY = "yearly"  # one receipt for the year, in January
ADDRESS = "address"  # asked for, the address is missing: the signed link
OFFER = "offer"  # not asked, receipts are offered: the signed link


def receipt_outlook(donation):
    """What to tell the donor of a paid gift about its tax receipt: a dict with ``state``
        (one of the constants above), ``receipt``, ``address_url`` (a path), ``year`` (of the
    gift) and ``january`` (the year a yearly receipt comes); or None
        when nothing is to be said (receipts not offered, a sponsor's matching gift)."""
    if donation.source == DonationSource.MATCH:
        return None
    receipt = tax_receipts.valid_receipt_of(donation)
    if receipt is not None:
        return {"state": ISSUED, "receipt": receipt}
    if not tax_receipts.receipts_offered() or donation.status != DonationStatus.PAID:
        return None
    year = tax_receipts.gift_date(donation).year
    outlook = {"state": None, "receipt": None, "year": year, "january": year + 1}
    if not donation.wants_receipt:
        outlook["state"] = OFFER
    elif not donation.has_receipt_address:
        outlook["state"] = ADDRESS
    elif donation.receipt_yearly:
        outlook["state"] = YEARLY
    elif tax_receipts.held(donation.campaign_key):
        outlook["state"] = HELD
    else:
        outlook["state"] = SOON
    if outlook["state"] in (OFFER, ADDRESS):
        outlook["address_url"] = address_url(donation, get_language())
    return outlook


# --- pages ----------------------------------------------------------------------------------


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _invalid(request, reason="link", status=404):
    return _private(
        render(request, "donations/receipt_link_invalid.html", {"reason": reason}, status=status)
    )


@require_GET
def tax_receipt(request, token):
    """The receipt's PDF; a cancelled one: 410 and the receipt replacing it, if any."""
    receipt = load_receipt(token)
    if receipt is None:
        return _invalid(request)
    if receipt.status != TaxReceiptStatus.ISSUED or receipt.purged_at:
        replacement = current_receipt(receipt) if not receipt.purged_at else None
        context = {
            "receipt": receipt,
            "replacement": replacement,
            "replacement_url": download_url(replacement, get_language()) if replacement else "",
        }
        return _private(render(request, "donations/receipt_gone.html", context, status=410))
    # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
    from .receipt_pdf import render_receipt  # noqa: PLC0415

    response = HttpResponse(render_receipt(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
    return _private(response)


def _gift_for_address(token):
    """(gift, reason): the paid resident's gift the token names, or None and why not."""
    gift = load_gift(token)
    if gift is None or gift.source == DonationSource.MATCH:
        return None, "link"
    if gift.status != DonationStatus.PAID:
        return None, "refunded" if gift.status == DonationStatus.REFUNDED else "unpaid"
    return gift, ""


@require_http_methods(["GET", "POST"])
def tax_receipt_address(request, token):
    """The receipt's name and postal address for a gift, given after it (signed link)."""
    gift, reason = _gift_for_address(token)
    if gift is None:
        return _invalid(request, reason)
    receipt = tax_receipts.valid_receipt_of(gift)
    if receipt is None and not tax_receipts.receipts_offered():
        return _invalid(request, "off")
    context = {
        "gift": gift,
        "token": token,
        "receipt": receipt,
        "gift_amount": format_money(gift.amount_cents),
        "gift_date": tax_receipts.gift_date(gift),
    }
    if receipt is not None:
        context["download_url"] = download_url(receipt, get_language())
        return _private(render(request, "donations/receipt_address.html", context))

    needs_email = not gift.donor_email
    if request.method == "GET":
        initial = {name: getattr(gift, name) for name in RECEIPT_ADDRESS_FIELDS}
        initial["country"] = initial["country"] or "France"
        initial["receipt_yearly"] = gift.receipt_yearly
        form = ReceiptAddressForm(initial=initial, needs_email=needs_email)
        context.update(form=form, outlook=_saved_outlook(gift, request))
        return _private(render(request, "donations/receipt_address.html", context))

    form = ReceiptAddressForm(request.POST, needs_email=needs_email)
    context["form"] = form
    if not form.is_valid():
        return _private(render(request, "donations/receipt_address.html", context, status=400))
    limit, window = settings.DONATION_RATE_LIMIT
    retry_after = hit("donations.receipt_address", per_ip(request), limit, window)
    if retry_after:
        context["retry_after"] = retry_after
        response = render(request, "donations/receipt_address.html", context, status=429)
        response["Retry-After"] = str(retry_after)
        return _private(response)
    _save_address(gift, form.cleaned_data)
    tax_receipts.issue_for_gift(gift.pk)
    return redirect(reverse("donations:tax_receipt_address", args=[token]) + "?saved=1")


def _saved_outlook(gift, request):
    """After the address was saved (?saved=1): when the receipt comes."""
    if request.GET.get("saved") != "1" or not (gift.wants_receipt and gift.has_receipt_address):
        return None
    return receipt_outlook(gift)


def _save_address(gift, data):
    """Save the receipt's name and address on the gift, unless a receipt covers it already
    (a receipt's details never change: staff cancel and reissue it)."""
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=gift.pk)
        if tax_receipts.valid_receipt_of(locked) is not None:
            return
        fields = {name: data[name] for name in RECEIPT_ADDRESS_FIELDS}
        fields.update(wants_receipt=True, receipt_yearly=bool(data.get("receipt_yearly")))
        if not locked.donor_email and data.get("donor_email"):
            fields["donor_email"] = data["donor_email"]
        Donation.objects.filter(pk=locked.pk).update(**fields)
