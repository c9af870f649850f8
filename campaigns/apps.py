from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Campaign pages, districts and categories; featured on the home page, in the demo."""

    name = "campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import demo, featured

        from . import demo as campaigns_demo
        from .featured import live_campaigns_section

        featured.register("campaigns", live_campaigns_section, order=10)
        demo.register("campaigns", campaigns_demo.build, campaigns_demo.reset, order=10)
