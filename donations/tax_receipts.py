"""Tax receipts (reçus fiscaux, form 2041-RD / Cerfa 11580*05): who gets one, when, under
which number, and what happens when the money goes back. docs/tax-receipts.md tells staff;
../shared/reference/recu-fiscal.md gives the rules (and which of them are unverified).

- **Who.** A donor who asked for one (``Donation.wants_receipt``) and gave a legal name and
  a complete postal address (at gift time, or later through the signed link of the
  confirmation email), for an online or offline gift (never a sponsor's matching gift:
  a company gets another form). Only once staff filled in the association's details and
  turned receipts on (``TaxReceiptSettings``): until then the site promises none.
- **When.** A gift's receipt is issued by ``issue_due()`` (``manage.py issue_tax_receipts``,
  every 10 minutes) once the gift is paid and its money is the association's to keep: a
  gift to an all-or-nothing campaign waits until the campaign has succeeded (a failed one
  refunds it, and a refunded gift gets no receipt). A donor who asked for one receipt a
  year gets it in January for the previous calendar year (``issue_yearly(year)``).
- **Number.** « Numéro d'ordre »: the calendar year of issue and a rank in that year
  (2026-000042), taken from a counter row locked in the same transaction as the receipt's
  insert: no gap, no duplicate, never reused, also under concurrent issuing.
- **Refunds and corrections.** A receipt is never edited. When a gift it covers is refunded
  (in part or in full), or staff correct a donor's name or address, the receipt is
  cancelled and, if money is left, a new one issued under a new number; the donor is told
  by email (``donations/receipt_emails.py``).
- **What it says** is copied onto the receipt when it is issued (TaxReceipt), so its PDF
  (``render_pdf``) reads the same years later.
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import (
    Donation,
    DonationSource,
    DonationStatus,
    ReceiptCounter,
    TaxReceipt,
    TaxReceiptCancelReason,
    TaxReceiptKind,
    TaxReceiptSettings,
    TaxReceiptStatus,
)
from .tasks import send_tax_receipt, send_tax_receipt_cancellation

logger = logging.getLogger(__name__)

# The form's « mode de versement » box for each way of giving.
CARD = "card"
PAYMENT_MODE_LABELS = {
    "cash": "Remise d'espèces",
    "cheque": "Chèque",
    "transfer": "Virement, prélèvement, carte bancaire",
    CARD: "Virement, prélèvement, carte bancaire",
}
# How long a receipt's donor details are kept after it was issued (6 years: art. L. 102 B
# LPF and the on-site checks of L. 14 A, see the reference note), then purged.
KEEP_YEARS = 6

ADDRESS_FIELDS = ("receipt_name", "address_line", "postal_code", "city", "country")


class AlreadyReceipted(ValueError):
    """A gift is already covered by a valid receipt: a second one would count it twice."""


# --- settings -------------------------------------------------------------------------------


def receipt_settings():
    return TaxReceiptSettings.load()


def receipts_offered():
    """True when the site issues tax receipts: turned on, every required detail filled in."""
    current = receipt_settings()
    return current.enabled and not current.missing()


def issuer_snapshot(current=None):
    """The association's details a receipt prints, as they are now (copied onto it)."""
    current = current or receipt_settings()
    return {
        "name": current.name,
        "identifier": current.identifier,
        "address_line": current.address_line,
        "postal_code": current.postal_code,
        "city": current.city,
        "country": current.country,
        "purpose": current.purpose,
        "category": current.category,
        "sub_category": current.sub_category,
        "article": current.article,
        "signatory_name": current.signatory_name,
        "signatory_quality": current.signatory_quality,
        "signature": current.signature.name if current.signature else "",
    }


# --- campaigns that hold their receipts -----------------------------------------------------

# The campaign app says which campaigns' gifts must wait for their receipt (the ledger's
# layer cannot import it): lookup(campaign_key) → True while an all-or-nothing campaign has
# not succeeded.
_hold_lookup = None


def register_receipt_hold(lookup):
    """Register ``lookup(campaign_key)`` → True while that campaign's gifts must wait for
    their receipts; called from the campaign app's AppConfig.ready()."""
    global _hold_lookup
    _hold_lookup = lookup


def held(campaign_key):
    return bool(_hold_lookup and _hold_lookup(campaign_key))


# --- what a gift brings to a receipt --------------------------------------------------------


def gift_date(donation):
    """The date that decides the tax year: the day an offline gift was received, the day a
    card payment was confirmed (Paris time) for an online one."""
    if donation.source == DonationSource.OFFLINE and donation.received_on:
        return donation.received_on
    when = donation.paid_at or donation.created_at
    return timezone.localdate(when)


def payment_mode(donation):
    """``cash``, ``cheque``, ``transfer`` or ``card``."""
    if donation.source == DonationSource.OFFLINE:
        return donation.offline_method or "cash"
    return CARD


def kept_cents(donation):
    """The money of this gift the association keeps (what a receipt may state)."""
    if donation.status != DonationStatus.PAID:
        return 0
    return donation.amount_cents - donation.refunded_cents


def valid_receipt_of(donation):
    """The issued (not cancelled) receipt covering ``donation``, or None."""
    return donation.tax_receipts.filter(status=TaxReceiptStatus.ISSUED).first()


def _covered():
    return Exists(
        TaxReceipt.donations.through.objects.filter(
            donation_id=OuterRef("pk"), taxreceipt__status=TaxReceiptStatus.ISSUED
        )
    )


def receiptable():
    """Gifts that may get a receipt some day: paid, asked for, with a name and address."""
    gifts = Donation.objects.filter(status=DonationStatus.PAID, wants_receipt=True).exclude(
        source=DonationSource.MATCH
    )
    for name in ADDRESS_FIELDS:
        gifts = gifts.exclude(**{name: ""})
    return gifts


# --- numbering ------------------------------------------------------------------------------


def _next_sequence(year):
    """The next rank in ``year``: the counter row is locked until the caller's transaction
    ends, so a rolled-back receipt gives its number back and two receipts never share one."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# --- issuing --------------------------------------------------------------------------------


def _lock_gifts(donation_ids):
    """The gifts ``donation_ids``, locked in the ledger's order (by id)."""
    return list(Donation.objects.select_for_update().filter(pk__in=donation_ids).order_by("pk"))


DONOR_FIELDS = ("donor_name", "address_line", "postal_code", "city", "country")


def statement(gifts, replaces=None):
    """What a receipt for ``gifts`` states now, as TaxReceipt field values (None when the
    gifts leave the association no money): the money kept, the first and last gift dates,
    the payment modes, and the donor's details from the latest gift that has a name and a
    complete address (else those of the receipt it ``replaces``, e.g. once the gifts'
    details were erased on the donor's request). Raises ValueError when no details are
    known."""
    kept = [gift for gift in gifts if kept_cents(gift) > 0]
    if not kept:
        return None
    dated = sorted(kept, key=lambda gift: (gift_date(gift), gift.pk))
    with_address = [gift for gift in dated if gift.has_receipt_address]
    if with_address:
        details = with_address[-1]
        donor = {
            "donor_name": details.receipt_name,
            "address_line": details.address_line,
            "postal_code": details.postal_code,
            "city": details.city,
            "country": details.country,
            "language": details.language,
        }
    elif replaces is not None and all(getattr(replaces, name) for name in DONOR_FIELDS):
        donor = {name: getattr(replaces, name) for name in (*DONOR_FIELDS, "language")}
    else:
        raise ValueError("no gift gives the donor's name and postal address")
    emails = [gift.donor_email for gift in dated if gift.donor_email]
    return {
        **donor,
        "donor_email": emails[-1] if emails else getattr(replaces, "donor_email", ""),
        "amount_cents": sum(kept_cents(gift) for gift in kept),
        "first_gift_on": gift_date(dated[0]),
        "last_gift_on": gift_date(dated[-1]),
        "payment_modes": sorted({payment_mode(gift) for gift in kept}),
        "gifts": kept,
    }


def issue(donation_ids, *, kind=TaxReceiptKind.GIFT, user=None, replaces=None, now=None):
    """Issue one receipt for the gifts ``donation_ids`` and return it (None when they leave
    the association no money). The donor's details come from the latest gift that has
    them. Raises AlreadyReceipted if a gift is covered by a valid receipt already.
    ``now`` (default: now) is the date of issue, whose calendar year numbers the receipt.
    Locks the gifts, then the year's counter (the ledger's order). The donor gets it by
    email once the transaction commits."""
    now = now or timezone.now()
    with transaction.atomic():
        gifts = _lock_gifts(donation_ids)
        for gift in gifts:
            receipt = valid_receipt_of(gift)
            if receipt is not None and receipt != replaces:
                raise AlreadyReceipted(f"gift {gift.uuid} is on receipt {receipt.number}")
        fields = statement(gifts, replaces=replaces)
        if fields is None:
            return None
        kept = fields.pop("gifts")
        current = receipt_settings()
        # a correction made while the settings are incomplete keeps the issuer it had
        issuer = replaces.issuer if replaces is not None and current.missing() else None
        year = timezone.localdate(now).year
        receipt = TaxReceipt.objects.create(
            year=year,
            sequence=_next_sequence(year),
            kind=kind,
            issuer=issuer or issuer_snapshot(current),
            issued_at=now,
            issued_by=user,
            replaces=replaces,
            **fields,
        )
        receipt.donations.set(kept)
        transaction.on_commit(lambda: _email(receipt.pk))
    return receipt


def eligible_for_own_receipt(donation):
    """True when ``donation`` should get a receipt of its own now."""
    return (
        donation.wants_receipt
        and not donation.receipt_yearly
        and donation.source != DonationSource.MATCH
        and donation.has_receipt_address
        and kept_cents(donation) > 0
        and not held(donation.campaign_key)
        and valid_receipt_of(donation) is None
    )


def issue_for_gift(donation_id, user=None, now=None):
    """The gift's own receipt, issued now if it should have one (idempotent): returns the
    valid receipt covering it, or None (receipts off or incomplete, not asked, no address,
    no money kept, a yearly receipt asked, or its all-or-nothing campaign not succeeded)."""
    if not receipts_offered():
        return None
    return _own_receipt(donation_id, user=user, now=now)[0]


def _own_receipt(donation_id, user=None, now=None):
    """(the valid receipt covering the gift or None, True if this call issued it)."""
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        existing = valid_receipt_of(donation)
        if existing is not None:
            return existing, False
        if not eligible_for_own_receipt(donation):
            return None, False
        receipt = issue([donation.pk], user=user, now=now)
        return receipt, receipt is not None


def due_gifts():
    """Gifts waiting for a receipt of their own (held campaigns included: ``issue_due``
    skips those)."""
    return receiptable().filter(receipt_yearly=False).exclude(_covered()).order_by("paid_at", "pk")


def issue_due():
    """Issue every receipt due now (the scheduled command). Returns the receipts this call
    issued (not those a task or another run issued meanwhile)."""
    if not receipts_offered():
        return []
    issued = []
    waiting = {}  # campaign key → its gifts' receipts wait (asked once per run)
    for donation_id, key in due_gifts().values_list("pk", "campaign_key"):
        if key not in waiting:
            waiting[key] = held(key)
        if waiting[key]:
            continue  # not even locked: a payment may be arriving for it
        receipt, new = _own_receipt(donation_id)
        if new:
            issued.append(receipt)
    return issued


def _person(gift):
    """Whose yearly receipt a gift goes on: the legal name on the receipt (case and spaces
    aside) with the email, else with the postal code. One email giving for two people
    (e.g. a couple) gets one receipt per name: a receipt states who gave."""
    name = " ".join(gift.receipt_name.lower().split())
    if gift.donor_email:
        return ("email", gift.donor_email.strip().lower(), name)
    return ("address", name, gift.postal_code.strip().replace(" ", ""))


def yearly_gifts(year):
    """Gifts of ``year`` waiting for a yearly receipt, grouped by person: {person: [ids]}."""
    groups = defaultdict(list)
    gifts = receiptable().filter(receipt_yearly=True).exclude(_covered()).order_by("pk")
    for gift in gifts:
        if gift_date(gift).year == year and not held(gift.campaign_key):
            groups[_person(gift)].append(gift.pk)
    return dict(groups)


def _yearly_receipt(ids, user=None, now=None):
    """Issue the yearly receipt of one person's gifts ``ids`` that still need it (checked
    again under the gifts' locks: a run at the same time or a refund meanwhile is
    taken into account), or return None."""
    with transaction.atomic():
        gifts = _lock_gifts(ids)
        due = [
            gift.pk
            for gift in gifts
            if gift.wants_receipt
            and gift.receipt_yearly
            and gift.source != DonationSource.MATCH
            and gift.has_receipt_address
            and kept_cents(gift) > 0
            and valid_receipt_of(gift) is None
        ]
        if not due:
            return None
        return issue(due, kind=TaxReceiptKind.YEAR, user=user, now=now)


def issue_yearly(year, user=None, now=None):
    """One receipt per person for the gifts of ``year`` they asked to be receipted yearly.
    Returns the receipts issued; running it again issues none for the same gifts (a gift
    of ``year`` that came in or was released later gets a further receipt then)."""
    if not receipts_offered():
        return []
    issued = []
    for ids in yearly_gifts(year).values():
        receipt = _yearly_receipt(ids, user=user, now=now)
        if receipt is not None:
            issued.append(receipt)
    return issued


# --- cancelling -----------------------------------------------------------------------------


def cancel(receipt, *, reason, user=None, notify=True):
    """Cancel ``receipt`` (its number is never used again). Returns True if it changed."""
    with transaction.atomic():
        receipt = TaxReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status == TaxReceiptStatus.CANCELLED:
            return False
        receipt.status = TaxReceiptStatus.CANCELLED
        receipt.cancelled_at = timezone.now()
        receipt.cancel_reason = reason
        receipt.cancelled_by = user
        receipt.save()
        if notify:
            transaction.on_commit(lambda: _email_cancellation(receipt.pk))
    return True


def reissue(receipt, *, user=None, reason=TaxReceiptCancelReason.CORRECTION):
    """Cancel ``receipt`` and issue its replacement from the gifts' current details and
    amounts (a new number; None when no money is left). Returns the new receipt or None.
    Locks the gifts first, then the receipt, then the counter (the order of every path)."""
    with transaction.atomic():
        ids = list(receipt.donations.values_list("pk", flat=True))
        _lock_gifts(ids)
        receipt = TaxReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status != TaxReceiptStatus.ISSUED:
            raise ValueError(f"receipt {receipt.number} is cancelled already")
        cancel(receipt, reason=reason, user=user)
        return issue(ids, kind=receipt.kind, user=user, replaces=receipt)


def is_stale(receipt, gifts):
    """True when ``receipt`` no longer states what its ``gifts`` give now: the money kept,
    the dates, the payment modes or the donor's name and address (corrected by staff)."""
    try:
        # the receipt's own details stand in once the gifts' were erased
        now = statement(gifts, replaces=receipt)
    except ValueError:  # erased and purged: only the money can still be compared
        return sum(kept_cents(gift) for gift in gifts) != receipt.amount_cents
    if now is None:
        return True
    now.pop("gifts")
    now.pop("language")
    now.pop("donor_email")  # not printed on the receipt
    return any(getattr(receipt, name) != value for name, value in now.items())


def follow_refund(donation_id):
    """A gift's money or details changed (refund, given back, amount, date, method or
    donor's address corrected): if a valid receipt covers it and no longer states what the
    gifts give, cancel it and issue the corrected one (reason "refund" when less money is
    kept, else "correction"). Returns the new receipt, or None."""
    with transaction.atomic():
        receipt = TaxReceipt.objects.filter(
            donations=donation_id, status=TaxReceiptStatus.ISSUED
        ).first()
        if receipt is None:
            return None
        gifts = _lock_gifts(receipt.donations.values_list("pk", flat=True))
        receipt = TaxReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status != TaxReceiptStatus.ISSUED or not is_stale(receipt, gifts):
            return None  # corrected meanwhile, or still right
        kept = sum(kept_cents(gift) for gift in gifts)
        reason = (
            TaxReceiptCancelReason.REFUND
            if kept < receipt.amount_cents
            else TaxReceiptCancelReason.CORRECTION
        )
        return reissue(receipt, reason=reason)


# --- keeping period -------------------------------------------------------------------------


def keep_until(issued_at):
    """The day a receipt's donor details may be purged: KEEP_YEARS after its issue."""
    day = timezone.localdate(issued_at)
    try:
        return day.replace(year=day.year + KEEP_YEARS)
    except ValueError:  # issued on 29 February
        return day.replace(year=day.year + KEEP_YEARS, day=28)


def purge_expired(now=None):
    """Blank the donor's details (name, address, email) of every receipt issued more than
    KEEP_YEARS years before ``now`` (default: now), cancelled ones included; its number,
    amount, dates and payment modes stay (the association's accounts). Returns how many
    receipts were purged; running it again purges none."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    try:
        cutoff_day = today.replace(year=today.year - KEEP_YEARS)
    except ValueError:  # 29 February
        cutoff_day = today.replace(year=today.year - KEEP_YEARS, day=28)
    cutoff = timezone.make_aware(
        datetime.datetime.combine(cutoff_day, datetime.time.min), timezone.get_current_timezone()
    )
    blank = dict.fromkeys((*DONOR_FIELDS, "donor_email"), "")
    with transaction.atomic():
        purged = TaxReceipt.objects.filter(issued_at__lt=cutoff, purged_at__isnull=True).update(
            purged_at=now, **blank
        )
        # The gifts' own copy of the name and address goes with them: a gift every receipt
        # of which is purged needs them no more (a later refund reissues nothing).
        still_kept = TaxReceipt.objects.filter(donations=OuterRef("pk"), purged_at__isnull=True)
        Donation.objects.filter(tax_receipts__purged_at__isnull=False).exclude(
            Exists(still_kept)
        ).exclude(receipt_name="", address_line="").update(**dict.fromkeys(ADDRESS_FIELDS, ""))
    return purged


# --- emails (queued) ------------------------------------------------------------------------


def _email(receipt_id):
    try:
        send_tax_receipt.enqueue(receipt_id)
    except Exception:  # the receipt stays issued; staff can send it again from the admin
        logger.exception("Could not enqueue the email of tax receipt %s", receipt_id)


def _email_cancellation(receipt_id):
    try:
        send_tax_receipt_cancellation.enqueue(receipt_id)
    except Exception:
        logger.exception("Could not enqueue the cancellation email of receipt %s", receipt_id)
