"""Which campaigns' gifts wait for their tax receipt (registered with
donations.tax_receipts from the app's ready()): a gift to an all-or-nothing campaign is
refunded if the campaign fails, and a refunded gift gets no receipt, so its receipt waits
until the campaign has succeeded (the scheduled ``issue_tax_receipts`` then issues it)."""

from .closing import ClosingResult, closing_of
from .models import CampaignPage, FundingRule


def receipts_held(campaign_key):
    """True while ``campaign_key`` is an all-or-nothing campaign that has not succeeded."""
    rule = (
        CampaignPage.objects.filter(translation_key=campaign_key, alias_of__isnull=True)
        .values_list("funding_rule", flat=True)
        .first()
    )
    if rule != FundingRule.ALL_OR_NOTHING:
        return False
    closing = closing_of(campaign_key)
    return closing is None or closing.result != ClosingResult.SUCCEEDED
