"""The ledger's fingerprint and self-check, for backups and their restore drill
(docs/deployment.md, "Backups and the restore drill") and the nightly ``ledger_check`` job.

``fingerprint()`` sums up everything money-related the database holds: every gift (amount,
refunded part, status, source, when paid), every campaign's tally, every tax receipt's number
and amount, the Stripe events already applied. Two databases with the same fingerprint hold
the same ledger; the ``digest`` changes when any single gift, receipt or event differs.

``problems()`` checks the ledger against itself: each campaign's tally equals what the gifts
add up to (recomputed, then rolled back), tax receipt numbers run 1, 2, 3… in each year with no
gap or duplicate and the year's counter is at the last one. A restored backup must pass both:
same fingerprint as the moment it was taken, no problem.
"""

import hashlib
import json
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, Sum

from donations import ledger
from donations.models import CampaignTally, Donation, WebhookEvent
from donations.models.tax_receipts import ReceiptCounter, TaxReceipt

TALLY_FIELDS = ("raised_cents", "matched_cents", "disputed_cents", "donor_count", "gift_count")


def _stamp(moment):
    return moment.isoformat() if moment else None


def fingerprint():
    """A JSON-able summary of the ledger, with a digest of every row it covers. Run it inside
    one transaction (REPEATABLE READ on PostgreSQL) to describe one moment."""
    digest = hashlib.sha256()

    def feed(kind, *values):
        digest.update(json.dumps([kind, *values], default=str).encode())

    by_status = defaultdict(lambda: {"gifts": 0, "amount_cents": 0, "refunded_cents": 0})
    gifts = Donation.objects.order_by("uuid").values_list(
        "uuid", "campaign_key", "amount_cents", "refunded_cents", "status", "source", "paid_at"
    )
    for uuid, campaign_key, amount, refunded, status, source, paid_at in gifts.iterator():
        feed("gift", str(uuid), str(campaign_key), amount, refunded, status, source)
        feed("paid_at", _stamp(paid_at))
        row = by_status[status]
        row["gifts"] += 1
        row["amount_cents"] += amount
        row["refunded_cents"] += refunded

    campaigns = {}
    for tally in CampaignTally.objects.order_by("campaign_key"):
        figures = {name: getattr(tally, name) for name in TALLY_FIELDS}
        feed("tally", str(tally.campaign_key), *figures.values())
        campaigns[str(tally.campaign_key)] = figures

    receipts = {}
    for year, count, last, total in (
        TaxReceipt.objects.values("year")
        .annotate(count=Count("pk"), last=Max("sequence"), total=Sum("amount_cents"))
        .order_by("year")
        .values_list("year", "count", "last", "total")
    ):
        receipts[str(year)] = {"receipts": count, "last_number": last, "amount_cents": total}
    for row in TaxReceipt.objects.order_by("year", "sequence").values_list(
        "year", "sequence", "status", "amount_cents"
    ):
        feed("receipt", *row)
    for year, last in ReceiptCounter.objects.order_by("year").values_list("year", "last"):
        feed("counter", year, last)

    events = 0
    for event_id in WebhookEvent.objects.order_by("event_id").values_list("event_id", flat=True):
        feed("event", event_id)
        events += 1

    return {
        "gifts": dict(sorted(by_status.items())),
        "campaigns": campaigns,
        "tax_receipts": receipts,
        "stripe_events_applied": events,
        "digest": digest.hexdigest(),
    }


class _RolledBack(Exception):
    pass


def _tallies_recomputed():
    """Every campaign's tally as the ledger works it out now, without keeping the result."""
    recomputed = {}
    try:
        with transaction.atomic():
            for key in sorted(ledger.campaign_keys()):
                tally = ledger._recompute_tally(key)
                recomputed[str(key)] = {name: getattr(tally, name) for name in TALLY_FIELDS}
            raise _RolledBack
    except _RolledBack:
        pass
    return recomputed


def problems():
    """What is wrong with the ledger (an empty list when nothing is)."""
    found = []
    stored = {
        str(tally.campaign_key): {name: getattr(tally, name) for name in TALLY_FIELDS}
        for tally in CampaignTally.objects.all()
    }
    for key, figures in _tallies_recomputed().items():
        if stored.get(key, dict.fromkeys(TALLY_FIELDS, 0)) != figures:
            found.append(
                f"campaign {key}: tally {stored.get(key)} but its gifts add up to {figures}"
            )

    counters = dict(ReceiptCounter.objects.values_list("year", "last"))
    numbers = defaultdict(list)
    for year, sequence in TaxReceipt.objects.values_list("year", "sequence"):
        numbers[year].append(sequence)
    for year, sequences in sorted(numbers.items()):
        expected = list(range(1, len(sequences) + 1))
        if sorted(sequences) != expected:
            found.append(f"tax receipts of {year}: numbers are not 1 to {len(sequences)}")
        if counters.get(year, 0) != max(sequences):
            found.append(
                f"tax receipts of {year}: counter at {counters.get(year, 0)}, "
                f"last number {max(sequences)}"
            )
    return found


def differences(expected, actual):
    """The parts of two fingerprints that differ, as readable lines."""
    lines = []
    for part in ("gifts", "campaigns", "tax_receipts", "stripe_events_applied"):
        if expected.get(part) != actual.get(part):
            lines.append(f"{part}: expected {expected.get(part)}, found {actual.get(part)}")
    if expected.get("digest") != actual.get("digest") and not lines:
        lines.append("digest: a gift, receipt or event differs (same totals)")
    return lines


def summary(print_):
    """One line a person reads: how many gifts and euros the fingerprint covers."""
    gifts = sum(row["gifts"] for row in print_["gifts"].values())
    paid = print_["gifts"].get("paid", {})
    euros = (paid.get("amount_cents", 0) - paid.get("refunded_cents", 0)) / 100
    receipts = sum(row["receipts"] for row in print_["tax_receipts"].values())
    return (
        f"{gifts} gifts ({euros:.2f} € paid, net of refunds) across "
        f"{len(print_['campaigns'])} campaigns, {receipts} tax receipts, "
        f"{print_['stripe_events_applied']} Stripe events"
    )
