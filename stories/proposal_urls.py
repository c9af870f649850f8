"""URLs of proposals: propose a project (public and from the leaders' space), the leader's
draft campaign (views in proposal_views.py)."""

from django.urls import path

from . import proposal_views

urlpatterns = [
    path("propose-a-project/", proposal_views.propose_public, name="propose"),
    path("propose-a-project/thanks/", proposal_views.thanks, name="proposal_thanks"),
    path("space/proposals/new/", proposal_views.propose, name="proposal_new"),
    path("space/campaigns/<int:page_id>/edit/", proposal_views.campaign_edit, name="campaign_edit"),
    path(
        "space/campaigns/<int:page_id>/submit/",
        proposal_views.campaign_submit,
        name="campaign_submit",
    ),
    path(
        "space/campaigns/<int:page_id>/submitted/",
        proposal_views.campaign_submitted,
        name="campaign_submitted",
    ),
    path(
        "space/campaigns/<int:page_id>/preview/",
        proposal_views.campaign_preview,
        name="campaign_preview",
    ),
]
