"""Offering help on a campaign, under the language prefix (/fr/help/…)."""

from django.urls import path

from . import help_views

app_name = "help"
urlpatterns = [
    path("help/<int:need_id>/", help_views.offer_help, name="offer_help"),
    path("help/offer/<str:token>/", help_views.offer_page, name="offer"),
    path("help/withdraw/<str:token>/", help_views.withdraw, name="withdraw"),
]
