from django.urls import path

from .feeds import StoriesFeed

app_name = "stories"

urlpatterns = [
    path("stories/feed/", StoriesFeed(), name="feed"),
]
