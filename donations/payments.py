"""Payment backends behind one small interface (DESIGN.md §5).

- ``stripe``: Stripe Checkout Sessions, hosted by Stripe: no card data touches the site.
- ``demo``: a local, plainly labelled test checkout, used when no Stripe key is set and
  refused by the production settings.

Both end in ``donations.ledger.transition`` — the same fulfilment for every backend.
"""

import logging

from django.conf import settings
from django.urls import reverse

import stripe

from . import ledger
from .models import Donation, DonationStatus

logger = logging.getLogger(__name__)

# Checkout page languages Stripe offers (its `locale` parameter) among ours; others: auto.
STRIPE_LOCALES = {"fr": "fr", "en": "en", "pt": "pt", "zh-hans": "zh", "ar": "auto"}


class PaymentUnavailable(Exception):
    """The payment provider could not be reached or refused the request."""


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
            session = self.client().v1.checkout.sessions.retrieve(donation.provider_session_id)
        except stripe.StripeError as error:
            raise PaymentUnavailable(str(error)) from error
        return apply_session(session)[0] or donation


def apply_session(session, event_type="checkout.session.completed"):
    """Record what a Checkout Session says about its donation; return (donation, changed).

    Returns (None, False) when the session belongs to no donation of ours.
    """
    donation = find_donation(session)
    if donation is None:
        return None, False
    if event_type == "checkout.session.async_payment_failed":
        status = DonationStatus.FAILED
    elif session.payment_status in ("paid", "no_payment_required"):
        status = DonationStatus.PAID
    elif session.status == "expired" or event_type == "checkout.session.expired":
        status = DonationStatus.EXPIRED
    else:  # complete but unpaid: an asynchronous payment method is still on its way
        return donation, False
    return ledger.transition(
        donation.pk, status, session_id=session.id, payment_id=session.payment_intent
    )


def find_donation(stripe_object):
    """The donation a Stripe session or payment intent is about, from its metadata."""
    metadata = stripe_object.metadata.to_dict() if stripe_object.metadata else {}
    donation_id = metadata.get("donation_id") or getattr(stripe_object, "client_reference_id", None)
    if not donation_id:
        return None
    return Donation.objects.filter(uuid=donation_id).first()


def donation_label(donation):
    from wagtail.models import Page

    page = Page.objects.filter(translation_key=donation.campaign_key).first()
    return page.title if page else "Co-city"


def get_backend():
    """The configured backend (settings.PAYMENT_BACKEND: 'stripe' or 'demo')."""
    return {"stripe": StripeBackend, "demo": DemoBackend}[settings.PAYMENT_BACKEND]()
