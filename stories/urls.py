from django.urls import path

from . import gift_views, help_views, story_views, views
from .access import redirect_copies
from .account_urls import urlpatterns as account_urlpatterns
from .feeds import StoriesFeed
from .news_urls import urlpatterns as news_urlpatterns
from .proposal_urls import urlpatterns as proposal_urlpatterns

app_name = "stories"

urlpatterns = [
    path("stories/feed/", StoriesFeed(), name="feed"),
    path("space/", views.space, name="space"),
    path("space/stories/new/", story_views.story_form, name="story_new"),
    # A URL naming a language copy or a translation redirects to the story (access.py)
    path(
        "space/stories/<int:story_id>/edit/",
        redirect_copies(story_views.story_form),
        name="story_edit",
    ),
    path(
        "space/stories/<int:story_id>/submit/", redirect_copies(views.submit), name="story_submit"
    ),
    path(
        "space/stories/<int:story_id>/preview/",
        redirect_copies(views.preview),
        name="story_preview",
    ),
    path("space/campaigns/<int:campaign_id>/gifts/", gift_views.gifts, name="campaign_gifts"),
    path("space/photos/<path:name>", views.private_photo, name="private_photo"),
    # Ways to help besides money (help_views.py)
    path("space/campaigns/<int:campaign_id>/help/", help_views.needs, name="help_needs"),
    path("space/campaigns/<int:campaign_id>/help/new/", help_views.need_new, name="help_need_new"),
    path("space/help/<int:need_id>/", help_views.need_offers, name="help_offers"),
    path("space/help/<int:need_id>/edit/", help_views.need_edit, name="help_need_edit"),
    path("space/help/<int:need_id>/open/", help_views.need_open, name="help_need_open"),
    path("space/help/<int:need_id>/offers/new/", help_views.offer_new, name="help_offer_new"),
    path(
        "space/help/offers/<int:offer_id>/withdraw/",
        help_views.offer_withdraw,
        name="help_offer_withdraw",
    ),
]

urlpatterns += account_urlpatterns + proposal_urlpatterns + news_urlpatterns
