"""Closing campaigns (issue 12): the result stored once and read from then on, leaders and
donors told once each in their language, demo gifts of a failed all-or-nothing campaign
refunded, the cron command, the listings' filters and query counts, the wording of the
campaign page once closed."""

import datetime
import io

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from campaigns import closing as closings
from campaigns.closing import CampaignClosing, ClosingEmail, ClosingResult
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.models import CampaignIndexPage, CampaignPage, CampaignStatus, FundingRule
from campaigns.tasks import CLOSING_GRACE, ClosingIncomplete, close_campaign, due_campaign_keys
from donations import ledger
from donations.models import Donation, DonationStatus
from helpers.money import format_money
from home.locales import create_language_aliases
from stories.models import LeaderProfile

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
AON = FundingRule.ALL_OR_NOTHING
KEEP = FundingRule.KEEP_IT_ALL


@pytest.fixture
def index(home_page):
    page = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(page)
    return page


def ended_campaign(index, rule=AON, goal=1000, closed_days_ago=1, **fields):
    """A published campaign (every language) that closed ``closed_days_ago`` days ago."""
    page = CampaignPageFactory(
        parent=index,
        opens_at=NOW - 40 * DAY,
        closes_at=NOW - closed_days_ago * DAY,
        funding_rule=rule,
        goal_cents=goal * 100,
        **fields,
    )
    create_language_aliases(page)
    return page


def pay(campaign, euros, email="", language="fr", news=False, **fields):
    """A demo gift paid the day before the campaign closed."""
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=euros * 100,
        provider="demo",
        donor_email=email,
        language=language,
        wants_news=news,
        **fields,
    )
    ledger.transition(
        donation.pk,
        ledger.PAID,
        payment_id=f"demo-{donation.uuid}",
        paid_at=campaign.closes_at - DAY,
    )
    return donation


def pay_offline(campaign, euros, name="Association"):
    day = campaign.closes_at - DAY
    return ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=euros * 100,
        donor_name=name,
        offline_method="cheque",
        received_on=timezone.localdate(day),
        paid_at=day,
    )


def add_leader(django_user_model, campaign, username, language):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    LeaderProfile.objects.create(user=user, public_name=username.title(), language=language)
    campaign.leaders.add(user)
    campaign.save()
    return user


def fresh(campaign):
    return CampaignPage.objects.get(pk=campaign.pk)


def page_in(campaign, language):
    return campaign.get_translation(Locale.objects.get(language_code=language))


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def outbox_to(address):
    return [message for message in mail.outbox if message.to == [address]]


@pytest.mark.django_db
def test_success_is_stored_once_and_the_status_reads_it_ever_after(client, index):
    campaign = ended_campaign(index, rule=AON, goal=1000)
    pay(campaign, 500)
    pay(campaign, 300)  # 800 € = 80 % of 1 000 €: the threshold
    assert closings.closing_of(campaign.translation_key) is None
    assert closings.close_due_campaigns() == [campaign.translation_key]

    stored = CampaignClosing.objects.get()
    assert (stored.campaign_key, stored.result) == (campaign.translation_key, "succeeded")
    assert (stored.goal_cents, stored.threshold_cents, stored.raised_by_close_cents) == (
        100_000,
        80_000,
        80_000,
    )
    assert (stored.funding_rule, stored.closes_at) == (AON, campaign.closes_at)
    assert stored.leaders_told_at and stored.donors_told_at and stored.refunds_asked_at is None
    assert closings.close_due_campaigns() == []  # finished: nothing is due

    # staff raise the goal afterwards: the result does not change, nor the stored figures
    campaign = fresh(campaign)
    campaign.goal_cents = 5_000_00
    campaign.save_revision().publish()
    campaign = fresh(campaign)
    assert campaign.threshold_cents == 4_000_00 and campaign.raised_by_close < 4_000_00
    assert campaign.status == CampaignStatus.SUCCEEDED
    assert campaign.outcome["threshold_cents"] == 80_000
    close_campaign(campaign.translation_key)
    assert CampaignClosing.objects.get().result == ClosingResult.SUCCEEDED

    # the listing filter, the API and the page agree
    listing = index.get_url()
    titles = [
        a.get_text()
        for a in soup_of(client.get(listing, {"status": "succeeded"})).select(".campaign-card h2 a")
    ]
    assert titles == [campaign.title]
    assert not soup_of(client.get(listing, {"status": "closed"})).select(".campaign-card")
    api = client.get("/api/v2/pages/", {"type": "campaigns.CampaignPage", "fields": "status"})
    assert {item["status"] for item in api.json()["items"]} == {"succeeded"}

    with translation.override("en"):
        soup = soup_of(client.get(page_in(campaign, "en").get_url()))
    notice = soup.select_one(".campaign__aside .notice[role=note]").get_text(" ", strip=True)
    assert "success threshold of €800 (80 % of its goal)" in notice
    assert "reached its goal" not in notice
    money = soup.select_one(".closing-notice").get_text(" ", strip=True)
    assert "€800 raised by" in money and "the project receives it" in money


@pytest.mark.django_db
def test_a_campaign_that_reached_its_goal_says_so(client, index):
    campaign = ended_campaign(index, rule=KEEP, goal=500)
    pay(campaign, 600)
    closings.close_due_campaigns()
    with translation.override("en"):
        soup = soup_of(client.get(page_in(campaign, "en").get_url()))
    notice = soup.select_one(".campaign__aside .notice[role=note]").get_text(" ", strip=True)
    assert "reached its goal of €500" in notice


@pytest.mark.django_db
def test_keep_it_all_below_threshold_keeps_the_money(client, index):
    campaign = ended_campaign(index, rule=KEEP, goal=1000)
    gift = pay(campaign, 300)
    closings.close_due_campaigns()
    stored = closings.closing_of(campaign.translation_key)
    assert stored.result == ClosingResult.CLOSED and stored.refunds_asked_at is None
    gift.refresh_from_db()
    assert gift.status == DonationStatus.PAID and gift.refund_requested_at is None
    assert fresh(campaign).status == CampaignStatus.CLOSED
    assert closings.refund_due_keys() == []
    with translation.override("en"):
        soup = soup_of(client.get(page_in(campaign, "en").get_url()))
    money = soup.select_one(".closing-notice").get_text(" ", strip=True)
    assert "€300 raised by" in money and "below the success threshold of €800" in money
    assert "the project keeps what was raised" in money


@pytest.mark.django_db
def test_failed_all_or_nothing_refunds_demo_gifts_and_lists_offline_ones(client, index):
    campaign = ended_campaign(index, rule=AON, goal=1000)
    online = [pay(campaign, 100), pay(campaign, 50)]
    offline = pay_offline(campaign, 200)
    other = ended_campaign(index, rule=AON, goal=100)  # succeeded: nothing to give back
    pay(other, 100)
    closings.close_due_campaigns()

    stored = closings.closing_of(campaign.translation_key)
    assert stored.result == ClosingResult.FAILED and stored.refunds_asked_at is not None
    assert stored.raised_by_close_cents == 35_000
    for gift in online:
        gift.refresh_from_db()
        assert gift.status == DonationStatus.REFUNDED and gift.refunded_cents == gift.amount_cents
        assert gift.provider_refund_id == f"demo-refund-{gift.uuid}" and gift.refund_requested_at
    offline.refresh_from_db()
    assert offline.status == DonationStatus.PAID  # given back by hand, by the team
    assert ledger.tally(campaign.translation_key)[0] == 20_000
    assert closings.refund_due_keys() == [campaign.translation_key]
    assert closings.refund_progress(campaign.translation_key) == {
        "online": 2,
        "online_refunded": 2,
        "offline": 1,
        "offline_returned": 0,
    }
    page = fresh(campaign)
    assert page.status == CampaignStatus.FAILED
    with translation.override("en"):
        soup = soup_of(client.get(page_in(campaign, "en").get_url()))
    money = soup.select_one(".closing-notice").get_text(" ", strip=True)
    assert "did not reach its threshold of €800" in money
    assert "all 2 online gifts have been refunded to the card they came from" in money
    assert "given back by the team (0 of 1 given back)" in money


@pytest.mark.django_db
def test_closing_waits_for_late_confirmations_and_skips_drafts(index):
    recent = ended_campaign(index, closed_days_ago=0)  # closes_at: now
    draft = ended_campaign(index)
    draft.unpublish()
    assert due_campaign_keys() == []
    later = timezone.now() + CLOSING_GRACE + datetime.timedelta(minutes=1)
    assert due_campaign_keys(later) == [recent.translation_key]
    assert close_campaign(draft.translation_key) is None
    assert not CampaignClosing.objects.exists()


class FlakyMail(LocmemBackend):
    """The test's mail server: accepts ``budget`` messages, then refuses the connection
    (None: no limit)."""

    budget = None

    def send_messages(self, messages):
        if FlakyMail.budget is not None:
            if FlakyMail.budget < len(messages):
                raise ConnectionRefusedError("mail server down")
            FlakyMail.budget -= len(messages)
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMail"
    FlakyMail.budget = None
    yield FlakyMail
    FlakyMail.budget = None


@pytest.mark.django_db
def test_each_leader_and_donor_is_told_once_in_their_language(index, django_user_model, flaky_mail):
    campaign = ended_campaign(index, rule=AON, goal=1000)
    add_leader(django_user_model, campaign, "nadia", "ar")
    add_leader(django_user_model, campaign, "paul", "fr")
    pay(campaign, 20, email="Awa@Example.org", language="fr", news=True)
    pay(campaign, 30, email="awa@example.org", language="ar", news=True)  # latest: Arabic
    pay(campaign, 40, email="john@example.org", language="en", news=True)
    pay(campaign, 10, email="quiet@example.org", language="fr", news=False)
    pay(campaign, 10, email="", language="fr", news=False)

    # the mail server goes down after two emails: the run stops there…
    flaky_mail.budget = 2
    with pytest.raises(closings_incomplete()):
        close_campaign(campaign.translation_key)
    assert len(mail.outbox) == 2
    stored = closings.closing_of(campaign.translation_key)
    assert stored.leaders_told_at is not None and stored.donors_told_at is None
    # …but the refunds were asked all the same
    assert stored.refunds_asked_at is not None
    assert not Donation.objects.filter(status=DonationStatus.PAID).exists()

    # it comes back: the next runs tell the others, once
    flaky_mail.budget = None
    closings.close_due_campaigns()
    closings.close_due_campaigns()
    close_campaign(campaign.translation_key)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "awa@example.org",
        "john@example.org",
        "nadia@example.org",
        "paul@example.org",
    ]
    assert CampaignClosing.objects.count() == 1
    assert ClosingEmail.objects.filter(sent_at__isnull=False).count() == 4
    languages = dict(ClosingEmail.objects.values_list("email", "language"))
    assert languages == {
        "awa@example.org": "ar",
        "john@example.org": "en",
        "nadia@example.org": "ar",
        "paul@example.org": "fr",
    }

    arabic_page = page_in(campaign, "ar").get_full_url()
    for address, language in (("awa@example.org", "ar"), ("nadia@example.org", "ar")):
        (message,) = outbox_to(address)
        with translation.override(language):
            assert gettext("Hello,") in message.body or "Nadia" in message.body
            assert gettext("Les Co-citoyens") in message.body
        assert arabic_page in message.body and "/ar/" in arabic_page
    (john,) = outbox_to("john@example.org")
    assert (
        john.subject == f"“{campaign.title}” did not reach its threshold: the gifts are given back"
    )
    assert "below its success threshold of €800 (80 % of its goal of €1,000)" in john.body
    assert "refunded to the card it came from" in john.body
    assert page_in(campaign, "en").get_full_url() in john.body
    assert john.extra_headers["List-Unsubscribe"].strip("<>") in john.body
    (paul,) = outbox_to("paul@example.org")
    assert "List-Unsubscribe" not in paul.extra_headers  # a leader is not on a news list
    with translation.override("fr"):
        assert gettext("Hello %(name)s,") % {"name": "Paul"} in paul.body


def closings_incomplete():
    return ClosingIncomplete


@pytest.mark.django_db
def test_the_cron_command_closes_due_campaigns_once(index, django_user_model):
    campaign = ended_campaign(index, rule=KEEP)
    add_leader(django_user_model, campaign, "nadia", "fr")
    pay(campaign, 900, email="awa@example.org", news=True)
    ended_campaign(index, rule=AON)  # nothing raised: failed, nothing to refund
    CampaignPageFactory(parent=index)  # live

    out = io.StringIO()
    call_command("close_campaigns", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "close_campaigns: 2 due, 2 closed, 0 to retry, 0 queued"
    assert sorted(CampaignClosing.objects.values_list("result", flat=True)) == [
        "failed",
        "succeeded",
    ]
    assert len(mail.outbox) == 2
    out = io.StringIO()
    call_command("close_campaigns", stdout=out)
    assert out.getvalue().strip() == "close_campaigns: 0 due, 0 closed, 0 to retry, 0 queued"
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_late_gift_to_a_failed_campaign_is_refunded_by_the_next_run(index):
    campaign = ended_campaign(index, rule=AON)
    pay(campaign, 100)
    closings.close_due_campaigns()
    assert closings.close_due_campaigns() == []
    # a donor who opened the checkout before the deadline pays after the closing
    late = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=2_000, provider="demo"
    )
    ledger.transition(late.pk, ledger.PAID, payment_id=f"demo-{late.uuid}")
    assert closings.close_due_campaigns() == [campaign.translation_key]
    late.refresh_from_db()
    assert late.status == DonationStatus.REFUNDED and late.paid_late
    assert closings.closing_of(campaign.translation_key).result == ClosingResult.FAILED


@pytest.mark.django_db
def test_status_filters_use_the_stored_result(client, index):
    succeeded = ended_campaign(index, rule=AON, title="Réussie")
    gift = pay(succeeded, 800)
    failed = ended_campaign(index, rule=AON, title="Ratée")
    pay(failed, 100)
    not_closed_yet = ended_campaign(index, rule=KEEP, title="Finie")
    closings.close_due_campaigns()
    not_closed_yet_key = not_closed_yet.translation_key
    CampaignClosing.objects.filter(campaign_key=not_closed_yet_key).delete()
    # a refund made after closing lowers the total, never the stored result
    ledger.transition(gift.pk, DonationStatus.REFUNDED, refunded_cents=gift.amount_cents)
    assert fresh(succeeded).raised == 0

    def titles(status):
        soup = soup_of(client.get(index.get_url(), {"status": status}))
        return sorted(a.get_text() for a in soup.select(".campaign-card h2 a"))

    assert titles("succeeded") == ["Réussie"]
    assert titles("closed") == ["Finie", "Ratée"]
    assert titles("live") == [] and titles("upcoming") == []
    assert fresh(succeeded).status == CampaignStatus.SUCCEEDED


def queries_to_render(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_listing_of_closed_campaigns_reads_results_in_its_one_query(client, index, monkeypatch):
    monkeypatch.setattr(CampaignIndexPage, "per_page", 50)

    def add(count):
        for number in range(count):
            campaign = ended_campaign(index, rule=AON if number % 2 else KEEP, goal=100)
            pay(campaign, 50 + 50 * (number % 3))
        closings.close_due_campaigns()

    add(3)
    few = queries_to_render(client, index.get_url())
    add(12)
    many = queries_to_render(client, index.get_url() + "?page=1")
    assert few == many, (few, many)
    soup = soup_of(client.get(index.get_url()))
    statuses = {span.get_text() for span in soup.select(".campaign-card .status")}
    assert statuses == {
        str(s.label)
        for s in (CampaignStatus.SUCCEEDED, CampaignStatus.FAILED, CampaignStatus.CLOSED)
    }


@pytest.mark.django_db
def test_closed_campaign_page_queries_do_not_grow_with_gifts(client, index):
    campaign = ended_campaign(index, rule=AON, goal=100_000)
    pay(campaign, 10)
    pay_offline(campaign, 10)
    closings.close_due_campaigns()
    few = queries_to_render(client, campaign.get_url())
    for _ in range(30):
        pay(campaign, 1)
    closings.close_due_campaigns()
    assert Donation.objects.filter(status=DonationStatus.REFUNDED).count() == 31
    many = queries_to_render(client, campaign.get_url())
    assert few == many, (few, many)


@pytest.mark.django_db
def test_progress_counts_people_and_shows_amounts_in_the_readers_language(client, index):
    campaign = ended_campaign(index, rule=KEEP, goal=1000)
    pay(campaign, 10, email="awa@example.org")
    pay(campaign, 15, email="AWA@example.org")
    pay(campaign, 20, email="john@example.org")
    with translation.override("en"):
        soup = soup_of(client.get(page_in(campaign, "en").get_url()))
    figures = soup.select_one(".campaign__aside .progress__figures").get_text(" ", strip=True)
    people = ledger.tally(campaign.translation_key)[1]
    assert f"{people} people gave" in figures
    assert format_money(4_500, "en") in figures
    assert "matched by sponsors" not in figures


@pytest.mark.django_db
def test_a_closed_campaign_does_not_reopen_when_its_closing_time_moves(client, index):
    campaign = ended_campaign(index, rule=AON)
    pay(campaign, 900)
    closings.close_due_campaigns()
    campaign = fresh(campaign)
    campaign.closes_at = timezone.now() + 10 * DAY
    campaign.save_revision().publish()
    campaign = fresh(campaign)
    assert not campaign.accepts_donations
    listed = CampaignIndexPage.objects.get(pk=index.pk).campaigns().get(pk=campaign.pk)
    assert listed.status == CampaignStatus.SUCCEEDED and not listed.accepts_donations
    with translation.override("fr"):
        response = client.get(reverse("donations:donate", args=[campaign.translation_key]))
    assert b'name="amount_choice"' not in response.content


@pytest.mark.django_db
def test_with_a_worker_the_cron_only_queues_the_closings(index, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    campaign = ended_campaign(index, rule=AON)
    pay(campaign, 100)
    out = io.StringIO()
    call_command("close_campaigns", stdout=out)
    assert out.getvalue().strip() == "close_campaigns: 1 due, 0 closed, 0 to retry, 1 queued"
    assert not CampaignClosing.objects.exists()  # the worker (db_worker) will run it
