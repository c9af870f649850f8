"""Receipt numbers under concurrent issuing (PostgreSQL): fifty receipts issued at the same
instant get the numbers 1 to 50 of the year, no gap and no duplicate; a receipt whose
transaction rolls back gives its number back to the next one.

SQLite serialises every write, so it cannot show a race: these tests need the PostgreSQL run
of CI (DATABASE_URL=postgres://…), where each thread has its own connection and transaction.
"""

import threading
import time

from django.db import connection, connections, transaction
from django.utils import timezone

import pytest

from donations import ledger, tax_receipts
from donations.models import ReceiptCounter, TaxReceipt
from tests.donations.receipt_fixtures import ADDRESS, receipts_on  # noqa: F401 - a fixture

ISSUES = 50

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL "
        "(CI does)",
    ),
    # Transactional: its flush removes the root page and site the migrations created; the
    # home_page fixture (tests/conftest.py) makes them again for the next one.
    pytest.mark.django_db(transaction=True),
]


def gifts(campaign, count):
    """``count`` cheque gifts whose donors asked for a receipt, recorded while receipts are
    off (so none is issued when they are recorded)."""
    return [
        ledger.record_offline(
            campaign_key=campaign.translation_key,
            amount_cents=1000 + number,
            donor_name=f"Donor {number}",
            donor_email=f"donor{number}@example.org",
            offline_method="cheque",
            received_on=timezone.localdate(),
            wants_receipt=True,
            **ADDRESS,
        )
        for number in range(count)
    ]


def at_once(calls):
    """Run each call at the same instant in its own thread and connection; return
    (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def turn_on(settings):
    settings.enabled = True
    settings.save()


def test_fifty_receipts_issued_at_once_are_numbered_1_to_50(campaign, receipts_on):  # noqa: F811
    receipts_on.enabled = False
    receipts_on.save()
    given = gifts(campaign, ISSUES)
    assert not TaxReceipt.objects.exists()
    turn_on(receipts_on)

    results, errors = at_once(
        [lambda pk=gift.pk: tax_receipts.issue_for_gift(pk) for gift in given]
    )
    assert errors == []
    assert len(results) == ISSUES and all(results)
    year = timezone.localdate().year
    sequences = sorted(TaxReceipt.objects.filter(year=year).values_list("sequence", flat=True))
    assert sequences == list(range(1, ISSUES + 1))
    assert ReceiptCounter.objects.get(year=year).last == ISSUES
    # each gift on exactly one receipt
    covered = sorted(TaxReceipt.donations.through.objects.values_list("donation_id", flat=True))
    assert covered == sorted(gift.pk for gift in given)

    # scheduled runs and tasks racing on the same gifts issue nothing more
    results, errors = at_once(
        [tax_receipts.issue_due for _ in range(4)]
        + [lambda pk=gift.pk: tax_receipts.issue_for_gift(pk) for gift in given[:10]]
    )
    assert errors == [] and TaxReceipt.objects.count() == ISSUES
    assert ReceiptCounter.objects.get(year=year).last == ISSUES


def test_runs_at_once_issue_each_due_receipt_once(campaign, receipts_on):  # noqa: F811
    receipts_on.enabled = False
    receipts_on.save()
    given = gifts(campaign, 20)
    turn_on(receipts_on)
    results, errors = at_once([tax_receipts.issue_due for _ in range(5)])
    assert errors == []
    assert sum(len(issued) for issued in results) == 20  # each counted by the run that issued it
    sequences = sorted(TaxReceipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
    assert TaxReceipt.donations.through.objects.count() == len(given)


def test_a_rolled_back_issue_gives_its_number_to_the_waiting_one(campaign, receipts_on):  # noqa: F811
    receipts_on.enabled = False
    receipts_on.save()
    first, second = gifts(campaign, 2)
    turn_on(receipts_on)
    holding, release = threading.Event(), threading.Event()
    numbers = {}

    def issue_then_fail():
        try:
            with transaction.atomic():
                numbers["rolled back"] = tax_receipts.issue([first.pk]).sequence
                holding.set()
                release.wait(timeout=30)
                raise RuntimeError("the transaction fails after the receipt's insert")
        except RuntimeError:
            pass
        finally:
            connections.close_all()

    def issue_meanwhile():
        try:
            numbers["kept"] = tax_receipts.issue([second.pk]).sequence
        finally:
            connections.close_all()

    failing = threading.Thread(target=issue_then_fail)
    failing.start()
    assert holding.wait(timeout=30)
    waiting = threading.Thread(target=issue_meanwhile)
    waiting.start()
    time.sleep(0.5)
    assert waiting.is_alive()  # it waits for the counter the first one holds
    release.set()
    failing.join(timeout=30)
    waiting.join(timeout=30)

    assert numbers == {"rolled back": 1, "kept": 1}
    receipt = TaxReceipt.objects.get()
    assert list(receipt.donations.all()) == [second] and receipt.sequence == 1
    assert ReceiptCounter.objects.get(year=receipt.year).last == 1
    assert tax_receipts.issue([first.pk]).sequence == 2  # no gap
