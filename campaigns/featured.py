"""The home page's "campaigns to support" section."""

from django.utils import timezone
from django.utils.translation import gettext as _

from helpers import compiled
from helpers.featured import FeaturedItem, FeaturedSection, listing_url
from helpers.visibility import private_sections, public_pages

from .models import CampaignIndexPage, CampaignPage, listing_annotations

FEATURED_COUNT = 3


def live_campaigns_section(home_page, request):
    """Up to three live campaigns of the home page's language, closing soonest first (the
    query compiled once per home page and set of private sections: helpers/compiled.py)."""
    private = private_sections()
    campaigns = compiled.instances(
        ("featured-campaigns", home_page.path, private.paths),
        lambda now: (
            public_pages(CampaignPage.objects.descendant_of(home_page), private)
            .filter(opens_at__lte=now, closes_at__gt=now)
            .select_related("hero_image")
            .annotate(**listing_annotations())
            .order_by("closes_at")[:FEATURED_COUNT]
        ),
        at=timezone.now(),
    )
    more_url = listing_url(
        "campaigns",
        home_page,
        request,
        lambda: public_pages(CampaignIndexPage.objects.descendant_of(home_page), private).first(),
    )
    items = [
        FeaturedItem(
            title=campaign.title,
            url=campaign.get_url(request),
            text=campaign.summary,
            image=campaign.hero_image,
            image_alt=campaign.hero_image_alt,
            # the listing cards' progress: amount, percentage, bar, people, days left
            extra_template="campaigns/includes/featured_progress.html",
            extra=campaign,
        )
        for campaign in campaigns
    ]
    return FeaturedSection(
        key="campaigns",
        heading=_("Campaigns to support"),
        items=items,
        more_url=more_url,
        more_label=_("All campaigns"),
    )
