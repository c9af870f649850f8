"""Backups with the ledger's fingerprint, the restore drill and the ledger's self-check
(cocity/backups.py, donations/ledger_audit.py), on SQLite and PostgreSQL."""

import datetime
import json
import os
import uuid

from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from cocity import backups, scheduler
from donations import ledger, tax_receipts
from donations.models import CampaignTally
from donations.models.tax_receipts import ReceiptCounter
from tests.donations.receipt_fixtures import (  # noqa: F401 - receipts_on is a fixture
    ADDRESS,
    receipts_on,
)

pytestmark = pytest.mark.django_db(transaction=True)


def give(campaign_key, *amounts):
    for cents in amounts:
        ledger.record_offline(
            campaign_key=campaign_key,
            amount_cents=cents,
            donor_name="Amina",
            donor_email=f"amina{cents}@example.org",
            offline_method="cash",
        )


@pytest.fixture
def two_campaigns():
    first, second = uuid.uuid4(), uuid.uuid4()
    give(first, 1000, 2550)
    give(second, 700)
    return first, second


def run(*args):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

    call_command(*args, stdout=Out())
    return "".join(out)


def test_ledger_check_passes_then_names_a_tally_that_differs_from_its_gifts(two_campaigns):
    first, _ = two_campaigns
    output = run("ledger_check")
    assert "3 gifts (42.50 € paid, net of refunds) across 2 campaigns" in output
    assert "no problem found" in output

    CampaignTally.objects.filter(campaign_key=first).update(raised_cents=9999)
    with pytest.raises(CommandError) as failed:
        run("ledger_check")
    assert f"campaign {first}" in str(failed.value)
    assert "'raised_cents': 9999" in str(failed.value)


def test_ledger_check_finds_a_gap_in_receipt_numbers(receipts_on, two_campaigns):  # noqa: F811
    gift = ledger.record_offline(
        campaign_key=two_campaigns[0],
        amount_cents=5000,
        donor_name="Awa",
        donor_email="awa@example.org",
        offline_method="cheque",
        wants_receipt=True,
        **ADDRESS,
    )
    receipt = tax_receipts.valid_receipt_of(gift) or tax_receipts.issue([gift.pk])
    assert "no problem found" in run("ledger_check")
    ReceiptCounter.objects.filter(year=receipt.year).update(last=5)
    with pytest.raises(CommandError, match=f"{receipt.year}: counter at 5, last number 1"):
        run("ledger_check")


def test_a_backup_restores_to_the_same_ledger(tmp_path, two_campaigns):
    output = run("backup", str(tmp_path))
    dumps = backups.backups(tmp_path)
    assert len(dumps) == 1 and dumps[0].stat().st_size > 0
    assert "3 gifts (42.50 € paid" in output
    saved = json.loads(backups.fingerprint_path(dumps[0]).read_text())
    assert saved["gifts"]["paid"] == {"gifts": 3, "amount_cents": 4250, "refunded_cents": 0}

    give(two_campaigns[0], 500)  # after the backup: not in it
    drill = run("restore_drill", str(dumps[0]))
    assert "restored:   3 gifts (42.50 € paid" in drill
    assert "restore drill passed" in drill
    if connection.vendor == "postgresql":  # the scratch database is gone
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_drill_%"])
            assert cursor.fetchone()[0] == 0


def test_the_drill_fails_when_the_restored_ledger_is_not_the_one_backed_up(tmp_path, two_campaigns):
    dump, _ = backups.backup(tmp_path)
    # a fingerprint that says one more euro was given: the restored copy does not match
    path = backups.fingerprint_path(dump)
    saved = json.loads(path.read_text())
    saved["gifts"]["paid"]["amount_cents"] += 100
    path.write_text(json.dumps(saved))
    with pytest.raises(CommandError, match="restore drill failed"):
        run("restore_drill", str(dump))


def test_the_drill_fails_on_a_backup_of_an_inconsistent_ledger(tmp_path, two_campaigns):
    CampaignTally.objects.filter(campaign_key=two_campaigns[1]).update(donor_count=7)
    dump, _ = backups.backup(tmp_path)
    passed, lines = backups.drill(dump)
    assert not passed
    assert any(f"MISMATCH campaign {two_campaigns[1]}" in line for line in lines), lines


def test_old_backups_are_deleted_but_never_the_newest(tmp_path, two_campaigns):
    now = datetime.datetime.now(datetime.UTC)
    first, _ = backups.backup(tmp_path, now=now - datetime.timedelta(days=40))
    second, _ = backups.backup(tmp_path, now=now - datetime.timedelta(days=1))
    long_ago = (now - datetime.timedelta(days=40)).timestamp()
    os.utime(first, (long_ago, long_ago))
    assert backups.prune(tmp_path, keep_days=30) == [first]
    assert backups.backups(tmp_path) == [second]
    os.utime(second, (long_ago, long_ago))
    assert backups.prune(tmp_path, keep_days=30) == []  # the newest stays


def test_the_scheduler_backs_up_only_where_a_directory_is_set(settings, tmp_path):
    jobs = scheduler.jobs_by_name()
    settings.BACKUP_DIR = ""
    assert not jobs["backup"].applies() and not jobs["restore_drill"].applies()
    settings.BACKUP_DIR = str(tmp_path)
    assert jobs["backup"].applies() and jobs["restore_drill"].applies()
    assert jobs["ledger_check"].applies()


def test_restore_drill_without_a_backup_says_so(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path)
    with pytest.raises(CommandError, match="No backup to restore"):
        run("restore_drill")
