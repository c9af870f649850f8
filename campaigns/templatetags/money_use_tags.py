"""``{% money_use campaign as use %}``: where a campaign's money went (campaigns/payouts.py)."""

from django import template

from campaigns.payouts import money_use as campaign_money_use

register = template.Library()


@register.simple_tag
def money_use(campaign, payouts=False):
    """The MoneyUse of ``campaign`` (a campaign page in any language, its budget lines
    labelled as that page says them), the payouts listed too when ``payouts``; raised is the
    page's own figure from the ledger (read once per page), with what was paid out and
    whether there are expenses when the page read them with it; worked out once per page
    (the funding panel and the money section of a closed campaign both show it)."""
    kept = campaign.__dict__.setdefault("_money_use", {})
    if payouts not in kept:
        raised = campaign.raised
        kept[payouts] = campaign_money_use(
            campaign.translation_key,
            page_id=campaign.pk,
            raised_cents=raised,
            payouts=payouts,
            known=getattr(campaign, "money_use_facts", None),
        )
    return kept[payouts]
