"""Every gift to a leader's campaign, as the public sees it, with the campaign's totals.

A leader sees what the campaign page shows (name or "Anonymous", the amount unless the
donor hid it, the message), all of it, paginated; never a donor's email address.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from wagtail.models import Page

from donations import ledger
from donations.models import DonationSource
from helpers.i18n import active_locale

from .access import leader_campaigns, leader_required

GIFTS_PER_PAGE = 25


@leader_required
def gifts(request, campaign_id):
    """The gifts of the leader's campaign ``campaign_id`` (any language's page of it), newest
    first, 25 a page from ``?page=N``; 404 for a campaign the leader does not lead."""
    page = get_object_or_404(
        Page,
        pk=campaign_id,
        translation_key__in=leader_campaigns(request.user).values("translation_key"),
    )
    campaign = (page.get_translation_or_none(active_locale()) or page).specific
    donations = ledger.public_donations(campaign.translation_key)
    raised_cents, donor_count = ledger.tally(campaign.translation_key)
    return render(
        request,
        "stories/space/gifts.html",
        {
            "campaign": campaign,
            "gifts": Paginator(donations, GIFTS_PER_PAGE).get_page(request.GET.get("page")),
            "raised_cents": raised_cents,
            "donor_count": donor_count,
            "offline_count": donations.filter(source=DonationSource.OFFLINE).count(),
        },
    )
