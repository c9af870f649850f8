from django.urls import path

from . import story_views, views
from .account_urls import urlpatterns as account_urlpatterns
from .feeds import StoriesFeed
from .news_urls import urlpatterns as news_urlpatterns
from .proposal_urls import urlpatterns as proposal_urlpatterns

app_name = "stories"

urlpatterns = [
    path("stories/feed/", StoriesFeed(), name="feed"),
    path("space/", views.space, name="space"),
    path("space/stories/new/", story_views.story_form, name="story_new"),
    path("space/stories/<int:story_id>/edit/", story_views.story_form, name="story_edit"),
    path("space/stories/<int:story_id>/submit/", views.submit, name="story_submit"),
    path("space/stories/<int:story_id>/preview/", views.preview, name="story_preview"),
    path("space/photos/<path:name>", views.private_photo, name="private_photo"),
]

urlpatterns += account_urlpatterns + proposal_urlpatterns + news_urlpatterns
