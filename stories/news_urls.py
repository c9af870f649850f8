"""URLs of the leaders' space for campaign news (stories/news_views.py)."""

from django.urls import path

from . import news_views
from .access import redirect_copies


def news_view(view):
    return redirect_copies(view, argument="news_id")


urlpatterns = [
    path("space/news/new/", news_views.news_form, name="news_new"),
    path("space/news/<int:news_id>/edit/", news_view(news_views.news_form), name="news_edit"),
    path("space/news/<int:news_id>/submit/", news_view(news_views.news_submit), name="news_submit"),
    path(
        "space/news/<int:news_id>/preview/", news_view(news_views.news_preview), name="news_preview"
    ),
]
