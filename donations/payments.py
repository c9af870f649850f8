"""Payment backends behind one small interface (DESIGN.md §5).

- ``stripe``: Stripe Checkout Sessions, hosted by Stripe: no card data touches the site.
- ``demo``: a local, plainly labelled test checkout, used when no Stripe key is set and
  refused by the production settings.

Both end in ``donations.ledger.transition`` — the same fulfilment for every backend.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import stripe

from . import ledger
from .models import Donation, DonationStatus, RefusedPayment, RefusedReason

logger = logging.getLogger(__name__)

# Checkout page languages Stripe offers (its `locale` parameter) among ours; others: auto.
STRIPE_LOCALES = {"fr": "fr", "en": "en", "pt": "pt", "zh-hans": "zh", "ar": "auto"}


class PaymentUnavailable(Exception):
    """The payment provider could not be reached or refused the request."""


class CheckoutStarting(Exception):
    """An event names a gift whose checkout session id is not stored yet: deliver it again."""


class PaymentBackend:
    """Turn a pending donation into a URL where the donor pays."""

    name = ""

    def start_checkout(self, donation, request):
        """Return the URL to send the donor to. Raises PaymentUnavailable."""
        raise NotImplementedError  # pragma: no cover - interface

    def settle(self, donation):
        """Ask the provider where a pending donation stands and record it; return it."""
        return donation


class DemoBackend(PaymentBackend):
    """A local checkout page that only pretends to take money (for `make run` and tests)."""

    name = "demo"

    def start_checkout(self, donation, request):
        return reverse("donations:demo_checkout", args=[donation.uuid])


class StripeBackend(PaymentBackend):
    """Stripe Checkout through the official SDK (``StripeClient``)."""

    name = "stripe"

    def client(self):
        options = {"max_network_retries": 0}
        if settings.STRIPE_API_BASE:
            options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
            **options,
        )

    def start_checkout(self, donation, request):
        success = reverse("donations:thanks", args=[donation.uuid])
        cancel = reverse("donations:cancelled", args=[donation.uuid])
        metadata = {"donation_id": str(donation.uuid), "campaign_key": str(donation.campaign_key)}
        params = {
            "mode": "payment",
            "success_url": request.build_absolute_uri(success),
            "cancel_url": request.build_absolute_uri(cancel),
            "client_reference_id": str(donation.uuid),
            "locale": STRIPE_LOCALES.get(donation.language, "auto"),
            "submit_type": "donate",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": donation.amount_cents,
                        "product_data": {"name": donation_label(donation)},
                    },
                }
            ],
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
        }
        if donation.donor_email:
            params["customer_email"] = donation.donor_email
        try:
            session = self.client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": f"donation-{donation.uuid}"}
            )
        except stripe.StripeError as error:
            logger.warning("Stripe refused or did not answer for %s: %s", donation.uuid, error)
            raise PaymentUnavailable(str(error)) from error
        Donation.objects.filter(pk=donation.pk, provider_session_id=None).update(
            provider_session_id=session.id
        )
        return session.url

    def settle(self, donation):
        """Retrieve the donation's Checkout Session and apply what it says."""
        if not donation.provider_session_id:
            return donation
        try:
            session = self.client().v1.checkout.sessions.retrieve(
                donation.provider_session_id, params={"expand": ["payment_intent"]}
            )
        except stripe.StripeError as error:
            raise PaymentUnavailable(str(error)) from error
        paid_at = None
        if getattr(session.payment_intent, "created", None):  # when the donor paid
            paid_at = datetime.datetime.fromtimestamp(session.payment_intent.created, datetime.UTC)
        return apply_session(session, event_type="", paid_at=paid_at)[0] or donation


def apply_session(session, event_type="checkout.session.completed", *, event_id="", paid_at=None):
    """Record what a Checkout Session says about its donation; return (donation, changed).

    The session is applied only if it is the gift's own (see ``session_mismatch``); another
    one is refused: recorded as a RefusedPayment for staff, never counted. Returns
    (None, False) when the session names no donation of ours. Raises CheckoutStarting when
    the gift's checkout is still being started (the provider should deliver it again).
    ``paid_at`` is when the provider says the payment happened (default: now).
    """
    donation = find_donation(session)
    if donation is None:
        return None, False
    reason = session_mismatch(donation, session)
    if reason == RefusedReason.NO_SESSION and checkout_starting(donation):
        raise CheckoutStarting(str(donation.uuid))
    if reason:
        refuse(reason, donation, session, event_id=event_id, event_type=event_type)
        return donation, False
    if event_type == "checkout.session.async_payment_failed":
        status = DonationStatus.FAILED
    elif session.payment_status in ("paid", "no_payment_required"):
        status = DonationStatus.PAID
    elif session.status == "expired" or event_type == "checkout.session.expired":
        status = DonationStatus.EXPIRED
    else:  # complete but unpaid: an asynchronous payment method is still on its way
        return donation, False
    return ledger.transition(
        donation.pk,
        status,
        session_id=session.id,
        payment_id=object_id(session.payment_intent),
        paid_at=paid_at,
    )


def session_mismatch(donation, session):
    """Why ``session`` may not be applied to ``donation`` (a RefusedReason), or None when it
    is the gift's own: the session id stored when its checkout started, in payment mode, in
    euros, for exactly the gift's amount."""
    if not donation.provider_session_id:
        return RefusedReason.NO_SESSION
    if session.id != donation.provider_session_id:
        return RefusedReason.OTHER_SESSION
    if getattr(session, "mode", None) != "payment":
        return RefusedReason.MODE
    if str(getattr(session, "currency", "")).lower() != "eur":
        return RefusedReason.CURRENCY
    if getattr(session, "amount_total", None) != donation.amount_cents:
        return RefusedReason.AMOUNT
    return None


def checkout_starting(donation):
    """True while a pending Stripe gift may still be waiting for its session id to be stored
    (start_checkout stores it right after Stripe answers). After DONATION_PENDING_MINUTES,
    reconcile_donations marks such a gift failed, and its events are refused."""
    age = timezone.now() - donation.created_at
    return (
        donation.status == DonationStatus.PENDING
        and donation.provider == StripeBackend.name
        and age < datetime.timedelta(minutes=settings.DONATION_PENDING_MINUTES)
    )


def refuse(reason, donation, stripe_object, *, event_id="", event_type="", payment_intent=""):
    """Log and record (once) a payment refused for ``donation``; return the RefusedPayment."""
    is_session = getattr(stripe_object, "object", "") == "checkout.session"
    fields = {
        "reason": reason,
        "donation": donation,
        "session_id": stripe_object.id if is_session else "",
        "payment_intent_id": payment_intent
        or object_id(getattr(stripe_object, "payment_intent", None))
        or "",
    }
    logger.warning(
        "Refused a payment for donation %s: %s (session %r, payment %r, event %r)",
        donation.uuid,
        reason,
        fields["session_id"],
        fields["payment_intent_id"],
        event_id,
    )
    existing = RefusedPayment.objects.filter(**fields).first()
    if existing is not None:
        return existing
    amount = getattr(stripe_object, "amount_total" if is_session else "amount", None)
    return RefusedPayment.objects.create(
        **fields,
        event_id=str(event_id)[:255],
        event_type=str(event_type)[:100],
        amount_cents=amount if isinstance(amount, int) else None,
        currency=str(getattr(stripe_object, "currency", "") or "")[:10],
        mode=str(getattr(stripe_object, "mode", "") or "")[:30],
        expected_cents=donation.amount_cents,
    )


def apply_refund(charge, *, event_id="", event_type="charge.refunded"):
    """Record a refunded charge on its donation; return (donation, changed).

    The charge's payment must be the gift's own: the one stored when its session was
    applied or, for a refund delivered before the payment, the payment of the gift's own
    session (asked to Stripe). Anything else is refused, as for sessions.
    Raises PaymentUnavailable when Stripe cannot be asked.
    """
    payment_id = charge.payment_intent
    donation = Donation.objects.filter(provider_payment_id=payment_id).first()
    if donation is None:
        donation = _donation_of_payment_intent(payment_id, charge, event_id, event_type)
        if donation is None:
            return None, False
    if str(charge.currency).lower() != "eur":
        reason = RefusedReason.CURRENCY
    elif charge.amount != donation.amount_cents:
        reason = RefusedReason.AMOUNT
    else:
        reason = None
    if reason:
        refuse(reason, donation, charge, event_id=event_id, event_type=event_type)
        return donation, False
    return ledger.transition(
        donation.pk,
        DonationStatus.REFUNDED,
        refunded_cents=charge.amount_refunded,
        payment_id=payment_id,
    )


def _donation_of_payment_intent(payment_id, charge, event_id, event_type):
    """A refund can arrive before the payment's own event: ask Stripe whose payment it is,
    then check that it is the payment of that gift's own session."""
    client = StripeBackend().client()
    try:
        intent = client.v1.payment_intents.retrieve(payment_id)
    except stripe.InvalidRequestError:
        return None  # not a payment of this account: nothing of ours to refund
    except stripe.StripeError as error:
        raise PaymentUnavailable(str(error)) from error
    donation = find_donation(intent)
    if donation is None:
        return None
    session_payment = None
    if donation.provider_session_id:
        try:
            session = client.v1.checkout.sessions.retrieve(donation.provider_session_id)
        except stripe.StripeError as error:
            raise PaymentUnavailable(str(error)) from error
        session_payment = object_id(session.payment_intent)
    if session_payment != payment_id:
        refuse(
            RefusedReason.OTHER_PAYMENT,
            donation,
            charge,
            event_id=event_id,
            event_type=event_type,
            payment_intent=payment_id,
        )
        return None
    return donation


def find_donation(stripe_object):
    """The donation a Stripe session or payment intent names in its metadata (or its
    client_reference_id). Naming it is a claim, not a proof: check with session_mismatch."""
    metadata = stripe_object.metadata.to_dict() if stripe_object.metadata else {}
    donation_id = metadata.get("donation_id") or getattr(stripe_object, "client_reference_id", None)
    if not donation_id:
        return None
    try:
        return Donation.objects.filter(uuid=donation_id).first()
    except ValidationError:  # not a uuid: not one of ours
        return None


def object_id(value):
    """The id of a Stripe object, expanded or not (None stays None)."""
    return getattr(value, "id", value)


def donation_label(donation):
    page = Page.objects.filter(translation_key=donation.campaign_key).first()
    return page.title if page else "Co-city"


def get_backend():
    """The configured backend (settings.PAYMENT_BACKEND: 'stripe' or 'demo')."""
    return {"stripe": StripeBackend, "demo": DemoBackend}[settings.PAYMENT_BACKEND]()
