"""``{% money_use campaign as use %}``: where a campaign's money went (campaigns/payouts.py)."""

from django import template

from campaigns.payouts import money_use as campaign_money_use

register = template.Library()


@register.simple_tag
def money_use(campaign, payouts=False):
    """The MoneyUse of ``campaign`` (a campaign page in any language, its budget lines
    labelled as that page says them), the payouts listed too when ``payouts``; raised is the
    page's own figure from the ledger (read once per page)."""
    return campaign_money_use(
        campaign.translation_key, page_id=campaign.pk, raised_cents=campaign.raised, payouts=payouts
    )
