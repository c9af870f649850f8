"""The demo match fund for `load_demo` (registered from CampaignsConfig.ready, after the
campaigns): "Fondation Solidarité Paris" gives 1 € for each 1 € given to the two live
campaigns of the 19th and 20th (the shared garden, the repair café) — a 5 000 € fund, at most
1 000 € per campaign and 100 € per gift — and the gifts already paid to them are matched
through the ledger, as if the fund had been there when they were paid. Idempotent: run
again, it creates nothing; `--reset` deletes the fund and its matches."""

import datetime

from django.utils import timezone

from donations import ledger
from donations.models import MatchFund
from helpers.demo import IMAGE_PREFIX
from home.factories import generated_image

from .models import CampaignPage

SPONSOR = "Fondation Solidarité Paris"
CAMPAIGN_SLUGS = ["jardin-des-couronnes", "repair-cafe-belleville"]


def build(site):
    """Create the fund (once) and match the gifts it covers; return the fund."""
    fund = MatchFund.objects.filter(sponsor_name=SPONSOR).first()
    if fund is None:
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        keys = (
            CampaignPage.objects.filter(slug__in=CAMPAIGN_SLUGS, locale=site.locale)
            .order_by("slug")
            .values_list("translation_key", flat=True)
        )
        fund = MatchFund.objects.create(
            sponsor_name=SPONSOR,
            sponsor_url="https://fondation-solidarite.example.org/",
            sponsor_logo=generated_image(
                f"{IMAGE_PREFIX}fondation-solidarite-paris",
                size=(320, 128),
                colour=(123, 31, 162),
            ),
            ratio_percent=100,
            total_cap_cents=500_000,
            per_campaign_cap_cents=100_000,
            per_gift_cap_cents=10_000,
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now + datetime.timedelta(days=60),
            campaign_keys=[str(key) for key in keys],
        )
    ledger.match_paid_gifts(fund.pk)
    return fund


def reset():
    """Delete the demo fund and its matches (the campaigns' tallies are worked out again)."""
    for pk in MatchFund.objects.filter(sponsor_name=SPONSOR).values_list("pk", flat=True):
        ledger.erase_match_fund(pk)
