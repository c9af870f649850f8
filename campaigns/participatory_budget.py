"""The page that lists the association's Paris Participatory Budget projects, by edition
(newest first) and, within one, by stage (home/participatory_budget.py;
docs/participatory-budget.md)."""

from django.utils.translation import gettext_lazy as _

from helpers.visibility import public_pages
from home.models import ListingPage
from home.participatory_budget import ParticipatoryBudgetStage

STAGE_ORDER = {stage: position for position, stage in enumerate(ParticipatoryBudgetStage.values)}


class ParticipatoryBudgetPage(ListingPage):
    """The campaigns that are also Participatory Budget projects, in the page's language,
    grouped by edition; each card says the stage."""

    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Participatory Budget projects page")
        verbose_name_plural = _("Participatory Budget projects pages")

    def editions(self):
        """[(edition, [campaign pages])], newest edition first, each by stage then title:
        the public campaigns of this language that are projects, with their totals, in one
        query (plus the private sections')."""
        # campaigns.models imports this module (its page types are the app's models)
        from .models import CampaignPage, listing_annotations  # noqa: PLC0415

        projects = (
            public_pages(CampaignPage.objects.filter(locale_id=self.locale_id))
            .filter(pb_edition__isnull=False)
            .select_related("district", "category", "hero_image")
            .annotate(**listing_annotations())
        )
        editions = {}
        for project in projects:
            editions.setdefault(project.pb_edition, []).append(project)
        return [
            (
                edition,
                sorted(pages, key=lambda page: (STAGE_ORDER.get(page.pb_stage, 99), page.title)),
            )
            for edition, pages in sorted(editions.items(), reverse=True)
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = self.editions()
        return context
