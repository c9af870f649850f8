"""Giving: the donation form, the demo checkout, thank-you and cancelled pages, webhooks."""

import contextlib
import datetime
import json
import logging
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Page

import stripe
from babel.numbers import get_decimal_symbol

from helpers import featured
from helpers.i18n import localize_pages
from helpers.money import amount_to_cents, format_money
from helpers.ratelimit import hit, per_ip
from helpers.visibility import public_pages

from . import disputes, ledger, payments, tax_receipts
from .forms import CUSTOM, DonationForm
from .models import Donation, DonationStatus, WebhookEvent
from .receipt_links import receipt_outlook

logger = logging.getLogger(__name__)

DEFAULT_PRESETS = (10, 25, 50, 100)
WEBHOOK_HANDLED_TYPES = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
    *disputes.EVENT_TYPES,
}


def campaign_for(campaign_key):
    """The campaign page with ``campaign_key`` that the public may see, in the reader's
    language (or its source); raises Http404 when there is none (not live, or private: a
    view restriction keeps its gifts out too)."""
    page = public_pages(Page.objects.filter(translation_key=campaign_key)).first()
    if page is None:
        raise Http404
    return localize_pages([page])[page.pk].specific


# The donation block's limits on its suggested amounts (see DonationBlock.preset_amounts)
MAX_PRESETS, MAX_PRESET_EUROS = 6, 5000
OTHER = "other"


def block_choices(data):
    """(suggested amounts in euros, whether another amount may be typed) of the donation
    block the donor came from (?presets=10,25,50&other=0, carried along by the form), or
    the defaults when it says nothing usable."""
    presets = []
    for part in str(data.get("presets", "")).split(",")[: MAX_PRESETS + 1]:
        try:
            euros = int(part)
        except ValueError:
            return DEFAULT_PRESETS, True
        if not 1 <= euros <= MAX_PRESET_EUROS or euros in presets:
            return DEFAULT_PRESETS, True
        presets.append(euros)
    if not presets or len(presets) > MAX_PRESETS:
        return DEFAULT_PRESETS, True
    return tuple(presets), data.get("other") != "0"


def initial_amount(form_data, presets, allow_custom=True):
    """The amount chosen before the form opened: a suggested one (?amount=25) is preselected,
    an empty one (the block's "Another amount" button: ?amount=) or ?amount=other opens
    "Other amount" ready to type in, any other amount (?amount=5.50, as the cancelled page
    offers it again) is typed in "Other amount"."""
    if "amount" not in form_data:
        return {}
    amount = str(form_data.get("amount", "")).strip()
    if amount in ("", OTHER):
        return {"amount_choice": CUSTOM} if allow_custom else {}
    try:
        cents = amount_to_cents(amount)
    except ValidationError:
        return {}
    if cents % 100 == 0 and cents // 100 in presets:
        return {"amount_choice": str(cents // 100)}
    if allow_custom and cents > 0:
        return {"amount_choice": CUSTOM, "custom_amount": typed_amount(cents)}
    return {}


def typed_amount(cents):
    """``cents`` as a donor would type it in the reader's language: "5,50", "12"."""
    euros, rest = divmod(cents, 100)
    if not rest:
        return str(euros)
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    return f"{euros}{get_decimal_symbol(locale, numbering_system='default')}{rest:02}"


def privacy_url():
    """The privacy notice in the reader's language (the public page whose slug is
    settings.PRIVACY_PAGE_SLUG, "confidentialite" by default), or None."""
    slug = getattr(settings, "PRIVACY_PAGE_SLUG", "confidentialite")
    page = public_pages(Page.objects.filter(slug=slug)).first()
    localized = localize_pages([page])[page.pk] if page else None
    return localized.url if localized else None


@require_http_methods(["GET", "POST"])
def donate(request, campaign_key):
    """Show the donation form of a campaign (GET) or start the payment (POST).

    The form offers the suggested amounts of the donation block the donor came from.
    Each valid submission starts a checkout with the provider, so they are limited to
    DONATION_RATE_LIMIT per IP address: beyond, the form comes back (429, Retry-After) with
    what was typed and the seconds to wait. Invalid ones cost nothing and are not counted."""
    campaign = campaign_for(campaign_key)
    context = {"campaign": campaign, "page_title": campaign.title}
    if not getattr(campaign, "accepts_donations", False):
        return render(request, "donations/closed.html", context, status=200)

    data = request.GET if request.method == "GET" else request.POST
    presets, allow_custom = block_choices(data)
    receipts = tax_receipts.receipts_offered()
    context.update(
        presets=",".join(str(euros) for euros in presets),
        allow_custom=allow_custom,
        privacy_url=privacy_url(),
    )
    options = {"presets": presets, "allow_custom": allow_custom, "receipts": receipts}
    if request.method == "GET":
        initial = initial_amount(request.GET, presets, allow_custom)
        form = DonationForm(initial=initial, **options)
        if initial.get("amount_choice") == CUSTOM:  # "Other amount" chosen: ready to type in
            form.fields["custom_amount"].widget.attrs["autofocus"] = True
        return render(request, "donations/donate.html", {**context, "form": form})

    form = DonationForm(request.POST, **options)
    if not form.is_valid():
        return render(request, "donations/donate.html", {**context, "form": form}, status=400)
    limit, window = settings.DONATION_RATE_LIMIT
    retry_after = hit("donations.donate", per_ip(request), limit, window)
    if retry_after:
        context = {**context, "form": form, "retry_after": retry_after}
        response = render(request, "donations/donate.html", context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    backend = payments.get_backend()
    donation = ledger.create_pending(
        campaign_key=campaign_key,
        amount_cents=form.cleaned_data["amount_cents"],
        donor_name=form.cleaned_data["donor_name"],
        donor_email=form.cleaned_data["donor_email"],
        display=form.cleaned_data["display"],
        message=form.cleaned_data["message"],
        wants_news=form.cleaned_data["wants_news"],
        language=get_language(),
        provider=backend.name,
        **form.receipt_data(),  # the tax receipt asked for, and its name and address
    )
    try:
        checkout_url = backend.start_checkout(donation, request)
    except payments.PaymentUnavailable:
        ledger.transition(donation.pk, DonationStatus.FAILED)
        return render(
            request,
            "donations/donate.html",
            {**context, "form": form, "payment_unavailable": True},
            status=503,
        )
    return redirect(checkout_url)


def _donation_context(donation, campaign_required=True):
    """What the checkout, thank-you and cancelled pages show. A gift outlives its campaign's
    page: unless ``campaign_required``, a campaign that is gone (unpublished, deleted) is
    None and the page shows the gift without a link to it."""
    try:
        campaign = campaign_for(donation.campaign_key)
    except Http404:
        if campaign_required:
            raise
        campaign = None
    return {
        "donation": donation,
        "campaign": campaign,
        "amount": format_money(donation.amount_cents),
    }


@require_http_methods(["GET", "POST"])
def demo_checkout(request, donation_uuid):
    """The demo backend's checkout: says plainly that no money moves."""
    if settings.PAYMENT_BACKEND != "demo":
        raise Http404
    donation = get_object_or_404(Donation, uuid=donation_uuid, provider="demo")
    if request.method == "POST":
        if request.POST.get("action") == "pay":
            ledger.transition(donation.pk, DonationStatus.PAID, payment_id=f"demo-{donation.uuid}")
            return redirect("donations:thanks", donation.uuid)
        return redirect("donations:cancelled", donation.uuid)
    if donation.status != DonationStatus.PENDING:
        return redirect("donations:thanks", donation.uuid)
    return render(request, "donations/demo_checkout.html", _donation_context(donation))


def thanks(request, donation_uuid):
    """Back from the checkout. The payment is confirmed by the provider, not by this visit:
    a pending Stripe donation is checked with Stripe (the same fulfilment as the webhook)."""
    donation = get_object_or_404(Donation, uuid=donation_uuid, source="online")
    if (
        donation.status == DonationStatus.PENDING
        and donation.provider == "stripe"
        and may_ask_stripe(request, donation)
    ):
        # unavailable: the webhook or reconcile_donations will settle it
        with contextlib.suppress(payments.PaymentUnavailable):
            donation = payments.StripeBackend().settle(donation)
    context = _donation_context(donation, campaign_required=False)
    if donation.status == DonationStatus.PAID:
        context["receipt"] = outlook = receipt_outlook(donation)
        if outlook and outlook.get("address_url") and not recently_paid(donation):
            # The thank-you address stays in a shared computer's history: past the first
            # hour, the link that may attach a receipt to this gift is the emailed one only.
            outlook["address_url"] = ""
            if not donation.donor_email:  # no confirmation email either: nothing to point to
                context["receipt"] = None
    if context["campaign"] is not None and donation.status == DonationStatus.PAID:
        context["share"] = share_links(context["campaign"], request)
        # What the campaign page features (its stories, registered by the stories app in the
        # "campaign" slot of helpers.featured, a registry that imports no app).
        context["featured_sections"] = featured.sections_for(
            context["campaign"], request, slot="campaign"
        )
    return render(request, "donations/thanks.html", context)


# How long after the payment the thank-you page itself links to the receipt address form.
THANKS_ADDRESS_LINK_WINDOW = datetime.timedelta(hours=1)


def recently_paid(donation, now=None):
    """True during THANKS_ADDRESS_LINK_WINDOW after the gift was paid."""
    now = now or timezone.now()
    return donation.paid_at is not None and now - donation.paid_at < THANKS_ADDRESS_LINK_WINDOW


def share_links(campaign, request):
    """Links that pass the campaign on without JavaScript: its address, and messages
    carrying it ready to send by WhatsApp, SMS or email (each part URL-encoded)."""
    url = campaign.get_full_url(request)
    text = _("I gave to “%(title)s”. You can help too: %(url)s") % {
        "title": campaign.title,
        "url": url,
    }
    subject = _("Support “%(title)s”") % {"title": campaign.title}
    return {
        "url": url,
        "whatsapp": "https://wa.me/?text=" + quote(text, safe=""),
        "sms": "sms:?&body=" + quote(text, safe=""),
        "email": f"mailto:?subject={quote(subject, safe='')}&body={quote(text, safe='')}",
    }


def may_ask_stripe(request, donation):
    """Whether this visit may ask Stripe about ``donation``: at most once per gift every
    DONATION_SETTLE_SECONDS, and DONATION_SETTLE_RATE_LIMIT times per IP address (reloading
    the page, or trying many gift ids, never turns into a flood of Stripe API calls)."""
    key = f"donations:settle:{donation.uuid}"
    if cache.get(key):
        return False
    limit, window = settings.DONATION_SETTLE_RATE_LIMIT
    if hit("donations.settle", per_ip(request), limit, window):
        return False
    return cache.add(key, True, timeout=settings.DONATION_SETTLE_SECONDS)


def cancelled(request, donation_uuid):
    """The donor left the checkout without paying: nothing was charged."""
    donation = get_object_or_404(Donation, uuid=donation_uuid, source="online")
    donation, _changed = ledger.transition(donation.pk, DonationStatus.CANCELLED)
    context = _donation_context(donation, campaign_required=False)
    euros, cents = divmod(donation.amount_cents, 100)
    context["retry_url"] = (
        reverse("donations:donate", args=[donation.campaign_key])
        + f"?amount={euros}"
        + (f".{cents:02}" if cents else "")
    )
    return render(request, "donations/cancelled.html", context)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe events: signature checked, each event applied once, 2xx quickly.

    Bad, missing or stale signature → 400 and nothing changes; so does a signed event that
    is not shaped like one (no type, an oversized id, not a JSON object…). A payment that is
    not its gift's own is refused (200: it is recorded for staff, Stripe need not retry).
    A failure while applying, or an event for a gift whose checkout is still being started,
    answers 503 so that Stripe delivers the event again (its record is rolled back).
    """
    try:
        stripe.WebhookSignature.verify_header(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            stripe.Webhook.DEFAULT_TOLERANCE,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid payload or signature")
    event = well_formed_event(request.body)
    if event is None:
        logger.warning("Malformed Stripe event refused (signed, %d bytes)", len(request.body))
        return HttpResponseBadRequest("malformed event")
    if event.type not in WEBHOOK_HANDLED_TYPES:
        return HttpResponse("ignored")
    try:
        with transaction.atomic():
            if not ledger.record_event_once(event.id, event.type):
                return HttpResponse("duplicate")
            apply_event(event)
    except payments.PaymentUnavailable:
        return HttpResponse("stripe unreachable, retry later", status=503)
    except payments.CheckoutStarting:
        return HttpResponse("checkout still starting, retry later", status=503)
    except (AttributeError, KeyError, TypeError, ValueError, ValidationError):
        # signed by Stripe yet not shaped as we expect: refuse it, record nothing
        logger.exception("Malformed Stripe event %s", event.id)
        return HttpResponseBadRequest("malformed event")
    return HttpResponse("ok")


EVENT_ID_MAX_LENGTH = WebhookEvent._meta.get_field("event_id").max_length
EVENT_TYPE_MAX_LENGTH = WebhookEvent._meta.get_field("event_type").max_length


def well_formed_event(body):
    """The Stripe event in a (verified) webhook body, or None when it is not one: a JSON
    object with a string id and type that fit their columns and a ``data.object`` object."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    event_id, event_type, payload = data.get("id"), data.get("type"), data.get("data")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= EVENT_ID_MAX_LENGTH):
        return None
    if not (isinstance(event_type, str) and 0 < len(event_type) <= EVENT_TYPE_MAX_LENGTH):
        return None
    if not (isinstance(payload, dict) and isinstance(payload.get("object"), dict)):
        return None
    return stripe.Event.construct_from(data, settings.STRIPE_SECRET_KEY or "")


def event_time(event):
    """When Stripe created the event (for a payment: when it happened), or None."""
    created = getattr(event, "created", None)
    if not isinstance(created, int) or isinstance(created, bool):
        return None
    try:
        return datetime.datetime.fromtimestamp(created, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def apply_event(event):
    """Apply one verified Stripe event to the ledger."""
    obj = event.data.object
    if event.type == "charge.refunded":
        payments.apply_refund(obj, event_id=event.id, event_type=event.type)
        return
    if event.type in disputes.EVENT_TYPES:
        disputes.apply_dispute(
            obj, event_id=event.id, event_type=event.type, decided_at=event_time(event)
        )
        return
    payments.apply_session(obj, event.type, event_id=event.id, paid_at=event_time(event))
