"""Campaign routes outside the language prefix: open data, the embeddable card, the posters."""

from django.urls import path, re_path

from . import embed, open_data, posters

app_name = "campaigns"
urlpatterns = [
    path("open-data/campaigns.csv", open_data.campaigns_csv, name="open_data_csv"),
    path("open-data/campaigns.json", open_data.campaigns_json, name="open_data_json"),
    path("open-data/stats.json", open_data.stats_json, name="open_data_stats"),
    path("embed/campaign/<int:page_id>/", embed.campaign_card, name="embed"),
    re_path(
        rf"^campaign-poster/(?P<language>{posters.LANGUAGE_PATTERN})/(?P<page_id>[0-9]{{1,18}})\.pdf$",
        posters.poster,
        name="poster",
    ),
]
