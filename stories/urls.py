from django.urls import path

from . import gift_views, story_views, views
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
]

urlpatterns += account_urlpatterns + proposal_urlpatterns + news_urlpatterns
