"""The only way donations change (DESIGN.md §5).

Every function here is atomic, idempotent and safe under concurrent callers: it locks the
donation row, then the campaign's tally row (always in that order), applies the change if
the state machine allows it, and recomputes the tally from the ledger inside the same
transaction — so a campaign's total and donor count always equal what the ledger says.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Sum, Value
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
    tally = _locked_tally(campaign_key)
    totals = (
        Donation.objects.for_campaign(campaign_key)
        .counted()
        .aggregate(
            raised=Coalesce(Sum("amount_cents"), Value(0))
            - Coalesce(Sum("refunded_cents"), Value(0)),
            donors=Count("pk"),
        )
    )
    tally.raised_cents = totals["raised"]
    tally.donor_count = totals["donors"]
    tally.save(update_fields=["raised_cents", "donor_count", "updated_at"])
    return tally


def tally(campaign_key):
    """Return (raised_cents, donor_count) of one campaign."""
    row = CampaignTally.objects.filter(campaign_key=campaign_key).first()
    return (row.raised_cents, row.donor_count) if row else (0, 0)


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
    """Annotations (raised_cents, donor_count) for a queryset of campaign pages, so that a
    listing reads every total in its one query instead of one aggregate per campaign."""
    rows = CampaignTally.objects.filter(campaign_key=OuterRef(key_field))
    return {
        "raised_cents": Coalesce(Subquery(rows.values("raised_cents")[:1]), Value(0)),
        "donor_count": Coalesce(Subquery(rows.values("donor_count")[:1]), Value(0)),
    }


def _on_paid(donation_id):
    from .tasks import send_donation_confirmation

    try:
        send_donation_confirmation.enqueue(donation_id)
    except Exception:  # a mail or queue outage must never undo or fail a payment
        logger.exception("Could not enqueue the confirmation of donation %s", donation_id)
