"""The donors' personal data, for staff requests (helpers/personal_data.py): a donor's gifts
found by email, exported, and erased — name, email, message, and the name and postal address
given for a tax receipt blanked, the gift shown anonymously — while its amount, dates and
status stay in the ledger. The donor's tax receipts (found by the email they were issued
to) are exported but not erased: the association must keep them for the legal period
(``tax_receipts.KEEP_YEARS`` years after issue), after which ``manage.py issue_tax_receipts
--purge`` blanks their donor's details. Registered from the app's AppConfig.ready()."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpers import personal_data
from helpers.money import format_money

from . import ledger, tax_receipts
from .models import DisplayChoice, Donation, DonationSource, TaxReceipt

KIND = "donations.gift"
RECEIPT_KIND = "donations.tax_receipt"
RECEIPT_FIELDS = ("receipt_name", "address_line", "postal_code", "city", "country")
PERSONAL_FIELDS = ("donor_name", "donor_email", "message", *RECEIPT_FIELDS)


def _record(gift):
    return personal_data.Record(
        kind=KIND,
        kind_label=_("Gift"),
        id=gift.pk,
        summary=_("%(amount)s, %(status)s, %(source)s, %(date)s")
        % {
            "amount": format_money(gift.amount_cents),
            "status": gift.get_status_display(),
            "source": gift.get_source_display(),
            "date": (gift.paid_at or gift.created_at).date().isoformat(),
        },
        data={
            "reference": str(gift.uuid),
            "campaign_key": str(gift.campaign_key),
            "amount_cents": gift.amount_cents,
            "refunded_cents": gift.refunded_cents,
            "currency": gift.currency,
            "status": gift.status,
            "source": gift.source,
            "offline_method": gift.offline_method,
            "received_on": gift.received_on.isoformat() if gift.received_on else None,
            "evidence": gift.evidence,
            "display": gift.display,
            "donor_name": gift.donor_name,
            "donor_email": gift.donor_email,
            "message": gift.message,
            "language": gift.language,
            "wants_news": gift.wants_news,
            "wants_receipt": gift.wants_receipt,
            "receipt_yearly": gift.receipt_yearly,
            **{name: getattr(gift, name) for name in RECEIPT_FIELDS},
            "created_at": gift.created_at.isoformat(timespec="seconds"),
            "paid_at": gift.paid_at.isoformat(timespec="seconds") if gift.paid_at else None,
        },
    )


def _receipt_record(receipt):
    kept_until = tax_receipts.keep_until(receipt.issued_at)
    return personal_data.Record(
        kind=RECEIPT_KIND,
        kind_label=_("Tax receipt"),
        id=receipt.pk,
        summary=_("Tax receipt %(number)s, %(amount)s, %(status)s, issued on %(date)s")
        % {
            "number": receipt.number,
            "amount": format_money(receipt.amount_cents),
            "status": receipt.get_status_display(),
            "date": timezone.localdate(receipt.issued_at).isoformat(),
        },
        data={
            "number": receipt.number,
            "kind": receipt.kind,
            "status": receipt.status,
            "amount_cents": receipt.amount_cents,
            "first_gift_on": receipt.first_gift_on.isoformat(),
            "last_gift_on": receipt.last_gift_on.isoformat(),
            "payment_modes": list(receipt.payment_modes),
            "issued_at": receipt.issued_at.isoformat(timespec="seconds"),
            "cancelled_at": (
                receipt.cancelled_at.isoformat(timespec="seconds") if receipt.cancelled_at else None
            ),
            "donor_name": receipt.donor_name,
            "address_line": receipt.address_line,
            "postal_code": receipt.postal_code,
            "city": receipt.city,
            "country": receipt.country,
            "donor_email": receipt.donor_email,
            "kept_until": kept_until.isoformat(),
        },
        erasable=False,
        note=_(
            "Kept for the legal period (%(years)s years after issue, until %(date)s), then "
            "purged of the donor's details."
        )
        % {"years": tax_receipts.KEEP_YEARS, "date": kept_until.isoformat()},
    )


def find(email, phone):
    """The gifts given with this email (or whose evidence names it), and the tax receipts
    issued to it (not erasable); gifts and receipts hold no phone."""
    if not email:
        return []
    gifts = (
        Donation.objects.exclude(source=DonationSource.MATCH)
        .filter(Q(donor_email__iexact=email) | Q(evidence__icontains=email))
        .order_by("pk")
    )
    receipts = TaxReceipt.objects.filter(donor_email__iexact=email).order_by("year", "sequence")
    return [_record(gift) for gift in gifts] + [_receipt_record(receipt) for receipt in receipts]


def erase(records, by_user):
    """Blank the gifts' name, email, message and tax-receipt name and address (and the
    donor's identifiers in their evidence); a gift shown with its name becomes anonymous
    (one shown with its amount hidden keeps it hidden). Amounts, statuses and dates are not
    touched; the campaigns' tallies are worked out again (their people count may change: an
    erased donor's gifts no longer share an email). Returns how many gifts were erased."""
    # tax receipts are kept for the legal period, never erased here
    ids = sorted(record.id for record in records if record.kind == KIND)
    with transaction.atomic():
        gifts = list(Donation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        for gift in gifts:
            identifiers = [gift.donor_name, gift.donor_email, gift.receipt_name]
            update = dict.fromkeys(PERSONAL_FIELDS, "")
            update["wants_news"] = False
            update["evidence"] = personal_data.scrub(gift.evidence, identifiers)
            if gift.display == DisplayChoice.NAME:
                update["display"] = DisplayChoice.ANONYMOUS
            # only personal fields: the ledger's amounts and statuses stay as they are
            Donation.objects.filter(pk=gift.pk).update(**update)
        for key in sorted({gift.campaign_key for gift in gifts}):
            ledger.recompute(key)  # people counts follow the erased emails
        erased = list(Donation.objects.filter(pk__in=ids))
        personal_data.log_erased(erased, by_user)
    return len(erased)


def register():
    personal_data.register("donations", _("Gifts"), find, erase, order=10)
