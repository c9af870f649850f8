from django.urls import path

from . import unsubscribe, views

app_name = "donations"

urlpatterns = [
    path("donate/<uuid:campaign_key>/", views.donate, name="donate"),
    path("donate/checkout/<uuid:donation_uuid>/", views.demo_checkout, name="demo_checkout"),
    path("donate/thanks/<uuid:donation_uuid>/", views.thanks, name="thanks"),
    path("donate/cancelled/<uuid:donation_uuid>/", views.cancelled, name="cancelled"),
    path("news/stop/<str:token>/", unsubscribe.news_unsubscribe, name="news_unsubscribe"),
]
