"""The only way donations change (DESIGN.md §5).

Every function here is atomic, idempotent and safe under concurrent callers: it locks the
donation row, then the campaign's tally row (always in that order), applies the change if
the state machine allows it, and recomputes the tally from the ledger inside the same
transaction — so a campaign's total and donor count always equal what the ledger says.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CampaignTally, Donation, DonationSource, DonationStatus, WebhookEvent

logger = logging.getLogger(__name__)

PAID = DonationStatus.PAID

# Which status a donation may move to from which. Money that arrives is never refused:
# a payment confirmed after the donor cancelled or the session expired still counts.
ALLOWED_TRANSITIONS = {
    DonationStatus.PENDING: {
        DonationStatus.PAID,
        DonationStatus.FAILED,
        DonationStatus.EXPIRED,
        DonationStatus.CANCELLED,
        DonationStatus.REFUNDED,
    },
    DonationStatus.CANCELLED: {
        DonationStatus.PAID,
        DonationStatus.EXPIRED,
        DonationStatus.REFUNDED,
    },
    DonationStatus.EXPIRED: {DonationStatus.PAID, DonationStatus.REFUNDED},
    DonationStatus.FAILED: {DonationStatus.PAID, DonationStatus.REFUNDED},
    DonationStatus.PAID: {DonationStatus.REFUNDED},
    DonationStatus.REFUNDED: set(),
}


def create_pending(**fields):
    """Create and return a pending online donation (``fields`` are Donation fields)."""
    return Donation.objects.create(status=DonationStatus.PENDING, **fields)


def transition(
    donation_id, status, *, payment_id=None, session_id=None, refunded_cents=None, paid_at=None
):
    """Move donation ``donation_id`` to ``status`` and return (donation, changed).

    ``paid_at`` is when the provider says the payment happened (never later than now; default
    now): it decides whether the gift came in before its campaign closed.

    ``refunded_cents`` is the provider's cumulative refunded amount; a partial refund keeps
    the donation paid, a full one makes it refunded. Not allowed moves (e.g. paid → pending,
    or anything after a full refund) change nothing; repeating a call changes nothing.
    Raises Donation.DoesNotExist for an unknown id.
    """
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        before = (donation.status, donation.refunded_cents)
        if payment_id and not donation.provider_payment_id:
            donation.provider_payment_id = payment_id
        if session_id and not donation.provider_session_id:
            donation.provider_session_id = session_id
        if refunded_cents is not None:
            donation.refunded_cents = min(
                donation.amount_cents, max(donation.refunded_cents, refunded_cents)
            )
            if donation.refunded_cents == donation.amount_cents:
                status = DonationStatus.REFUNDED
            elif donation.status != DonationStatus.REFUNDED:
                # a refund proves the payment happened, even if its event is still to come
                status = DonationStatus.PAID
        if status != donation.status and status in ALLOWED_TRANSITIONS[donation.status]:
            donation.status = status
            if status == DonationStatus.PAID and donation.paid_at is None:
                now = timezone.now()
                donation.paid_at = min(paid_at, now) if paid_at else now
        changed = (donation.status, donation.refunded_cents) != before
        donation.save()
        if changed:
            _recompute_tally(donation.campaign_key)
            if donation.status == DonationStatus.PAID and before[0] != DonationStatus.PAID:
                transaction.on_commit(lambda: _on_paid(donation.pk))
    return donation, changed


def save_offline(donation, user=None):
    """Save a gift recorded by staff (cash, cheque, transfer) as paid, and update the tally.

    Used for creation and for edits; returns the donation.
    """
    with transaction.atomic():
        if donation.pk:
            previous = Donation.objects.select_for_update().get(pk=donation.pk)
            old_key = previous.campaign_key
        else:
            old_key = None
        donation.source = DonationSource.OFFLINE
        donation.provider = "offline"
        donation.status = DonationStatus.PAID
        donation.refunded_cents = min(donation.refunded_cents, donation.amount_cents)
        if donation.paid_at is None:
            donation.paid_at = timezone.now()
        if user is not None and donation.entered_by_id is None:
            donation.entered_by = user
        donation.save()
        for key in {old_key, donation.campaign_key} - {None}:
            _recompute_tally(key)
    return donation


def record_offline(**fields):
    """Create a gift recorded by staff from Donation ``fields``; return it."""
    return save_offline(Donation(**fields))


def campaign_keys():
    """Every campaign key the ledger holds donations or a tally for."""
    return set(Donation.objects.values_list("campaign_key", flat=True).distinct()) | set(
        CampaignTally.objects.values_list("campaign_key", flat=True)
    )


def erase_campaigns(campaign_keys):
    """Delete every donation and tally of these campaigns (demo `--reset` only: a real
    campaign's ledger is never deleted)."""
    with transaction.atomic():
        Donation.objects.filter(campaign_key__in=campaign_keys).delete()
        CampaignTally.objects.filter(campaign_key__in=campaign_keys).delete()


def delete_offline(donation):
    """Delete a gift recorded by staff, and update the tally."""
    with transaction.atomic():
        key = donation.campaign_key
        donation.delete()
        _recompute_tally(key)


def record_event_once(event_id, event_type):
    """Return True the first time ``event_id`` is seen, False for a duplicate delivery.

    Call inside the transaction that applies the event: if applying fails, the record
    rolls back with it and the provider's retry is processed.
    """
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event_id, event_type=event_type)
    except IntegrityError:
        return False
    return True


def _locked_tally(campaign_key):
    try:
        return CampaignTally.objects.select_for_update().get(campaign_key=campaign_key)
    except CampaignTally.DoesNotExist:
        try:
            with transaction.atomic():
                return CampaignTally.objects.create(campaign_key=campaign_key)
        except IntegrityError:  # created meanwhile by a concurrent caller
            return CampaignTally.objects.select_for_update().get(campaign_key=campaign_key)


def _recompute_tally(campaign_key):
    """Recompute a campaign's tally from the ledger (inside the caller's transaction).

    Late-gift rule (docs/operations.md): a gift paid after the campaign's closing time
    counts in the amount raised (money is never refused) and is marked ``paid_late``; the
    campaign's result (``raised_by_close_cents``) counts only the gifts paid by the closing
    time, net of their refunds recorded before it, so it never changes after the deadline.
    """
    tally = _locked_tally(campaign_key)
    closes_at = closing_time(campaign_key)
    donations = Donation.objects.for_campaign(campaign_key)
    late = late_gifts(closes_at)
    donations.filter(late, paid_late=False).update(paid_late=True)
    donations.exclude(late).filter(paid_late=True).update(paid_late=False)  # deadline moved
    paid = Q(status=PAID)
    on_time = Q(status__in=[PAID, DonationStatus.REFUNDED], paid_at__isnull=False, paid_late=False)
    totals = donations.aggregate(
        raised=Coalesce(Sum("amount_cents", filter=paid), Value(0))
        - Coalesce(Sum("refunded_cents", filter=paid), Value(0)),
        donors=Count("pk", filter=paid),
        on_time=Coalesce(Sum("amount_cents", filter=on_time), Value(0)),
        on_time_refunded=Coalesce(Sum("refunded_cents", filter=on_time), Value(0)),
    )
    tally.raised_cents = totals["raised"]
    tally.donor_count = totals["donors"]
    if closes_at is None or timezone.now() < closes_at:
        tally.refunded_by_close_cents = totals["on_time_refunded"]
    tally.raised_by_close_cents = max(0, totals["on_time"] - tally.refunded_by_close_cents)
    tally.closes_at = closes_at
    tally.save()
    return tally


def late_gifts(closes_at):
    """Q of the gifts paid after ``closes_at`` (none when it is None). A gift recorded by
    staff counts as of the day it was received (on time if received on the closing day)."""
    if closes_at is None:
        return Q(pk__in=[])
    closing_day = timezone.localdate(closes_at)
    by_receipt = Q(source=DonationSource.OFFLINE, received_on__isnull=False)
    return (by_receipt & Q(received_on__gt=closing_day)) | (~by_receipt & Q(paid_at__gt=closes_at))


# The campaign app tells the ledger when a campaign closes (the ledger cannot import it).
_closing_time_lookup = None


def register_closing_time(lookup):
    """Register ``lookup(campaign_key)``, returning when that campaign closes (an aware
    datetime) or None; called from the campaign app's AppConfig.ready()."""
    global _closing_time_lookup
    _closing_time_lookup = lookup


def closing_time(campaign_key):
    """When the campaign ``campaign_key`` closes, or None (no campaign app, or no page)."""
    return _closing_time_lookup(campaign_key) if _closing_time_lookup else None


def closing_time_changed(campaign_key, closes_at):
    """The campaign's closing time is now ``closes_at`` (e.g. a page was published): if its
    tally was worked out with another one, work it out again (which gifts are late, and
    the result). Returns True if it did."""
    stale = CampaignTally.objects.filter(campaign_key=campaign_key).exclude(closes_at=closes_at)
    if not stale.exists():
        return False
    with transaction.atomic():
        _recompute_tally(campaign_key)
    return True


def tally(campaign_key):
    """Return (raised_cents, donor_count) of one campaign."""
    return figures(campaign_key)[:2]


def figures(campaign_key):
    """Return (raised_cents, donor_count, raised_by_close_cents) of one campaign, in one
    query; the last is what decides its result (see _recompute_tally)."""
    row = CampaignTally.objects.filter(campaign_key=campaign_key).first()
    return (row.raised_cents, row.donor_count, row.raised_by_close_cents) if row else (0, 0, 0)


def public_donations(campaign_key):
    """The gifts a campaign page lists (newest first), with only what may be shown."""
    return (
        Donation.objects.for_campaign(campaign_key)
        .public()
        .only(
            "donor_name",
            "display",
            "status",
            "amount_cents",
            "refunded_cents",
            "message",
            "paid_at",
        )
    )


def tally_annotations(key_field="translation_key"):
    """Annotations (raised_cents, donor_count, raised_by_close_cents) for a queryset of
    campaign pages, so that a listing reads every total in its one query instead of one
    aggregate per campaign."""
    rows = CampaignTally.objects.filter(campaign_key=OuterRef(key_field))
    return {
        name: Coalesce(Subquery(rows.values(name)[:1]), Value(0))
        for name in ("raised_cents", "donor_count", "raised_by_close_cents")
    }


def _on_paid(donation_id):
    from .tasks import send_donation_confirmation

    try:
        send_donation_confirmation.enqueue(donation_id)
    except Exception:  # a mail or queue outage must never undo or fail a payment
        logger.exception("Could not enqueue the confirmation of donation %s", donation_id)
