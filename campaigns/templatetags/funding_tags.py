"""``{% funding campaign as funding %}`` and ``{% leader_names campaign as names %}``: what the
funding panel and the cards show besides the ledger's figures (campaigns/funding.py)."""

from django import template
from django.utils.translation import get_language_bidi

from campaigns import funding as figures
from campaigns.models import FundingRule

register = template.Library()


@register.simple_tag
def funding(campaign):
    """A dict of what the bar and its sentences say of ``campaign``, from its own fields and
    the ledger's figures it already holds (no query on a listing's annotated pages):
    percent (rounded, may pass 100) and percent_text (in the reader's language), days_left
    (calendar days in Paris, 0 on the last day, None once closed), all_or_nothing,
    threshold_text and threshold_x (where the threshold sits on a 0–100 bar drawn from the
    reader's start side: mirrored for right-to-left languages)."""
    percent = figures.percent_of(campaign.raised, campaign.goal_cents)
    threshold = campaign.success_threshold_percent
    return {
        "percent": percent,
        "percent_text": figures.format_percent(percent),
        "days_left": figures.days_left(campaign.closes_at),
        "all_or_nothing": campaign.funding_rule == FundingRule.ALL_OR_NOTHING,
        "threshold_text": figures.format_percent(threshold),
        "threshold_x": 100 - threshold if get_language_bidi() else threshold,
    }


@register.simple_tag
def leader_names(campaign):
    """The public names of the campaign's leaders (one query)."""
    return figures.leader_names(campaign)
