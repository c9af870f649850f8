from django.urls import path

from . import receipt_links, unsubscribe, views

app_name = "donations"

urlpatterns = [
    path("donate/<uuid:campaign_key>/", views.donate, name="donate"),
    path("donate/checkout/<uuid:donation_uuid>/", views.demo_checkout, name="demo_checkout"),
    path("donate/thanks/<uuid:donation_uuid>/", views.thanks, name="thanks"),
    path("donate/cancelled/<uuid:donation_uuid>/", views.cancelled, name="cancelled"),
    path(
        "donate/tax-receipt/address/<str:token>/",
        receipt_links.tax_receipt_address,
        name="tax_receipt_address",
    ),
    path("donate/tax-receipt/<str:token>/", receipt_links.tax_receipt, name="tax_receipt"),
    path("news/stop/<str:token>/", unsubscribe.news_unsubscribe, name="news_unsubscribe"),
]
