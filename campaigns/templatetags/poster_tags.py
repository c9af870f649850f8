"""``{% poster_url campaign as url %}``: the address of a campaign's printed poster
(campaigns/posters.py) in the active language, or "" when the campaign has none (not public)."""

from django import template

from campaigns.posters import poster_url as campaign_poster_url
from helpers.visibility import is_public

register = template.Library()


@register.simple_tag
def poster_url(campaign):
    """The poster of ``campaign`` (a campaign page in any language) in the active language,
    or "" for a page the public may not see (its poster answers 404)."""
    return campaign_poster_url(campaign) if is_public(campaign) else ""
