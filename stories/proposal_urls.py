"""URLs of proposals: propose a project (public and from the leaders' space), the leader's
draft campaign (views in proposal_views.py). A campaign URL naming one of its language
copies redirects to the campaign itself (access.redirect_copies)."""

from django.urls import path

from . import proposal_views
from .access import redirect_copies


def campaign_view(view):
    return redirect_copies(view, argument="page_id")


urlpatterns = [
    path("propose-a-project/", proposal_views.propose_public, name="propose"),
    path("propose-a-project/thanks/", proposal_views.thanks, name="proposal_thanks"),
    path("space/proposals/new/", proposal_views.propose, name="proposal_new"),
    path(
        "space/campaigns/<int:page_id>/edit/",
        campaign_view(proposal_views.campaign_edit),
        name="campaign_edit",
    ),
    path(
        "space/campaigns/<int:page_id>/submit/",
        campaign_view(proposal_views.campaign_submit),
        name="campaign_submit",
    ),
    path(
        "space/campaigns/<int:page_id>/submitted/",
        campaign_view(proposal_views.campaign_submitted),
        name="campaign_submitted",
    ),
    path(
        "space/campaigns/<int:page_id>/preview/",
        campaign_view(proposal_views.campaign_preview),
        name="campaign_preview",
    ),
]
