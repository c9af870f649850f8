"""The leaders' space: the leader's campaign news (stories/space/includes/news.html)."""

from django import template

from campaigns.news import CampaignNewsPage

from ..access import leader_campaigns, originals
from ..views import space_item

register = template.Library()


@register.inclusion_tag("stories/space/news_section.html", takes_context=True)
def leader_news(context):
    """The leader's own news (never its language copies nor its translations, which are the
    reviewers' work), newest first, each with its review state; whether they lead a campaign
    to write news for."""
    request = context["request"]
    items = []
    for news in (
        originals(CampaignNewsPage.objects.filter(owner=request.user))
        .select_related("locale")
        .order_by("-latest_revision_created_at")
    ):
        items.append(space_item(news))
    return {
        "items": items,
        "can_write": leader_campaigns(request.user).exists(),
        "request": request,
    }
