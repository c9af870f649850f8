"""Refunds the site asks for itself: the online gifts of an all-or-nothing campaign that
failed (campaigns/closing.py asks; docs/operations.md, "Closing and refunds").

``refund_gift(donation)`` asks the gift's payment provider once for a full refund:

- Stripe: the Refund API on the gift's PaymentIntent, with the idempotency key
  ``refund-<donation uuid>``: asking again (a run killed before it stored the answer) gets
  the same refund back, never a second one. The gift stays paid until Stripe confirms:
  the ``charge.refunded`` webhook (or ``reconcile_donations``) moves it to refunded through
  the ledger, like a refund made in the Stripe dashboard.
- demo: nothing to give back, so the ledger records the refund at once.

When it was asked and the provider's refund id are stored on the gift (``refund_requested_at``,
``provider_refund_id``): a gift whose refund was asked is never asked again.
"""

import logging

from django.db import transaction
from django.utils import timezone

import stripe

from . import ledger
from .models import Donation, DonationStatus
from .payments import DemoBackend, PaymentUnavailable, StripeBackend, object_id

logger = logging.getLogger(__name__)


class RefundRefused(PaymentUnavailable):
    """The provider answered but will not refund this gift (e.g. no payment to refund):
    staff must look at it; asking again gives the same answer."""


def idempotency_key(donation):
    return f"refund-{donation.uuid}"


def refund_gift(donation):
    """Ask the provider to refund ``donation`` (a paid online gift) in full, once.

    Returns the provider's refund id ("" when the provider had refunded it already, e.g.
    from its dashboard). Does nothing and returns the stored id when the refund was asked
    before. Raises PaymentUnavailable when the provider cannot be reached (ask again
    later), RefundRefused when it refuses this gift.
    """
    if donation.refund_requested_at is not None:
        return donation.provider_refund_id
    if donation.provider == DemoBackend.name:
        refund_id = f"demo-refund-{donation.uuid}"
        with transaction.atomic():
            ledger.transition(
                donation.pk, DonationStatus.REFUNDED, refunded_cents=donation.amount_cents
            )
            _store(donation, refund_id)
        return refund_id
    if donation.provider != StripeBackend.name:
        raise RefundRefused(f"{donation.uuid}: no online payment to refund ({donation.provider!r})")
    refund_id = _stripe_refund(donation)
    _store(donation, refund_id)
    return refund_id


def _stripe_refund(donation):
    client = StripeBackend().client()
    payment_id = donation.provider_payment_id or _session_payment(client, donation)
    try:
        # No amount: Stripe refunds what is left of the charge, so the parameters stay the
        # same (and the idempotency key valid) even if a partial refund came in meanwhile.
        refund = client.v1.refunds.create(
            params={"payment_intent": payment_id, "metadata": {"donation_id": str(donation.uuid)}},
            options={"idempotency_key": idempotency_key(donation)},
        )
    except stripe.InvalidRequestError as error:
        if error.code == "charge_already_refunded":
            logger.info("Gift %s was already refunded at Stripe", donation.uuid)
            return ""
        logger.error("Stripe refused to refund gift %s: %s", donation.uuid, error)
        raise RefundRefused(str(error)) from error
    except stripe.StripeError as error:
        logger.warning("Stripe did not answer the refund of gift %s: %s", donation.uuid, error)
        raise PaymentUnavailable(str(error)) from error
    return refund.id


def _session_payment(client, donation):
    """The PaymentIntent of the gift's Checkout Session (for a gift paid before its payment
    id was stored)."""
    if not donation.provider_session_id:
        raise RefundRefused(f"{donation.uuid}: no Stripe payment to refund")
    try:
        session = client.v1.checkout.sessions.retrieve(donation.provider_session_id)
    except stripe.StripeError as error:
        raise PaymentUnavailable(str(error)) from error
    payment_id = object_id(session.payment_intent)
    if not payment_id:
        raise RefundRefused(f"{donation.uuid}: its Checkout Session has no payment")
    return payment_id


def _store(donation, refund_id):
    """Record that the refund was asked (once), on the row and on ``donation``."""
    now = timezone.now()
    Donation.objects.filter(pk=donation.pk, refund_requested_at__isnull=True).update(
        refund_requested_at=now, provider_refund_id=refund_id
    )
    donation.refund_requested_at, donation.provider_refund_id = now, refund_id
