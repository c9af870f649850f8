"""The only way donations change (DESIGN.md §5).

Every function here is atomic, idempotent and safe under concurrent callers: it locks the
donation row, then the campaign's tally row (always in that order), applies the change if
the state machine allows it, and recomputes the tally from the ledger inside the same
transaction — so a campaign's total and donor count always equal what the ledger says.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, Trim
from django.utils import timezone

from helpers import compiled

from . import matching
from .models import (
    CampaignTally,
    Dispute,
    DisputeStatus,
    Donation,
    DonationSource,
    DonationStatus,
    MatchFund,
    WebhookEvent,
)

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

    In the same transaction, a gift that becomes paid is matched by every eligible match
    fund, and a refund takes back its match in step (donations/matching.py).
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
            became_paid = donation.status == DonationStatus.PAID and before[0] != PAID
            matching.follow_gift(donation, create=became_paid)
            _recompute_tally(donation.campaign_key)
            if became_paid:
                transaction.on_commit(lambda: _on_paid(donation.pk))
            elif donation.refunded_cents != before[1]:
                transaction.on_commit(lambda: _on_money_changed(donation.pk))
    return donation, changed


def save_offline(donation, user=None):
    """Save a gift recorded by staff (cash, cheque, transfer) as paid, and update the tally.

    Used for creation and for edits; returns the donation. Offline gifts are residents'
    gifts like online ones: a new one is matched by the eligible match funds (as of its
    ``paid_at``); an edit adjusts its match to its new amount, and moving it to another
    campaign takes its match back.
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
        matching.follow_gift(donation, create=old_key is None)
        for key in sorted({old_key, donation.campaign_key} - {None}):
            _recompute_tally(key)
        # a new gift may get its tax receipt; an edited one may need its receipt corrected
        transaction.on_commit(lambda: _on_money_changed(donation.pk, new=old_key is None))
    return donation


def mark_returned(donation_id, *, user, returned_on):
    """Record that staff gave an offline gift back (an all-or-nothing campaign failed):
    the gift becomes refunded in full, with who gave it back and when; its match is taken
    back. Returns (donation, changed); repeating it changes nothing.

    Raises Donation.DoesNotExist for an unknown id and ValueError for a gift that is not
    an offline one (online gifts are refunded through the payment provider).
    """
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        if donation.source != DonationSource.OFFLINE:
            raise ValueError("only an offline gift is given back by staff")
        if donation.status == DonationStatus.REFUNDED and donation.returned_on:
            return donation, False
        donation.status = DonationStatus.REFUNDED
        donation.refunded_cents = donation.amount_cents
        donation.returned_on = returned_on
        donation.returned_by = user
        donation.save()
        matching.follow_gift(donation, create=False)
        _recompute_tally(donation.campaign_key)
        transaction.on_commit(lambda: _on_money_changed(donation.pk))
    return donation, True


def match_paid_gifts(fund_id):
    """Match the paid gifts that fund ``fund_id`` covers and has not matched yet (a fund
    created after the gifts it is meant for), one gift per transaction, in the order they
    were paid; returns how many matches were created. Repeating it creates none."""
    created = 0
    for gift_id in matching.gifts_to_match(MatchFund.objects.get(pk=fund_id)):
        with transaction.atomic():
            gift = Donation.objects.select_for_update().get(pk=gift_id)
            new = matching.follow_gift(gift, create=True)
            if new:
                _recompute_tally(gift.campaign_key)
            created += len(new)
    return created


# A dispute once decided stays decided: a late "open" event never reopens it.
DECIDED = {DisputeStatus.WON, DisputeStatus.LOST}


def record_dispute(donation_id, *, dispute_id, amount_cents, status, reason="", when=None):
    """Create or update the dispute ``dispute_id`` (the provider's id) on a gift; return
    (dispute, changed).

    ``status`` is open, won or lost (DisputeStatus); ``when`` is when the provider says it
    was opened (status open) or decided (won, lost), default now. A lost dispute is a ledger
    entry: the gift stays paid, ``amount_cents`` (at most what remains of the gift) comes out
    of the campaign's total (tally.disputed_cents) and the gift's match is taken back; open
    and won disputes change no total. Repeating a call, or an "open" event arriving after the
    decision, changes nothing. Raises Donation.DoesNotExist for an unknown gift.
    """
    status = DisputeStatus(status)
    when = min(when, timezone.now()) if when else timezone.now()
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation_id)
        dispute = Dispute.objects.select_for_update().filter(provider_dispute_id=dispute_id).first()
        if dispute is None:
            dispute = Dispute(donation=donation, provider_dispute_id=dispute_id, opened_at=when)
        elif dispute.donation_id != donation.pk:
            logger.warning("Dispute %s belongs to another gift than %s", dispute_id, donation.pk)
            return dispute, False
        before = (dispute.pk, dispute.status, dispute.amount_cents, dispute.reason)
        if dispute.status in DECIDED and status == DisputeStatus.OPEN:
            status = dispute.status
        dispute.amount_cents = min(int(amount_cents), donation.amount_cents)
        dispute.reason = (reason or dispute.reason)[:100]
        if status != dispute.status or dispute.pk is None:
            dispute.closed_at = when if status in DECIDED else None
        dispute.status = status
        changed = (dispute.pk, dispute.status, dispute.amount_cents, dispute.reason) != before
        if changed:
            dispute.save()
        if changed and DisputeStatus.LOST in (status, before[1]):
            matching.follow_gift(donation, create=False)
            _recompute_tally(donation.campaign_key)
    return dispute, changed


def record_offline(**fields):
    """Create a gift recorded by staff from Donation ``fields``; return it."""
    return save_offline(Donation(**fields))


def campaign_keys():
    """Every campaign key the ledger holds donations or a tally for."""
    return set(Donation.objects.values_list("campaign_key", flat=True).distinct()) | set(
        CampaignTally.objects.values_list("campaign_key", flat=True)
    )


def erase_campaigns(campaign_keys):
    """Delete every donation (matches and disputes first) and tally of these campaigns
    (demo `--reset` only: a real campaign's ledger is never deleted)."""
    with transaction.atomic():
        donations = Donation.objects.filter(campaign_key__in=campaign_keys)
        Dispute.objects.filter(donation__in=donations).delete()
        donations.filter(source=DonationSource.MATCH).delete()
        Donation.objects.filter(matched_gift__in=donations).delete()  # moved offline gifts
        donations.delete()
        CampaignTally.objects.filter(campaign_key__in=campaign_keys).delete()


def erase_match_fund(fund_id):
    """Delete a match fund and every match it made, and work out the tallies of their
    campaigns again (demo `--reset` only: a real fund is ended by its dates, never deleted)."""
    with transaction.atomic():
        matching.lock_funds([fund_id])
        matches = Donation.objects.filter(match_fund_id=fund_id)
        keys = set(matches.values_list("campaign_key", flat=True))
        matches.delete()
        MatchFund.objects.filter(pk=fund_id).delete()
        for key in sorted(keys):
            _recompute_tally(key)


def delete_offline(donation):
    """Delete a gift recorded by staff (an entry made by mistake) with its matches, and
    update the tally (the matches' room goes back to their funds)."""
    with transaction.atomic():
        key = donation.campaign_key
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
        matching.lock_funds(donation.matches.values_list("match_fund", flat=True))
        donation.matches.all().delete()
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


def person_key():
    """An expression naming the person behind a gift, for ``Count(..., distinct=True)``:
    their email (lower case), else for an offline gift the donor's name (lower case,
    trimmed), else the gift itself (one gift, one person). Filter matches out yourself:
    a sponsor's match is nobody's gift."""
    return Case(
        When(~Q(donor_email=""), then=Concat(Value("email:"), Lower(Trim("donor_email")))),
        When(
            Q(source=DonationSource.OFFLINE) & ~Q(donor_name=""),
            then=Concat(Value("name:"), Lower(Trim("donor_name"))),
        ),
        default=Concat(Value("gift:"), Cast("pk", CharField())),
        output_field=CharField(),
    )


RESIDENTS = ~Q(source=DonationSource.MATCH)
MATCHES = Q(source=DonationSource.MATCH)


def _lost_disputes(donations, closes_at):
    """Cents taken out by lost disputes, per gift (at most what remains of each gift):
    (all lost disputes of paid gifts, those of on-time gifts lost by closes_at, the ids of
    gifts disputed in full)."""
    rows = Dispute.objects.filter(
        donation__in=donations, status=DisputeStatus.LOST, donation__status=PAID
    ).values_list(
        "donation_id",
        "amount_cents",
        "closed_at",
        "donation__amount_cents",
        "donation__refunded_cents",
        "donation__paid_late",
    )
    lost, lost_by_close = {}, {}
    remaining = {}
    for gift, cents, closed_at, amount, refunded, late in rows:
        remaining[gift] = amount - refunded
        lost[gift] = lost.get(gift, 0) + cents
        if not late and (closes_at is None or closed_at is None or closed_at <= closes_at):
            lost_by_close[gift] = lost_by_close.get(gift, 0) + cents
    total = sum(min(cents, remaining[gift]) for gift, cents in lost.items())
    by_close = sum(min(cents, remaining[gift]) for gift, cents in lost_by_close.items())
    in_full = {gift for gift, cents in lost.items() if cents >= remaining[gift]}
    return total, by_close, in_full


def _recompute_tally(campaign_key):
    """Recompute a campaign's tally from the ledger (inside the caller's transaction).

    raised_cents: residents' paid gifts and sponsors' matches, net of refunds (a match taken
    back is a refund of the match row) and of lost disputes (``disputed_cents``);
    matched_cents: the matches' part of it; donor_count: people (``person_key``) and
    gift_count: gifts, both counting residents' paid gifts not lost in full to a dispute.

    Late-gift rule (docs/operations.md): a gift paid after the campaign's closing time
    counts in the amount raised (money is never refused) and is marked ``paid_late``; its
    match is late with it. The campaign's result (``raised_by_close_cents``) counts only the
    gifts paid by the closing time and their matches, net of what was taken out of them
    before closing — refunds, matches taken back and lost disputes recorded while the
    campaign was open (``refunded_by_close_cents``, frozen at the closing time) — so it
    never changes after the deadline.
    """
    tally = _locked_tally(campaign_key)
    closes_at = closing_time(campaign_key)
    donations = Donation.objects.for_campaign(campaign_key)
    late = late_gifts(closes_at)
    late = (RESIDENTS & late) | (MATCHES & Q(matched_gift__in=donations.filter(RESIDENTS & late)))
    donations.filter(late, paid_late=False).update(paid_late=True)
    donations.exclude(late).filter(paid_late=True).update(paid_late=False)  # deadline moved
    disputed, disputed_by_close, disputed_in_full = _lost_disputes(donations, closes_at)
    paid = Q(status=PAID)
    people = paid & RESIDENTS & ~Q(pk__in=disputed_in_full)
    net = F("amount_cents") - F("refunded_cents")
    on_time = Q(status__in=[PAID, DonationStatus.REFUNDED], paid_at__isnull=False, paid_late=False)
    totals = donations.aggregate(
        given=Coalesce(Sum(net, filter=paid & RESIDENTS), Value(0)),
        matched=Coalesce(Sum(net, filter=paid & MATCHES), Value(0)),
        donors=Count(person_key(), filter=people, distinct=True),
        gifts=Count("pk", filter=people),
        on_time=Coalesce(Sum("amount_cents", filter=on_time), Value(0)),
        on_time_refunded=Coalesce(Sum("refunded_cents", filter=on_time), Value(0)),
    )
    tally.matched_cents = totals["matched"]
    tally.disputed_cents = disputed
    tally.raised_cents = totals["given"] - disputed + totals["matched"]
    tally.donor_count = totals["donors"]
    tally.gift_count = totals["gifts"]
    if closes_at is None or timezone.now() < closes_at:
        tally.refunded_by_close_cents = totals["on_time_refunded"] + disputed_by_close
    tally.raised_by_close_cents = max(0, totals["on_time"] - tally.refunded_by_close_cents)
    tally.closes_at = closes_at
    tally.save()
    return tally


def recompute_all():
    """Recompute every campaign's tally from the ledger (one transaction per campaign);
    returns how many were recomputed."""
    keys = campaign_keys()
    for key in sorted(keys):
        with transaction.atomic():
            _recompute_tally(key)
    return len(keys)


def recompute(campaign_key):
    """Work a campaign's tally out again from the ledger, e.g. after staff erased or changed a
    donor's personal data (the people counted follow the emails). Locks the tally row; call
    it after locking the gifts you changed (the ledger's order: gifts, then tally)."""
    with transaction.atomic():
        return _recompute_tally(campaign_key)


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


def register_campaign_facts(lookup):
    """Register ``lookup(campaign_key)``, returning that campaign's (district_code,
    category_code) — either may be None — so match funds can be eligible by district or
    category; called from the campaign app's AppConfig.ready()."""
    global _campaign_facts_lookup
    _campaign_facts_lookup = lookup


_campaign_facts_lookup = None


def campaign_facts(campaign_key):
    """(district_code, category_code) of the campaign, or (None, None) when unknown."""
    facts = _campaign_facts_lookup(campaign_key) if _campaign_facts_lookup else None
    return tuple(facts) if facts else (None, None)


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
    query: everything raised (matches included, net of refunds and lost disputes), the
    people who gave, and what decides its result (see _recompute_tally)."""
    row = CampaignTally.objects.filter(campaign_key=campaign_key).first()
    return (row.raised_cents, row.donor_count, row.raised_by_close_cents) if row else (0, 0, 0)


def money(campaign_key):
    """Every figure of one campaign's tally, in one query (compiled once per campaign and
    thread: helpers/compiled.py), as a dict of ints:

    raised_cents (everything counted: given + matched), given_cents (what residents gave,
    net of refunds and lost disputes), matched_cents (what sponsors' funds added),
    disputed_cents (lost disputes, already out of raised and given), donor_count (people),
    gift_count (residents' gifts) and raised_by_close_cents (what decides the result).
    """
    rows = compiled.instances(
        ("tally", str(campaign_key)),
        lambda: CampaignTally.objects.filter(campaign_key=campaign_key)[:1],
    )
    row = rows[0] if rows else CampaignTally()
    return {
        "raised_cents": row.raised_cents,
        "given_cents": row.raised_cents - row.matched_cents,
        "matched_cents": row.matched_cents,
        "disputed_cents": row.disputed_cents,
        "donor_count": row.donor_count,
        "gift_count": row.gift_count,
        "raised_by_close_cents": row.raised_by_close_cents,
    }


def public_donations(campaign_key):
    """The residents' gifts a campaign page lists (newest first), with only what may be
    shown; sponsors' matches are not gifts of anybody and are left out (the page shows the
    matched total and the sponsor apart)."""
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


TALLY_FIGURES = ("raised_cents", "donor_count", "raised_by_close_cents")


def tally_annotations(key_field="translation_key", names=TALLY_FIGURES):
    """Annotations (by default raised_cents, donor_count — people —, raised_by_close_cents;
    ``names`` may ask for other tally fields, e.g. matched_cents or gift_count) for a
    queryset of campaign pages, so that a listing reads every total in its one query
    instead of one aggregate per campaign."""
    rows = CampaignTally.objects.filter(campaign_key=OuterRef(key_field))
    return {name: Coalesce(Subquery(rows.values(name)[:1]), Value(0)) for name in names}


def _on_paid(donation_id):
    # donations.tasks imports the ledger
    from .tasks import issue_gift_receipt, send_donation_confirmation  # noqa: PLC0415

    try:
        send_donation_confirmation.enqueue(donation_id)
        issue_gift_receipt.enqueue(donation_id)
    except Exception:  # a mail or queue outage must never undo or fail a payment
        logger.exception("Could not enqueue the confirmation of donation %s", donation_id)


def _on_money_changed(donation_id, new=False):
    """A gift's kept money changed (refund, given back, offline gift entered or edited): its
    tax receipt follows, as a task (donations/tax_receipts.py)."""
    # donations.tasks imports the ledger
    from .tasks import correct_gift_receipt, issue_gift_receipt  # noqa: PLC0415

    try:
        (issue_gift_receipt if new else correct_gift_receipt).enqueue(donation_id)
    except Exception:  # the scheduled issue_tax_receipts run catches up
        logger.exception("Could not enqueue the receipt work of donation %s", donation_id)
