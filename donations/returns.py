"""Offline gifts to give back: those of campaigns whose gifts must be returned (an
all-or-nothing campaign that failed). Online gifts are refunded through Stripe
(donations/refunds.py); cash, cheques and transfers are given back by staff, who record it
in the admin ("Gifts to give back"), which calls ``ledger.mark_returned``.

Which campaigns failed is the campaign app's business, above this layer: it registers a
lookup in its AppConfig.ready() with ``register_refund_due``.
"""

import uuid

from django.db.models import Case, Q, Value, When

from .models import Donation, DonationSource, DonationStatus

_refund_due_lookup = None


def register_refund_due(lookup):
    """Register ``lookup()``, returning the keys (translation_key, UUID or str) of the
    campaigns whose gifts must be given back; called from the campaign app's ready()."""
    global _refund_due_lookup
    _refund_due_lookup = lookup


def refund_due_campaign_keys():
    """The set of campaign keys (UUIDs) whose gifts must be given back (empty when no
    campaign app registered a lookup)."""
    if _refund_due_lookup is None:
        return set()
    keys = set()
    for key in _refund_due_lookup():
        try:
            keys.add(key if isinstance(key, uuid.UUID) else uuid.UUID(str(key)))
        except ValueError:
            continue  # not a campaign key: nothing of ours
    return keys


def offline_gifts_to_give_back(campaign_keys=None):
    """Offline gifts of the campaigns due a refund: those still to give back (paid, not
    returned) first, oldest received first, then those given back, latest first."""
    if campaign_keys is None:
        campaign_keys = refund_due_campaign_keys()
    still_due = Q(status=DonationStatus.PAID, returned_on__isnull=True)
    return (
        Donation.objects.filter(source=DonationSource.OFFLINE, campaign_key__in=campaign_keys)
        .filter(still_due | Q(returned_on__isnull=False))
        .annotate(given_back=Case(When(still_due, then=Value(False)), default=Value(True)))
        .select_related("returned_by")
        .order_by("given_back", "-returned_on", "received_on", "pk")
    )


def is_due(donation, campaign_keys=None):
    """Whether staff may record ``donation`` as given back now."""
    if campaign_keys is None:
        campaign_keys = refund_due_campaign_keys()
    return (
        donation.source == DonationSource.OFFLINE
        and donation.status == DonationStatus.PAID
        and donation.returned_on is None
        and donation.campaign_key in campaign_keys
    )
