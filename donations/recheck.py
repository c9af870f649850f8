"""Asking Stripe again about paid gifts (``reconcile_donations``): a refund made at Stripe, or
a dispute lost, whose webhook never came is applied as the webhook would have applied it —
through ``payments.apply_refund`` and ``disputes.apply_dispute``, so the same checks hold
(the gift's own payment, euros, amounts)."""

import datetime

from django.db.models import Q
from django.utils import timezone

import stripe

from . import disputes, payments
from .models import DisputeStatus, Donation, DonationSource, DonationStatus

RECHECK_EVENT = "reconcile_donations"
PAGE_SIZE = 100


def gifts_to_recheck(days, now=None):
    """Online Stripe gifts still counted that Stripe may have news about: paid in the last
    ``days`` days, or whose refund was asked and is not confirmed yet."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return Donation.objects.filter(
        Q(paid_at__gte=since) | Q(refund_requested_at__isnull=False),
        source=DonationSource.ONLINE,
        provider=payments.StripeBackend.name,
        status=DonationStatus.PAID,
        provider_payment_id__isnull=False,
    )


def in_pages(queryset, size=PAGE_SIZE):
    """Yield the rows of ``queryset`` by primary key, one short query per ``size`` rows (no
    cursor held open while Stripe is asked)."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        yield from page
        if len(page) < size:
            return
        last = page[-1].pk


def recheck(donation, client=None):
    """Ask Stripe about a paid gift's payment and apply what the webhooks would have:
    its refunds (``amount_refunded`` of its charge) and its disputes. Returns
    (refund_applied, disputes_applied). Raises PaymentUnavailable when Stripe cannot be
    asked (nothing is applied then)."""
    client = client or payments.StripeBackend().client()
    try:
        intent = client.v1.payment_intents.retrieve(
            donation.provider_payment_id, params={"expand": ["latest_charge"]}
        )
        charge = intent.latest_charge
        if charge is None or isinstance(charge, str):
            return False, 0
        found = []
        if charge.disputed and not _disputes_decided(donation):
            found = client.v1.disputes.list(params={"charge": charge.id}).data
    except stripe.StripeError as error:
        raise payments.PaymentUnavailable(str(error)) from error
    refund_applied = False
    if charge.amount_refunded > donation.refunded_cents:
        refund_applied = payments.apply_refund(charge, event_type=RECHECK_EVENT)[1]
    applied = 0
    for dispute in found:
        applied += disputes.apply_dispute(dispute, event_type=RECHECK_EVENT)[1]
    return refund_applied, applied


def _disputes_decided(donation):
    """True when the gift has disputes recorded and every one is decided (Stripe has nothing
    new to say about them: a charge is disputed once)."""
    statuses = set(donation.disputes.values_list("status", flat=True))
    return bool(statuses) and DisputeStatus.OPEN not in statuses
