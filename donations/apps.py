from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    """The ledger (gifts, tallies, match funds, refunds, disputes, tax receipts), the payment
    backends and the donation block: the lowest app layer (DESIGN.md §3)."""

    name = "donations"
    label = "donations"
    verbose_name = _("Donations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import personal_data

        personal_data.register()
        # the demo's tax receipts, after every other demo builder (helpers/demo.py)
        from helpers import demo

        from . import receipt_demo

        demo.register("tax-receipts", receipt_demo.build, receipt_demo.reset, order=80)
