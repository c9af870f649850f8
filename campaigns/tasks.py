"""Closing campaigns, as background tasks (docs/operations.md, "Closing and refunds").

django-tasks has no clock: ``manage.py close_campaigns``, run by cron every few minutes,
calls ``close_due_campaigns()``, which queues ``close_campaign_task`` for each campaign whose
closing time has passed (plus ``CLOSING_GRACE``) and whose closing is not finished.

``close_campaign(campaign_key)`` does, in order, each step that is not done yet:

1. stores the result (``CampaignClosing``, once: from then on the campaign's status reads it);
2. emails the campaign's leaders (in their LeaderProfile language);
3. emails the donors who asked for news (in the language of their latest gift, one email per
   address whatever the number of gifts, with their unsubscribe link);
4. for a campaign that failed under the all-or-nothing rule, asks a refund of every paid
   online gift (``donations.refunds.refund_gift``: an idempotency key per gift).

Each address is recorded in ``ClosingEmail`` and marked sent in the transaction that sends
it, each refund asked is stored on its gift, each finished step on the closing: run twice,
or killed half-way and run again, it sends each email and asks each refund once. A mail or
Stripe outage stops its step only; the next run carries on where it stopped.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from django_tasks import task

from donations import ledger, refunds
from donations.models import DisputeStatus, Donation, DonationSource, DonationStatus
from donations.payments import PaymentUnavailable
from donations.unsubscribe import unsubscribe_url
from helpers.emails import render_subject, render_text
from helpers.money import format_money
from helpers.visibility import public_pages

from .closing import (
    ALL_OR_NOTHING,
    CampaignClosing,
    ClosingEmail,
    ClosingResult,
    result_of,
    threshold_percent,
)
from .models import CampaignPage

logger = logging.getLogger(__name__)

# A payment made just before the closing time may be confirmed a little later (a webhook
# retried, or reconcile_donations settling it): the result is stored only after this delay.
CLOSING_GRACE = datetime.timedelta(minutes=settings.DONATION_PENDING_MINUTES + 30)


class ClosingIncomplete(Exception):
    """A step of a closing could not finish (mail or payment provider unavailable, a refund
    refused): the next run carries on."""


def main_page(campaign_key):
    """The campaign's first published page that is not a language copy (its original), or
    None. Published, not public: a campaign in a private section closes and refunds too (what
    the public may see is chosen with public_pages() where links are emailed)."""
    return (
        CampaignPage.objects.live()
        .filter(translation_key=campaign_key, alias_of__isnull=True)
        .order_by("pk")
        .first()
    )


def _finished():
    """Q of the closings with nothing left to do."""
    refunds_done = Q(refunds_asked_at__isnull=False) | ~Q(
        result=ClosingResult.FAILED, funding_rule=ALL_OR_NOTHING
    )
    return Q(leaders_told_at__isnull=False, donors_told_at__isnull=False) & refunds_done


def due_campaign_keys(now=None):
    """The keys of the published campaigns that closed at least CLOSING_GRACE before ``now``
    (default: now) and whose closing is not finished, or that still owe a refund (a late gift
    paid to an all-or-nothing campaign that failed)."""
    now = now or timezone.now()
    ended = set(
        CampaignPage.objects.live()  # private sections' campaigns close too (see main_page)
        .filter(closes_at__lte=now - CLOSING_GRACE)
        .values_list("translation_key", flat=True)
    )
    finished = set(
        CampaignClosing.objects.filter(_finished(), campaign_key__in=ended).values_list(
            "campaign_key", flat=True
        )
    )
    owing = set(
        _refunds_to_ask()
        .filter(campaign_key__in=finished)
        .values_list("campaign_key", flat=True)
        .distinct()
    )
    owing &= set(
        CampaignClosing.objects.filter(
            campaign_key__in=owing, result=ClosingResult.FAILED, funding_rule=ALL_OR_NOTHING
        ).values_list("campaign_key", flat=True)
    )
    return sorted((ended - finished) | owing, key=str)


def close_due_campaigns(now=None):
    """Queue the closing of every due campaign (see due_campaign_keys); return their keys.

    With the immediate task backend (development, tests) each closing runs at once; a
    closing that cannot finish is logged and left for the next call."""
    keys = due_campaign_keys(now)
    for key in keys:
        close_campaign_task.enqueue(str(key))
    return keys


@task()
def close_campaign_task(campaign_key):
    """Close the campaign ``campaign_key`` (see close_campaign); returns what was done."""
    return close_campaign(campaign_key)


def close_campaign(campaign_key, now=None):
    """Do every step of the closing of ``campaign_key`` that is not done yet.

    Returns {"result", "emails", "refunds"} (the stored result, the emails sent and the
    refunds asked by this run), or None when the campaign has no published page or has not
    closed by ``now``. Raises ClosingIncomplete when a step could not finish (the others
    still ran)."""
    now = now or timezone.now()
    campaign = main_page(campaign_key)
    if campaign is None:
        return None
    closing = store_result(campaign, now)
    if closing is None:
        return None
    done = {"result": closing.result, "emails": 0, "refunds": 0}
    problems = []
    for step, count in (
        (tell_leaders, "emails"),
        (tell_donors, "emails"),
        (ask_refunds, "refunds"),
    ):
        try:
            done[count] += step(closing, campaign)
        except (OSError, PaymentUnavailable) as error:  # mail server, Stripe
            logger.warning("Closing of %s: %s stopped: %s", campaign_key, step.__name__, error)
            problems.append(error)
    if problems:
        raise ClosingIncomplete(f"{campaign_key}: {problems}") from problems[0]
    return done


def store_result(campaign, now):
    """The campaign's CampaignClosing, created (once) from the ledger if it closed by
    ``now``; None if it has not closed."""
    key = campaign.translation_key
    closing = CampaignClosing.objects.filter(campaign_key=key).first()
    if closing is not None or campaign.closes_at > now:
        return closing
    # the tally must judge the gifts against this closing time (see ledger.closing_time)
    ledger.closing_time_changed(key, campaign.closes_at)
    raised_by_close = ledger.figures(key)[2]
    threshold = campaign.threshold_cents
    try:
        with transaction.atomic():
            return CampaignClosing.objects.create(
                campaign_key=key,
                closes_at=campaign.closes_at,
                result=result_of(campaign.funding_rule, raised_by_close, threshold),
                funding_rule=campaign.funding_rule,
                goal_cents=campaign.goal_cents,
                threshold_cents=threshold,
                raised_by_close_cents=raised_by_close,
            )
    except IntegrityError:  # stored meanwhile by another run
        return CampaignClosing.objects.get(campaign_key=key)


# -- emails ------------------------------------------------------------------------------------


def tell_leaders(closing, campaign):
    """Email each leader of the campaign once, in their language; return how many were sent."""
    if closing.leaders_told_at is not None:
        return 0
    messages = ClosingMessages(closing, campaign)
    sent = 0
    for user in campaign.leaders.filter(is_active=True).exclude(email="").order_by("pk"):
        # LeaderProfile belongs to the stories app, a layer above: read through the relation
        profile = getattr(user, "leader_profile", None)
        language = profile.language if profile else settings.LANGUAGE_CODE
        name = profile.public_name if profile else user.get_full_name()

        def build(email, language, name=name):
            return messages.get(language).leader(email, name)

        sent += send_once(closing, ClosingEmail.Audience.LEADER, user.email, language, build)
    CampaignClosing.objects.filter(pk=closing.pk).update(leaders_told_at=timezone.now())
    return sent


def donor_recipients(campaign_key):
    """{lowercased email: language of their latest gift} of the donors who asked for news on a
    gift to the campaign (paid, or refunded since) and did not unsubscribe since."""
    gifts = (
        Donation.objects.filter(
            campaign_key=campaign_key,
            status__in=[DonationStatus.PAID, DonationStatus.REFUNDED],
            paid_at__isnull=False,
            wants_news=True,
        )
        .exclude(donor_email="")
        .order_by("paid_at", "pk")
        .values_list("donor_email", "language")
    )
    latest = {}
    for email, language in gifts:
        latest[email.strip().lower()] = language  # a later gift's language wins
    return latest


def tell_donors(closing, campaign):
    """Email each donor who asked for news once, in their language; return how many were
    sent."""
    if closing.donors_told_at is not None:
        return 0
    messages = ClosingMessages(closing, campaign)
    sent = 0
    for email, language in donor_recipients(closing.campaign_key).items():
        sent += send_once(
            closing,
            ClosingEmail.Audience.DONOR,
            email,
            language,
            lambda email, language: messages.get(language).donor(email),
        )
    CampaignClosing.objects.filter(pk=closing.pk).update(donors_told_at=timezone.now())
    return sent


def send_once(closing, audience, email, language, build):
    """Send ``build(email, language)`` (an EmailMessage) unless this address was told already;
    return 1 if sent, else 0.

    The address's row is locked while its email is sent and marked sent in the same
    transaction: a concurrent run waits and then sees it sent; a run killed before the
    commit leaves it unsent, to be sent by the next run."""
    email = email.strip().lower()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    row, _created = ClosingEmail.objects.get_or_create(
        closing=closing, audience=audience, email=email, defaults={"language": language}
    )
    if row.sent_at is not None:
        return 0
    with transaction.atomic():
        row = ClosingEmail.objects.select_for_update().get(pk=row.pk)
        if row.sent_at is not None:
            return 0
        build(email, row.language).send()
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at"])
    return 1


class ClosingMessages:
    """The ClosingMessage of each language, made when first needed."""

    def __init__(self, closing, campaign):
        self.closing, self.campaign, self.made = closing, campaign, {}

    def get(self, language):
        if language not in self.made:
            self.made[language] = ClosingMessage(self.closing, self.campaign, language)
        return self.made[language]


class ClosingMessage:
    """The closing emails of one campaign in one language: the campaign's title and address
    in that language where the public may see them, the result and what happens to the
    money."""

    def __init__(self, closing, campaign, language):
        self.closing = closing
        self.language = language
        versions = public_pages(
            CampaignPage.objects.filter(translation_key=campaign.translation_key)
        )
        shown = (
            versions.filter(locale__language_code=language).first()
            or versions.order_by("pk").first()
        )
        self.campaign_title = (shown or campaign).title
        self.campaign_url = shown.get_full_url() if shown else ""
        site = campaign.get_site()
        self.base_url = (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")

    def context(self, **extra):
        closing = self.closing
        refunded = closing.result == ClosingResult.FAILED and closing.funding_rule == ALL_OR_NOTHING
        return {
            "closing": closing,
            "result": closing.result,
            "refunded": refunded,
            "kept_below_threshold": closing.result == ClosingResult.CLOSED,
            "campaign_title": self.campaign_title,
            "campaign_url": self.campaign_url,
            "raised": format_money(closing.raised_by_close_cents, self.language),
            "threshold": format_money(closing.threshold_cents, self.language),
            "goal": format_money(closing.goal_cents, self.language),
            "threshold_percent": threshold_percent(closing),
            "reached_goal": closing.raised_by_close_cents >= closing.goal_cents,
            "closes_at": closing.closes_at,
            **extra,
        }

    def _message(self, kind, email, context, headers=None):
        with translation.override(self.language):
            subject = render_subject(f"campaigns/email/closing_{kind}_subject.txt", context)
            body = render_text(f"campaigns/email/closing_{kind}_body.txt", context)
        return EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [email], headers=headers or {}
        )

    def leader(self, email, name):
        return self._message("leader", email, self.context(name=name))

    def donor(self, email):
        stop_url = self.base_url + unsubscribe_url(email, self.closing.campaign_key, self.language)
        return self._message(
            "donor",
            email,
            self.context(unsubscribe_url=stop_url),
            headers={
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


# -- refunds -----------------------------------------------------------------------------------


def _refunds_to_ask():
    """The paid online gifts whose refund was not asked yet. A gift whose dispute was lost
    is left out: the cardholder's bank gave the money back already."""
    return Donation.objects.filter(
        source=DonationSource.ONLINE, status=DonationStatus.PAID, refund_requested_at__isnull=True
    ).exclude(disputes__status=DisputeStatus.LOST)


def ask_refunds(closing, campaign=None):
    """For a campaign that failed under the all-or-nothing rule: ask the refund of each paid
    online gift not asked yet; return how many were asked.

    Stops at the first gift the provider cannot be asked about (PaymentUnavailable: the
    next run asks it again, with the same idempotency key); a gift the provider refuses is
    logged and skipped, and the step is not finished (RefundRefused raised at the end). A
    gift under an open dispute waits for its decision (a refund cannot be made meanwhile):
    the step finishes once it is decided (lost: nothing to refund; won: refunded)."""
    if closing.result != ClosingResult.FAILED or closing.funding_rule != ALL_OR_NOTHING:
        return 0
    asked = waiting = 0
    refused = []
    gifts = _refunds_to_ask().filter(campaign_key=closing.campaign_key).order_by("pk")
    disputed = set(gifts.filter(disputes__status=DisputeStatus.OPEN).values_list("pk", flat=True))
    for gift in gifts:
        if gift.pk in disputed:
            waiting += 1
            continue
        try:
            refunds.refund_gift(gift)
        except refunds.RefundRefused as error:
            refused.append(str(error))
            continue
        asked += 1
    if refused:
        raise refunds.RefundRefused(f"{len(refused)} refund(s) refused: {refused}")
    if waiting:
        logger.info("Closing of %s: %s gift(s) under dispute", closing.campaign_key, waiting)
    elif closing.refunds_asked_at is None:
        CampaignClosing.objects.filter(pk=closing.pk).update(refunds_asked_at=timezone.now())
    return asked
