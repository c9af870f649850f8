"""The "My projects" section of the leaders' space: the leader's proposals and the campaign
pages made from them (included by stories/space/includes/proposals.html)."""

from django import template
from django.conf import settings

from campaigns.models import CampaignPage

from ..proposals import Proposal
from ..views import StoryState, space_item

register = template.Library()


def leader_campaign_drafts(user):
    """The campaign pages ``user`` owns (default language, never a copy), with their state
    for the leader: [{"page", "state", "label", "comment"}], newest first."""
    items = []
    pages = CampaignPage.objects.filter(
        owner=user, alias_of__isnull=True, locale__language_code=settings.LANGUAGE_CODE
    ).order_by("-pk")
    for page in pages:
        item = space_item(page)
        item["editable"] = not page.live and item["state"] in (
            StoryState.DRAFT,
            StoryState.CHANGES_REQUESTED,
        )
        items.append(item)
    return items


@register.inclusion_tag("stories/space/proposal_section.html", takes_context=True)
def leader_projects(context):
    user = context["request"].user
    return {
        "request": context["request"],
        "proposals": list(Proposal.objects.of_leader(user)),
        "campaign_drafts": leader_campaign_drafts(user),
    }
