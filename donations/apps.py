from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    """Placeholder app: its models arrive with the issue that builds it (see DESIGN.md §3)."""

    name = "donations"
    label = "donations"
    verbose_name = _("Donations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import personal_data

        personal_data.register()
