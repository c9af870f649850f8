from django.urls import path

from . import views
from .account_urls import urlpatterns as account_urlpatterns
from .feeds import StoriesFeed

app_name = "stories"

urlpatterns = [
    path("stories/feed/", StoriesFeed(), name="feed"),
    path("space/", views.space, name="space"),
    path("space/stories/new/", views.story_form, name="story_new"),
    path("space/stories/<int:story_id>/edit/", views.story_form, name="story_edit"),
    path("space/stories/<int:story_id>/submit/", views.submit, name="story_submit"),
    path("space/stories/<int:story_id>/preview/", views.preview, name="story_preview"),
    path("space/photos/<path:name>", views.private_photo, name="private_photo"),
]

urlpatterns += account_urlpatterns
