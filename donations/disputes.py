"""Chargebacks: Stripe's ``charge.dispute.*`` events, and what ``reconcile_donations`` finds
when it rechecks a paid gift with Stripe (donations/recheck.py).

A dispute is applied only to the gift whose own payment it disputes (the payment stored when
the gift was paid, or the payment of the gift's own session, asked to Stripe), in euros, for
no more than the gift. The ledger records it (``ledger.record_dispute``): an open or won
dispute changes no total; a lost one takes its amount out of the campaign's total as an entry
of its own (the gift is not edited).
"""

import datetime
import logging

from django.utils.translation import gettext_lazy as _

import stripe

from . import ledger, payments
from .models import DisputeStatus, Donation, DonationStatus, RefusedReason

logger = logging.getLogger(__name__)

EVENT_TYPES = {"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"}

# Stripe's final statuses; every other one (warning_needs_response, needs_response,
# under_review, appeal_…) is still open. An inquiry that closes without a chargeback
# (warning_closed), or a dispute prevented, took no money: for the ledger, won.
CLOSED_STATUSES = {
    "won": DisputeStatus.WON,
    "warning_closed": DisputeStatus.WON,
    "prevented": DisputeStatus.WON,
    "lost": DisputeStatus.LOST,
}

# Stripe's reason codes, for staff (anything else is shown as Stripe spells it).
REASONS = {
    "fraudulent": _("Fraudulent (the cardholder did not authorise it)"),
    "duplicate": _("Duplicate payment"),
    "general": _("General"),
    "product_not_received": _("Not received"),
    "product_unacceptable": _("Not as described"),
    "credit_not_processed": _("Refund not processed"),
    "unrecognized": _("Not recognised by the cardholder"),
    "subscription_canceled": _("Subscription cancelled"),
    "debit_not_authorized": _("Debit not authorised"),
    "customer_initiated": _("Started by the customer"),
}


def reason_display(code):
    """The dispute reason ``code`` in words, for staff."""
    return REASONS.get(code, code)


def ledger_status(stripe_status):
    """The ledger's dispute status (open, won, lost) for one of Stripe's."""
    return CLOSED_STATUSES.get(stripe_status, DisputeStatus.OPEN)


def apply_dispute(dispute, *, event_id="", event_type="", decided_at=None):
    """Record the Stripe ``dispute`` on its gift; return (Dispute or None, changed).

    None when it names no gift of ours, or is refused (another payment than the gift's own,
    another currency, more than the gift): refused ones are recorded for staff as
    RefusedPayment. A late "open" event never reopens a decided dispute (the ledger sees to
    it). ``decided_at``: when a won or lost dispute was decided (default: now). Raises
    PaymentUnavailable when Stripe must be asked and cannot be.
    """
    payment_id = _payment_of(dispute)
    if not payment_id:
        return None, False
    donation = Donation.objects.filter(provider_payment_id=payment_id).first()
    if donation is None:
        donation = payments._donation_of_payment_intent(payment_id, dispute, event_id, event_type)
        if donation is None:
            return None, False
    if donation.status not in (DonationStatus.PAID, DonationStatus.REFUNDED):
        # its payment's own event has not come yet: the dispute proves it happened
        donation = payments.StripeBackend().settle(donation)
    reason = _mismatch(donation, dispute)
    if reason:
        payments.refuse(
            reason,
            donation,
            dispute,
            event_id=event_id,
            event_type=event_type,
            payment_intent=payment_id,
        )
        return None, False
    status = ledger_status(dispute.status)
    return ledger.record_dispute(
        donation.pk,
        dispute_id=dispute.id,
        amount_cents=dispute.amount,
        status=status,
        reason=str(dispute.reason or "")[:100],
        when=_created(dispute) if status == DisputeStatus.OPEN else decided_at,
    )


def _mismatch(donation, dispute):
    """Why ``dispute`` may not be recorded on ``donation`` (a RefusedReason), or None."""
    if str(dispute.currency).lower() != "eur":
        return RefusedReason.CURRENCY
    if not isinstance(dispute.amount, int) or not 0 < dispute.amount <= donation.amount_cents:
        return RefusedReason.AMOUNT
    return None


def _payment_of(dispute):
    """The payment intent id a dispute is about (asked to Stripe through its charge when the
    dispute does not say)."""
    payment_id = payments.object_id(dispute.payment_intent)
    if payment_id:
        return payment_id
    charge = dispute.charge
    if isinstance(charge, str):
        try:
            charge = payments.StripeBackend().client().v1.charges.retrieve(charge)
        except stripe.InvalidRequestError:
            return None
        except stripe.StripeError as error:
            raise payments.PaymentUnavailable(str(error)) from error
    return payments.object_id(charge.payment_intent)


def _created(dispute):
    created = getattr(dispute, "created", None)
    if isinstance(created, int) and not isinstance(created, bool):
        return datetime.datetime.fromtimestamp(created, datetime.UTC)
    return None
