"""Fifty gifts paid at the same instant on a fund with room for ten (PostgreSQL).

SQLite serialises every write, so it cannot show a race: this test needs the PostgreSQL run
of CI (DATABASE_URL=postgres://…), where each thread has its own connection and transaction.
Without the fund's row lock, every payer would read the same room and the fund would
match far more than its caps.
"""

import datetime
import threading

from django.db import connection, connections
from django.db.models import F, Sum
from django.utils import timezone

import pytest

from donations import ledger, matching
from donations.models import CampaignTally, Donation, DonationSource, DonationStatus, MatchFund

GIFTS = 50
GIFT_CENTS = 2_000  # each matched 1 € for 1 € up to 10 € (per-gift cap)
MATCH_CENTS = 1_000
ROOM_FOR = 10

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL (CI does)",
)


def pay_concurrently(gift_ids):
    """Move every gift to paid at the same instant, each from its own thread and
    connection; return the errors raised (none expected)."""
    barrier = threading.Barrier(len(gift_ids))
    errors = []

    def pay(gift_id):
        try:
            barrier.wait(timeout=10)
            ledger.transition(gift_id, DonationStatus.PAID)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(pk,)) for pk in gift_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def net(rows):
    return rows.aggregate(cents=Sum(F("amount_cents") - F("refunded_cents")))["cents"] or 0


# Transactional: its flush removes the root page and site the migrations created; the
# home_page fixture (tests/conftest.py) makes them again for the next one.
@pytest.mark.django_db(transaction=True)
def test_fifty_gifts_at_once_never_pass_the_fund_caps(campaign):
    key = campaign.translation_key
    now = timezone.now()
    fund = MatchFund.objects.create(
        sponsor_name="Fondation Solidarité Paris",
        ratio_percent=100,
        per_gift_cap_cents=MATCH_CENTS,
        # room for ten matched gifts in this campaign, and for the tenth only half of it in
        # total: both caps are raced for at once
        per_campaign_cap_cents=ROOM_FOR * MATCH_CENTS,
        total_cap_cents=ROOM_FOR * MATCH_CENTS - MATCH_CENTS // 2,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
        campaign_keys=[str(key)],
    )
    gifts = [
        ledger.create_pending(
            campaign_key=key,
            amount_cents=GIFT_CENTS,
            provider="demo",
            donor_email=f"donor{n}@example.org",
        ).pk
        for n in range(GIFTS)
    ]

    assert pay_concurrently(gifts) == []

    residents = Donation.objects.exclude(source=DonationSource.MATCH)
    assert residents.filter(status=DonationStatus.PAID).count() == GIFTS
    matches = Donation.objects.filter(source=DonationSource.MATCH, match_fund=fund)
    assert matches.count() == ROOM_FOR
    assert all(amount <= MATCH_CENTS for amount in matches.values_list("amount_cents", flat=True))
    assert net(matches) == fund.total_cap_cents
    assert matching.room(fund, key) == 0
    tally = CampaignTally.objects.get(campaign_key=key)
    assert tally.matched_cents == net(matches)
    assert tally.raised_cents == GIFTS * GIFT_CENTS + net(matches)
    assert tally.donor_count == tally.gift_count == GIFTS
    assert ledger.money(key)["given_cents"] == GIFTS * GIFT_CENTS

    # half the matched gifts refunded at once, while as many new gifts are paid: the freed
    # room goes to the new gifts, never beyond the caps, and the tally still equals the ledger
    matched_gifts = list(matches.values_list("matched_gift", flat=True)[: ROOM_FOR // 2])
    newcomers = [
        ledger.create_pending(
            campaign_key=key, amount_cents=GIFT_CENTS, provider="demo", donor_email="new@x.org"
        ).pk
        for _ in range(ROOM_FOR)
    ]
    barrier = threading.Barrier(len(matched_gifts) + len(newcomers))
    errors = []

    def act(gift_id, refund):
        try:
            barrier.wait(timeout=10)
            if refund:
                ledger.transition(gift_id, DonationStatus.REFUNDED, refunded_cents=GIFT_CENTS)
            else:
                ledger.transition(gift_id, DonationStatus.PAID)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(pk, True)) for pk in matched_gifts] + [
        threading.Thread(target=act, args=(pk, False)) for pk in newcomers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    live = matches.filter(status=DonationStatus.PAID)
    assert net(live) <= fund.total_cap_cents
    assert net(matches) <= fund.per_campaign_cap_cents
    tally.refresh_from_db()
    assert tally.matched_cents == net(matches)
    assert tally.raised_cents == net(Donation.objects.filter(status=DonationStatus.PAID))
