"""A year of the association's activity for the impact figures' tests: closed (succeeded and
failed), refunded, matched and disputed campaigns, a private and an unpublished one, a
campaign translated into Arabic, built through the ledger and the closing step.

``activity`` (a fixture) returns the pages and the figures they must give, worked out by hand.
"""

import datetime

from django.utils import timezone

from wagtail.models import Locale, PageViewRestriction

import pytest

from campaigns.closing import close_due_campaigns
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory, DistrictFactory
from campaigns.models import FundingRule
from donations import ledger
from donations.models import DisputeStatus, DonationStatus, MatchFund
from home.locales import create_language_aliases

DAY = datetime.timedelta(days=1)


def pay(campaign, euros, *, email="", name=""):
    """A gift paid online through the ledger four days ago, while every campaign of
    ``activity`` was open."""
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=euros * 100,
        provider="demo",
        donor_email=email,
        donor_name=name,
    )
    ledger.transition(
        donation.pk,
        ledger.PAID,
        payment_id=f"demo-{donation.uuid}",
        paid_at=timezone.now() - 4 * DAY,
    )
    return donation


def refund(donation):
    ledger.transition(donation.pk, DonationStatus.REFUNDED, refunded_cents=donation.amount_cents)


@pytest.fixture(name="activity")
def activity_fixture(home_page):
    now = timezone.now()
    french, arabic = (Locale.objects.get(language_code=code) for code in ("fr", "ar"))
    paris20 = DistrictFactory(locale=french, code="75020", name="Paris 20e")
    paris20_ar = paris20.copy_for_translation(arabic)
    paris20_ar.name = "باريس 20"
    paris20_ar.save()
    paris19 = DistrictFactory(locale=french, code="75019", name="Paris 19e")
    index = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(index)

    succeeded = CampaignPageFactory(
        parent=index,
        title="Bibliothèque réussie",
        district=paris20,
        goal_cents=100_000,
        opens_at=now - 60 * DAY,
        closes_at=now - 2 * DAY,
    )
    failed = CampaignPageFactory(
        parent=index,
        title="Cuisine non financée",
        district=paris19,
        goal_cents=500_000,
        funding_rule=FundingRule.ALL_OR_NOTHING,
        opens_at=now - 60 * DAY,
        closes_at=now - 3 * DAY,
    )
    matched = CampaignPageFactory(parent=index, title="Jardin doublé", district=paris20)
    private = CampaignPageFactory(parent=index, title="Campagne privée", district=paris20)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    unpublished = CampaignPageFactory(parent=index, title="Campagne retirée", district=paris19)
    for page in (succeeded, failed, matched, private, unpublished):
        create_language_aliases(page)
    # the succeeded campaign translated into Arabic (in place of its untranslated copy)
    succeeded.get_translation(arabic).delete()
    translated = succeeded.copy_for_translation(arabic)
    translated.title = "مكتبة ناجحة"
    translated.save_revision().publish()

    # the succeeded campaign: 1 000 € from two people (one email, written twice), one of
    # them last year by cheque
    pay(succeeded, 500, email="awa@example.org", name="Awa")
    pay(succeeded, 400, email="AWA@example.org ", name="Awa D.")
    this_year = timezone.localdate(now - 4 * DAY).year
    last_year = this_year - 1
    ledger.record_offline(
        campaign_key=succeeded.translation_key,
        amount_cents=10_000,
        donor_name="Marc",
        offline_method="cheque",
        received_on=datetime.date(last_year, 12, 31),
        paid_at=now - 10 * DAY,
    )
    # the failed all-or-nothing campaign: its gift refunded
    refund(pay(failed, 200, email="omar@example.org"))
    # the matched campaign: each euro doubled; a gift half refunded; a gift lost to a dispute
    MatchFund.objects.create(
        sponsor_name="Fondation Exemple",
        ratio_percent=100,
        total_cap_cents=1_000_000,
        starts_at=now - 30 * DAY,
        ends_at=now + 30 * DAY,
        campaign_keys=[str(matched.translation_key)],
    )
    pay(matched, 50, email="lea@example.org")
    half = pay(matched, 40, email="awa@example.org")
    ledger.transition(half.pk, ledger.PAID, refunded_cents=2_000)
    disputed = pay(matched, 20, email="zoe@example.org")
    ledger.record_dispute(
        disputed.pk, dispute_id="dp_lost", amount_cents=2_000, status=DisputeStatus.LOST
    )
    # never counted: a private campaign, an unpublished one
    pay(private, 999, email="secret@example.org")
    pay(unpublished, 777, email="gone@example.org")
    unpublished.unpublish()

    close_due_campaigns()
    return {
        "home": home_page,
        "pages": {"succeeded": succeeded, "failed": failed, "matched": matched},
        "private": private,
        "unpublished": unpublished,
        "last_year": last_year,
        "expected": {
            "campaigns_count": 3,
            "campaigns_funded": 1,
            "closed_count": 2,
            "success_rate": 0.5,
            # online: 500 + 400 (succeeded) + 50 + (40 - 20) + (20 - 20 lost) (matched)
            "online_cents": 97_000,
            "offline_cents": 10_000,
            # 50 + 20 (the half-refunded gift's match follows it); the disputed gift's is
            # taken back
            "matched_cents": 7_000,
            "given_cents": 107_000,
            "raised_cents": 114_000,
            "disputed_cents": 2_000,
            # awa, marc, lea (omar was refunded, zoe's gift lost in full to a dispute)
            "people": 3,
            "districts": 2,
            "by_year": [(last_year, 10_000), (this_year, 104_000)],
            "by_district_fr": [("Paris 20e", 114_000), ("Paris 19e", 0)],
            "by_district_ar": [("باريس 20", 114_000), ("Paris 19e", 0)],
        },
    }
