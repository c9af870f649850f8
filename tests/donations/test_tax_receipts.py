"""Tax receipts (issue 13, item 3): who gets one and when, numbering, refunds and
corrections, yearly receipts, the scheduled command and the purge after the keeping period
(donations/tax_receipts.py, docs/tax-receipts.md)."""

import datetime
import io
import zoneinfo

from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

import pytest

from campaigns import closing as closings
from campaigns.closing import ClosingResult
from campaigns.factories import CampaignPageFactory
from campaigns.models import FundingRule
from donations import ledger, tax_receipts
from donations.models import (
    Donation,
    DonationSource,
    DonationStatus,
    MatchFund,
    ReceiptCounter,
    TaxReceipt,
    TaxReceiptStatus,
)
from home.locales import create_language_aliases
from tests.donations.receipt_fixtures import (  # noqa: F401 - receipts_on is a fixture
    ADDRESS,
    offline_gift_with_receipt,
    receipts_on,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = datetime.timedelta(days=1)
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


def online_gift(campaign, cents=2500, email="awa@example.org", paid_at=None, **fields):
    """A card gift (demo provider) whose donor asked for a receipt, made paid by the ledger."""
    values = {**ADDRESS, "wants_receipt": True, "donor_name": "Awa", **fields}
    gift = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        provider="demo",
        donor_email=email,
        **values,
    )
    gift, _changed = ledger.transition(
        gift.pk, DonationStatus.PAID, payment_id=f"demo-{gift.uuid}", paid_at=paid_at
    )
    return gift


def paris(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def issued():
    return list(TaxReceipt.objects.filter(status=TaxReceiptStatus.ISSUED).order_by("pk"))


# --- who gets a receipt, and when ------------------------------------------------------------


def test_an_online_gift_paid_gets_its_own_receipt_once(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign, cents=4200, email="Awa@Example.org", language="en")
    receipt = TaxReceipt.objects.get()
    assert list(receipt.donations.all()) == [gift]
    assert (receipt.kind, receipt.status, receipt.amount_cents) == ("gift", "issued", 4200)
    assert receipt.number == f"{THIS_YEAR}-000001"
    assert (receipt.donor_name, receipt.address_line, receipt.postal_code) == (
        "Awa Diallo",
        "12 rue des Couronnes",
        "75020",
    )
    assert (receipt.city, receipt.country, receipt.donor_email, receipt.language) == (
        "Paris",
        "France",
        "Awa@Example.org",
        "en",
    )
    paid_on = timezone.localdate(gift.paid_at)
    assert (receipt.first_gift_on, receipt.last_gift_on) == (paid_on, paid_on)
    assert receipt.payment_modes == ["card"]
    assert receipt.issuer["name"] == "Les Co-citoyens"
    assert receipt.issuer["identifier"] == "W751234567"
    assert receipt.issuer["signature"].startswith("private/signatures/")

    # never twice: the gift's receipt is returned again, issuing another is refused
    assert tax_receipts.issue_for_gift(gift.pk) == receipt
    assert tax_receipts.issue_due() == []
    with pytest.raises(tax_receipts.AlreadyReceipted):
        tax_receipts.issue([gift.pk])
    assert TaxReceipt.objects.count() == 1
    assert ReceiptCounter.objects.get(year=THIS_YEAR).last == 1


def test_an_offline_gift_with_an_address_gets_its_receipt_and_a_refund_replaces_it(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = offline_gift_with_receipt(campaign, cents=5000, days_ago=3)
    receipt = TaxReceipt.objects.get()
    assert receipt.amount_cents == 5000
    assert list(receipt.donations.all()) == [gift]
    assert receipt.sequence == 1 and receipt.payment_modes == ["cheque"]
    assert receipt.first_gift_on == timezone.localdate() - 3 * DAY  # the day it was received

    gift.refunded_cents = 2000
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift)
    old, new = TaxReceipt.objects.order_by("sequence")
    assert old.status == TaxReceiptStatus.CANCELLED and old.cancel_reason == "refund"
    assert new.status == TaxReceiptStatus.ISSUED and new.amount_cents == 3000
    assert new.sequence == 2 and new.replaces == old

    with django_capture_on_commit_callbacks(execute=True):
        ledger.mark_returned(gift.pk, user=None, returned_on=gift.received_on)
    gift.refresh_from_db()
    assert gift.status == DonationStatus.REFUNDED
    assert issued() == []
    assert tax_receipts.issue_due() == []


def test_no_receipt_without_a_complete_address_until_the_donor_gives_it(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign, city="")
        not_asked = online_gift(campaign, wants_receipt=False, email="bruno@example.org")
    assert not TaxReceipt.objects.exists()
    assert tax_receipts.issue_for_gift(gift.pk) is None
    assert tax_receipts.issue_due() == []

    Donation.objects.filter(pk=gift.pk).update(city="Paris")  # the donor's link completes it
    (receipt,) = tax_receipts.issue_due()
    assert list(receipt.donations.all()) == [gift] and receipt.city == "Paris"
    assert tax_receipts.issue_for_gift(not_asked.pk) is None


def test_no_receipt_while_receipts_are_off_or_their_settings_incomplete(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    receipts_on.enabled = False
    receipts_on.save()
    assert not tax_receipts.receipts_offered()
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign)
        offline = offline_gift_with_receipt(campaign)
    assert tax_receipts.issue_due() == []
    assert tax_receipts.issue_for_gift(gift.pk) is None

    # turned on, but a required detail is missing: still none
    receipts_on.enabled = True
    receipts_on.identifier = ""
    receipts_on.save()
    assert receipts_on.missing() == ["identifier"]
    assert not tax_receipts.receipts_offered()
    assert tax_receipts.issue_due() == []
    assert tax_receipts.issue_for_gift(offline.pk) is None
    out = io.StringIO()
    call_command("issue_tax_receipts", stdout=out)
    assert "missing: identifier" in out.getvalue() and "none issued" in out.getvalue()
    assert not TaxReceipt.objects.exists()

    # complete: the scheduled run catches up with both gifts
    receipts_on.identifier = "W751234567"
    receipts_on.save()
    assert sorted(r.donations.get().pk for r in tax_receipts.issue_due()) == [gift.pk, offline.pk]


def test_a_sponsors_match_never_gets_a_receipt(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    MatchFund.objects.create(
        sponsor_name="Fondation Solidarité Paris",
        ratio_percent=100,
        total_cap_cents=500_000,
        starts_at=now - DAY,
        ends_at=now + 30 * DAY,
        campaign_keys=[str(campaign.translation_key)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign, cents=3000)
    match = Donation.objects.get(source=DonationSource.MATCH)
    # even with every receipt field filled in, a match is a company's money: not a 2041-RD
    Donation.objects.filter(pk=match.pk).update(wants_receipt=True, **ADDRESS)
    assert tax_receipts.issue_for_gift(match.pk) is None
    assert tax_receipts.issue_due() == []
    assert [list(r.donations.all()) for r in issued()] == [[gift]]
    assert issued()[0].amount_cents == 3000


# --- all-or-nothing campaigns -------------------------------------------------------------


def ended_campaign(campaign, rule, goal_euros):
    """A campaign (every language) under the same listing, that closed yesterday."""
    now = timezone.now()
    page = CampaignPageFactory(
        parent=campaign.get_parent(),
        opens_at=now - 40 * DAY,
        closes_at=now - DAY,
        funding_rule=rule,
        goal_cents=goal_euros * 100,
    )
    create_language_aliases(page)
    return page


def test_an_all_or_nothing_gift_waits_for_success_and_a_failed_one_gets_none(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    succeeds = ended_campaign(campaign, FundingRule.ALL_OR_NOTHING, goal_euros=100)
    fails = ended_campaign(campaign, FundingRule.ALL_OR_NOTHING, goal_euros=1000)
    with django_capture_on_commit_callbacks(execute=True):
        held = online_gift(succeeds, cents=10_000, paid_at=succeeds.closes_at - DAY)
        refunded = online_gift(fails, cents=5_000, paid_at=fails.closes_at - DAY)
        cheque = offline_gift_with_receipt(fails, cents=2_000, days_ago=2)
    # paid, but the money may still go back: no receipt yet
    assert not TaxReceipt.objects.exists()
    assert tax_receipts.issue_for_gift(held.pk) is None
    assert tax_receipts.issue_due() == []

    with django_capture_on_commit_callbacks(execute=True):
        closings.close_due_campaigns()
    assert closings.closing_of(succeeds.translation_key).result == ClosingResult.SUCCEEDED
    assert closings.closing_of(fails.translation_key).result == ClosingResult.FAILED
    refunded.refresh_from_db()
    assert refunded.status == DonationStatus.REFUNDED

    (receipt,) = tax_receipts.issue_due()
    assert list(receipt.donations.all()) == [held] and receipt.amount_cents == 10_000
    # the failed campaign's gifts: the card gift refunded, the cheque to be given back
    assert tax_receipts.issue_for_gift(refunded.pk) is None
    assert tax_receipts.issue_for_gift(cheque.pk) is None
    assert tax_receipts.issue_due() == []
    assert issued() == [receipt]


# --- refunds and corrections --------------------------------------------------------------


def test_a_partial_refund_cancels_and_replaces_a_full_one_only_cancels(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign, cents=10_000)
    first = TaxReceipt.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=2_500)
    first.refresh_from_db()
    assert first.status == TaxReceiptStatus.CANCELLED and first.cancel_reason == "refund"
    assert first.cancelled_at is not None
    second = first.replaced_by
    assert (second.status, second.amount_cents, second.sequence) == ("issued", 7_500, 2)
    assert second.donor_name == "Awa Diallo" and list(second.donations.all()) == [gift]

    # the same refund reported again changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=2_500)
    assert tax_receipts.follow_refund(gift.pk) is None
    assert TaxReceipt.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=10_000)
    second.refresh_from_db()
    assert second.status == TaxReceiptStatus.CANCELLED and second.cancel_reason == "refund"
    assert TaxReceipt.objects.count() == 2 and issued() == []
    assert tax_receipts.issue_due() == []
    assert ReceiptCounter.objects.get(year=THIS_YEAR).last == 2


def test_staff_correcting_an_offline_gift_correct_its_receipt(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = offline_gift_with_receipt(campaign, cents=5000, method="cash")
    first = TaxReceipt.objects.get()
    gift.address_line = "14 rue des Couronnes"
    gift.offline_method = "cheque"
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift)
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancel_reason == "correction"
    second = first.replaced_by
    assert second.address_line == "14 rue des Couronnes" and second.payment_modes == ["cheque"]
    assert second.amount_cents == 5000 and second.sequence == 2

    # an edit that changes nothing on the receipt leaves it alone
    gift.evidence = "Chèque n°12"
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift)
    assert issued() == [second]


def test_a_refund_after_the_donors_details_were_erased_keeps_the_receipts_details(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        gift = online_gift(campaign, cents=6000)
    Donation.objects.filter(pk=gift.pk).update(
        receipt_name="", address_line="", postal_code="", city="", country="", donor_email=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        ledger.transition(gift.pk, DonationStatus.PAID, refunded_cents=1000)
    (receipt,) = issued()
    assert receipt.amount_cents == 5000 and receipt.replaces is not None
    assert (receipt.donor_name, receipt.city, receipt.donor_email) == (
        "Awa Diallo",
        "Paris",
        "awa@example.org",
    )


def test_reissue_by_staff_gives_a_new_number_and_refuses_a_cancelled_receipt(
    campaign,
    receipts_on,  # noqa: F811
    admin_user,
):
    gift = offline_gift_with_receipt(campaign)  # on_commit not run: issued by hand here
    first = tax_receipts.issue_for_gift(gift.pk, user=admin_user)
    assert first.issued_by == admin_user
    second = tax_receipts.reissue(first, user=admin_user)
    first.refresh_from_db()
    assert (first.status, first.cancel_reason, first.cancelled_by) == (
        "cancelled",
        "correction",
        admin_user,
    )
    assert second.replaces == first and second.sequence == 2
    with pytest.raises(ValueError):
        tax_receipts.reissue(first)
    assert not tax_receipts.cancel(first, reason="correction")  # cancelled already


# --- yearly receipts -----------------------------------------------------------------------


def test_one_receipt_a_year_per_person_with_the_years_gifts_only(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    yearly = {"receipt_yearly": True}
    with django_capture_on_commit_callbacks(execute=True):
        card = online_gift(
            campaign, cents=2000, email="Awa@Example.org", paid_at=paris(LAST_YEAR, 3, 10), **yearly
        )
        cheque = offline_gift_with_receipt(campaign, cents=3000, method="cheque", **yearly)
        next_year = offline_gift_with_receipt(campaign, cents=700, method="cash", **yearly)
        bruno = online_gift(
            campaign,
            cents=1500,
            email="bruno@example.org",
            paid_at=paris(LAST_YEAR, 12, 31, 23),
            receipt_name="Bruno Keita",
            **yearly,
        )
    Donation.objects.filter(pk=cheque.pk).update(received_on=datetime.date(LAST_YEAR, 11, 5))
    Donation.objects.filter(pk=next_year.pk).update(received_on=datetime.date(THIS_YEAR, 1, 2))
    # a yearly gift never gets a receipt of its own
    assert not TaxReceipt.objects.exists()
    assert tax_receipts.issue_due() == []
    assert tax_receipts.issue_for_gift(card.pk) is None

    out = io.StringIO()
    call_command("issue_tax_receipts", "--yearly", stdout=out)  # default: last year
    assert f"2 yearly receipts issued for {LAST_YEAR}" in out.getvalue()
    awa, keita = sorted(issued(), key=lambda receipt: receipt.donor_name)
    assert awa.kind == "year" and keita.kind == "year"
    assert sorted(awa.donations.values_list("pk", flat=True)) == [card.pk, cheque.pk]
    assert awa.amount_cents == 5000
    assert (awa.first_gift_on, awa.last_gift_on) == (
        datetime.date(LAST_YEAR, 3, 10),
        datetime.date(LAST_YEAR, 11, 5),
    )
    assert awa.payment_modes == ["card", "cheque"]
    assert (keita.amount_cents, keita.first_gift_on) == (1500, datetime.date(LAST_YEAR, 12, 31))
    assert keita.donor_name == "Bruno Keita" and list(keita.donations.all()) == [bruno]
    assert awa.year == keita.year == THIS_YEAR  # numbered in the year of issue

    # running again issues nothing more; this year's gift waits for next January
    assert tax_receipts.issue_yearly(LAST_YEAR) == []
    out = io.StringIO()
    call_command("issue_tax_receipts", "--yearly", str(LAST_YEAR), stdout=out)
    assert f"0 yearly receipts issued for {LAST_YEAR}" in out.getvalue()
    assert tax_receipts.issue_due() == []
    assert list(tax_receipts.yearly_gifts(THIS_YEAR).values()) == [[next_year.pk]]
    with pytest.raises(CommandError):  # a year not over yet
        call_command("issue_tax_receipts", "--yearly", str(THIS_YEAR), stdout=io.StringIO())
    assert len(issued()) == 2


def test_one_email_giving_for_two_named_people_gets_a_receipt_each(
    campaign,
    receipts_on,  # noqa: F811
):
    yearly = {"receipt_yearly": True}
    when = paris(LAST_YEAR, 6, 1)
    online_gift(campaign, cents=1000, paid_at=when, **yearly)
    online_gift(campaign, cents=2000, paid_at=when, receipt_name="awa  DIALLO", **yearly)
    online_gift(campaign, cents=4000, paid_at=when, receipt_name="Moussa Diallo", **yearly)
    receipts = tax_receipts.issue_yearly(LAST_YEAR)
    assert sorted(receipt.amount_cents for receipt in receipts) == [3000, 4000]


# --- numbering ----------------------------------------------------------------------------


def test_numbers_restart_each_calendar_year_and_are_never_reused(
    campaign,
    receipts_on,  # noqa: F811
):
    # on_commit callbacks are not run here: each receipt is issued explicitly
    gifts = [offline_gift_with_receipt(campaign, cents=1000 + n) for n in range(5)]
    new_years_eve = tax_receipts.issue([gifts[0].pk], now=paris(LAST_YEAR, 12, 31, 23))
    new_year = tax_receipts.issue([gifts[1].pk], now=paris(THIS_YEAR, 1, 1, 0))
    second = tax_receipts.issue([gifts[2].pk], now=paris(THIS_YEAR, 1, 2))
    assert [new_years_eve.number, new_year.number, second.number] == [
        f"{LAST_YEAR}-000001",
        f"{THIS_YEAR}-000001",
        f"{THIS_YEAR}-000002",
    ]
    assert tax_receipts.cancel(second, reason="correction")
    third = tax_receipts.issue([gifts[3].pk], now=paris(THIS_YEAR, 1, 3))
    assert third.sequence == 3  # the cancelled 2 stays cancelled, never used again
    # a gift whose receipt was cancelled may get a new one, under a new number
    again = tax_receipts.issue([gifts[2].pk], now=paris(THIS_YEAR, 1, 4))
    assert again.sequence == 4
    assert tax_receipts.issue([gifts[4].pk], now=paris(LAST_YEAR, 12, 31)).sequence == 2


def test_a_rolled_back_issue_gives_its_number_back(
    campaign,
    receipts_on,  # noqa: F811
):
    gift = offline_gift_with_receipt(campaign)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert tax_receipts.issue([gift.pk]).sequence == 1
        raise RuntimeError("the caller's transaction fails")
    assert not TaxReceipt.objects.exists()
    assert tax_receipts.issue([gift.pk]).sequence == 1


# --- the scheduled command and the purge ------------------------------------------------


def test_the_command_issues_whats_due_once(
    campaign,
    receipts_on,  # noqa: F811
):
    gifts = [offline_gift_with_receipt(campaign, cents=1000) for _ in range(3)]  # no on_commit
    out = io.StringIO()
    call_command("issue_tax_receipts", stdout=out)
    assert out.getvalue().strip() == "issue_tax_receipts: 3 gift receipts issued"
    assert sorted(r.donations.get().pk for r in issued()) == [gift.pk for gift in gifts]
    out = io.StringIO()
    call_command("issue_tax_receipts", stdout=out)
    assert out.getvalue().strip() == "issue_tax_receipts: 0 gift receipts issued"
    assert TaxReceipt.objects.count() == 3


def test_the_purge_blanks_the_donor_on_receipts_past_the_keeping_period(
    campaign,
    receipts_on,  # noqa: F811
):
    old, recent = (offline_gift_with_receipt(campaign) for _ in range(2))
    old_receipt = tax_receipts.issue_for_gift(old.pk)
    recent_receipt = tax_receipts.issue_for_gift(recent.pk)
    replacement = tax_receipts.reissue(old_receipt)  # cancelled and replaced: both old
    now = timezone.now()
    TaxReceipt.objects.filter(pk__in=[old_receipt.pk, replacement.pk]).update(
        issued_at=now - datetime.timedelta(days=6 * 366 + 2)
    )
    TaxReceipt.objects.filter(pk=recent_receipt.pk).update(
        issued_at=now - datetime.timedelta(days=6 * 365 - 2)
    )
    out = io.StringIO()
    call_command("issue_tax_receipts", "--purge", stdout=out)
    assert "2 receipts purged" in out.getvalue()
    for receipt in (old_receipt, replacement):
        receipt.refresh_from_db()
        assert receipt.purged_at is not None
        assert (receipt.donor_name, receipt.address_line, receipt.postal_code) == ("", "", "")
        assert (receipt.city, receipt.country, receipt.donor_email) == ("", "", "")
        assert receipt.amount_cents == 5000 and receipt.number  # the accounts keep these
    recent_receipt.refresh_from_db()
    assert recent_receipt.purged_at is None and recent_receipt.donor_name == "Awa Diallo"
    out = io.StringIO()
    call_command("issue_tax_receipts", "--purge", stdout=out)
    assert "0 receipts purged" in out.getvalue()


def test_keep_until_is_six_years_after_issue():
    assert tax_receipts.keep_until(paris(2026, 3, 15)) == datetime.date(2032, 3, 15)
    assert tax_receipts.keep_until(paris(2028, 2, 29)) == datetime.date(2034, 2, 28)
