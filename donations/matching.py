"""Match funds: a sponsor adds to residents' gifts (docs/operations.md, "Matchfunding").

Only the ledger calls the functions that write here (``follow_gift``), inside its own
transaction, after locking the gift and before locking the campaign's tally: lock order is
always gift, then funds (by primary key), then tally — so two gifts paid at once never take
the same room of a fund, and no lock cycle can form.

The rules:

- A resident's gift (online or offline, never a match itself) that becomes paid is matched
  by every fund active at its ``paid_at`` (``starts_at <= paid_at < ends_at``) whose campaigns
  include the gift's: chosen by hand, or by district and category codes.
- The match is the gift's amount × ratio, never more than the fund's cap per gift, the room
  left for the campaign (cap per campaign) and the room left in the fund (total cap); a
  match of 0 is not recorded.
- The match follows its gift: when the gift is refunded (in part or in full), lost to a
  dispute or given back, the match keeps what the ratio gives on what remains of the gift,
  never more than it first gave; what it gives back (its ``refunded_cents``; status refunded
  when nothing is left) is room in the fund again.
"""

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpers import compiled

from .models import Dispute, DisputeStatus, Donation, DonationSource, DonationStatus, MatchFund

MATCH_PROVIDER = "match"


def active_funds(when):
    """Funds matching gifts paid at ``when``."""
    return MatchFund.objects.filter(starts_at__lte=when, ends_at__gt=when)


def covers(fund, campaign_key, facts=None):
    """Whether ``fund`` matches gifts to the campaign ``campaign_key``.

    ``facts`` is the campaign's (district_code, category_code), or a function returning it
    (called only when the fund chooses by district or category); by default the ledger
    asks the campaign app.
    """
    if str(campaign_key) in {str(key) for key in fund.campaign_keys or ()}:
        return True
    if not fund.district_codes and not fund.category_codes:
        return False
    if facts is None:
        facts = facts_of(campaign_key)
    district, category = facts() if callable(facts) else facts
    return (not fund.district_codes or district in fund.district_codes) and (
        not fund.category_codes or category in fund.category_codes
    )


def facts_of(campaign_key):
    """A function returning the campaign's (district_code, category_code), asking the
    campaign app (through the ledger) at most once."""
    found = []

    def facts():
        if not found:
            # the ledger imports this module
            from .ledger import campaign_facts  # noqa: PLC0415

            found.append(campaign_facts(campaign_key))
        return found[0]

    return facts


def matched_cents(fund, campaign_key=None):
    """What ``fund`` matches now (net of what was taken back), in all or in one campaign."""
    matches = Donation.objects.filter(
        match_fund=fund, source=DonationSource.MATCH, status=DonationStatus.PAID
    )
    if campaign_key is not None:
        matches = matches.filter(campaign_key=campaign_key)
    total = matches.aggregate(
        cents=Coalesce(Sum(F("amount_cents") - F("refunded_cents")), Value(0))
    )["cents"]
    return int(total)


def matched_sum():
    """An annotation for a MatchFund queryset: what each fund matches now (cents)."""
    return Coalesce(
        Sum(
            F("matches__amount_cents") - F("matches__refunded_cents"),
            filter=Q(matches__status=DonationStatus.PAID),
        ),
        Value(0),
    )


def room(fund, campaign_key):
    """The most ``fund`` may still add to gifts of the campaign ``campaign_key`` (cents)."""
    campaign_matched = (
        matched_cents(fund, campaign_key) if fund.per_campaign_cap_cents is not None else 0
    )
    return _room(fund, matched_cents(fund), campaign_matched)


def _room(fund, fund_matched, campaign_matched):
    """The room left in ``fund`` given what it matches now in all and in the campaign."""
    left = fund.total_cap_cents - fund_matched
    if fund.per_campaign_cap_cents is not None:
        left = min(left, fund.per_campaign_cap_cents - campaign_matched)
    return max(0, left)


# How the funds a page shows are kept between requests: ``keep(name, build)`` returns
# ``build()`` or a copy kept from an earlier call. The home app plugs in its frame cache
# (home/apps.py: forgotten whenever a fund is saved or deleted); by default, read each time.
_keep = None


def register_keeper(keep):
    """Register ``keep(name, build)`` (see above); called from home's AppConfig.ready()."""
    global _keep
    _keep = keep


def _open_funds():
    """The funds not ended yet (with their sponsor's logo and its renditions), oldest
    first: staff's settings, the same for every visitor; what they matched is read apart,
    fresh."""

    def build():
        return list(
            MatchFund.objects.filter(ends_at__gt=timezone.now())
            .select_related("sponsor_logo")
            .prefetch_related("sponsor_logo__renditions")
            .order_by("starts_at", "pk")
        )

    return _keep("match-funds", build) if _keep else build()


def _matched_by(funds, campaign_key):
    """{fund id: (what it matches now in all, in the campaign ``campaign_key``)}, one query
    (compiled once per set of funds and campaign: helpers/compiled.py)."""
    ids = tuple(sorted(fund.pk for fund in funds))
    rows = compiled.rows(
        ("fund-sums", ids, str(campaign_key)),
        lambda: Donation.objects.filter(
            match_fund__in=ids, source=DonationSource.MATCH, status=DonationStatus.PAID
        )
        .order_by()
        .values("match_fund")
        .annotate(
            everywhere=Sum(F("amount_cents") - F("refunded_cents")),
            here=Sum(F("amount_cents") - F("refunded_cents"), filter=Q(campaign_key=campaign_key)),
        )
        .values_list("match_fund", "everywhere", "here"),
    )
    return {fund: (everywhere or 0, here or 0) for fund, everywhere, here in rows}


def offers(campaign_key, when=None):
    """The funds that would match a gift to the campaign paid at ``when`` (default now),
    each as (fund, room_cents) with room left; for the campaign page and the donation form.
    The funds come from ``_open_funds`` (kept between requests), which ones cover the
    campaign is decided here, and what those matched is read in one query (none when no
    fund covers the campaign)."""
    when = when or timezone.now()
    facts = facts_of(campaign_key)
    funds = [
        fund
        for fund in _open_funds()
        if fund.starts_at <= when < fund.ends_at and covers(fund, campaign_key, facts)
    ]
    if not funds:
        return []
    matched = _matched_by(funds, campaign_key)
    found = []
    for fund in funds:
        left = _room(fund, *matched.get(fund.pk, (0, 0)))
        if left > 0:
            found.append((fund, left))
    return found


def lock_funds(fund_ids):
    """Lock the funds ``fund_ids`` (in primary-key order, the ledger's lock order) and
    return them by id."""
    ids = sorted({pk for pk in fund_ids if pk is not None})
    if not ids:
        return {}
    return {
        fund.pk: fund
        for fund in MatchFund.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def remaining_cents(gift):
    """What remains of a resident's gift for its campaign: nothing unless paid; its amount
    net of refunds and of lost disputes."""
    if gift.status != DonationStatus.PAID:
        return 0
    lost = Dispute.objects.filter(donation=gift, status=DisputeStatus.LOST).aggregate(
        cents=Coalesce(Sum("amount_cents"), Value(0))
    )["cents"]
    return max(0, gift.amount_cents - gift.refunded_cents - lost)


def follow_gift(gift, *, create):
    """Bring the matches of ``gift`` (locked and saved by the caller) in line with it.

    ``create``: the gift has just become paid (or was just recorded offline): every eligible
    fund that has not matched it yet matches it now. Existing matches keep what the ratio
    gives on what remains of the gift, never more than first given nor beyond any cap; a
    gift moved to another campaign loses its matches. Returns the matches created.
    The caller recomputes the tally afterwards (the ledger does).
    """
    if gift.source == DonationSource.MATCH:
        return []
    existing = list(Donation.objects.filter(matched_gift=gift, source=DonationSource.MATCH))
    candidates = []
    if create and gift.status == DonationStatus.PAID and gift.paid_at is not None:
        taken = {match.match_fund_id for match in existing}
        facts = facts_of(gift.campaign_key)
        candidates = [
            fund.pk
            for fund in active_funds(gift.paid_at).exclude(pk__in=taken)
            if covers(fund, gift.campaign_key, facts)
        ]
    if not existing and not candidates:
        return []
    funds = lock_funds([match.match_fund_id for match in existing] + candidates)
    left = remaining_cents(gift)
    for match in existing:
        _adjust(match, funds[match.match_fund_id], gift, left)
    created = []
    for pk in candidates:
        fund = funds[pk]
        cents = min(left * fund.ratio_percent // 100, room(fund, gift.campaign_key))
        if fund.per_gift_cap_cents is not None:
            cents = min(cents, fund.per_gift_cap_cents)
        if cents > 0:
            created.append(
                Donation.objects.create(
                    campaign_key=gift.campaign_key,
                    amount_cents=cents,
                    status=DonationStatus.PAID,
                    source=DonationSource.MATCH,
                    match_fund=fund,
                    matched_gift=gift,
                    donor_name=fund.sponsor_name[:100],
                    paid_at=gift.paid_at,
                    provider=MATCH_PROVIDER,
                    language=gift.language,
                )
            )
    return created


def _adjust(match, fund, gift, left):
    """Set what ``match`` keeps of its amount, given what remains of its gift."""
    kept_now = match.counted_cents
    if match.campaign_key != gift.campaign_key:
        target = 0
    else:
        target = min(match.amount_cents, left * fund.ratio_percent // 100)
    if target > kept_now:  # the gift grew back (an offline gift edited): within the caps only
        target = kept_now + min(target - kept_now, room(fund, match.campaign_key))
    if target == kept_now:
        return
    match.refunded_cents = match.amount_cents - target
    match.status = DonationStatus.PAID if target else DonationStatus.REFUNDED
    match.save(update_fields=["refunded_cents", "status", "updated_at"])


def gifts_to_match(fund):
    """Ids of the paid residents' gifts ``fund`` could match but has not matched (yet):
    paid in its period, to campaigns it covers. For a fund created after the gifts (the demo,
    a sponsor joining late): ``ledger.match_paid_gifts`` matches them one by one."""
    gifts = (
        Donation.objects.filter(
            status=DonationStatus.PAID,
            paid_at__gte=fund.starts_at,
            paid_at__lt=fund.ends_at,
        )
        .exclude(source=DonationSource.MATCH)
        .exclude(matches__match_fund=fund)
        .order_by("paid_at", "pk")
    )
    keys = {}
    ids = []
    for pk, key in gifts.values_list("pk", "campaign_key"):
        if key not in keys:
            keys[key] = covers(fund, key)
        if keys[key]:
            ids.append(pk)
    return ids
