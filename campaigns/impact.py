"""The impact page: what the money did, computed from the ledger (docs/operations.md).

Campaigns funded, success rate over closed campaigns, money by year and by district, online
and offline, matched by sponsors, people who gave: one computation (``impact_figures``) read
by this page, the home page's key figures and open data, so no figure is typed by hand.
"""

from django.utils.translation import gettext_lazy as _

from home.models import ListingPage


class ImpactPage(ListingPage):
    """Figures of the association's whole activity, with a chart and the same figures as a
    table (server-rendered, no JavaScript), in every language."""

    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("impact page")
        verbose_name_plural = _("impact pages")
