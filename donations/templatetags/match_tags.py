"""The match offer shown on a campaign page and its donation form (donations/matching.py)."""

from django import template
from django.utils.translation import gettext

from wagtail.images.shortcuts import get_renditions_or_not_found

from helpers.money import format_money

from .. import matching

register = template.Library()


@register.simple_tag
def match_offers(campaign):
    """What sponsors add to a gift to ``campaign`` (a campaign page) made now: for each
    active fund covering it with room left, a dict with ``fund``, ``ratio`` (what one euro
    brings, formatted, e.g. "1 €" or "0,50 €"), ``euro`` ("1 €"), ``left`` (room for this
    campaign, formatted) and ``per_gift`` (the cap per gift, formatted, or ""). Nothing for
    a campaign that takes no gifts (not open yet, or closed); ``logo``: the sponsor's logo
    as an <img>, or ""."""
    if campaign is None or not getattr(campaign, "translation_key", None):
        return []
    if not getattr(campaign, "accepts_donations", True):
        return []
    return [
        {
            "fund": fund,
            "logo": _logo(fund),
            "ratio": format_money(fund.ratio_percent),
            "euro": format_money(100),
            "left": format_money(room),
            "room_cents": room,
            "per_gift": (
                format_money(fund.per_gift_cap_cents) if fund.per_gift_cap_cents is not None else ""
            ),
        }
        for fund, room in matching.offers(campaign.translation_key)
    ]


def _logo(fund):
    """The sponsor's logo (at most 160 × 64, WebP), from its renditions read with the fund
    (donations/matching.py): through Wagtail's get_renditions, which writes nothing back to
    the shared cache for them, unlike ``{% image %}``."""
    if fund.sponsor_logo is None:
        return ""
    spec = "max-160x64|format-webp"
    logo = get_renditions_or_not_found(fund.sponsor_logo, [spec])[spec]
    alt = gettext("Logo of %(sponsor)s") % {"sponsor": fund.sponsor_name}
    return logo.img_tag({"alt": alt, "class": "match-offer__logo", "loading": "lazy"})
