"""The link between a page and the Paris Participatory Budget (« Budget participatif »).

Les Co-citoyens have worked with the Participatory Budget since 2016: a campaign (or the story
of a funded project) may also be a Participatory Budget project. Staff mark it with the
edition (the year of the vote), the stage it has reached in the city's process, its number
and its address on the city's site (decider.paris.fr). The campaign page says so beside the
money, the campaign listing filters by edition and stage, the API and open data carry the
same fields (docs/participatory-budget.md).

The stages follow the words residents see on the city's pages (../shared/reference/
budget-participatif.md §4): « Idée déposée », « À l'étude », « Soumis au vote », « Lauréat »,
« En cours de réalisation », « Réalisé », and « Non retenu » for an idea the city did not put
to the vote or that was not voted. The city's own codes vary between its platform and its
open data (unverified for the newest editions): they are kept here, in one list, easy to
change.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail_localize.fields import SynchronizedField

# The first edition open to residents' ideas was 2015 (the 2014 vote covered the city's own).
FIRST_EDITION = 2014


def edition_field(help_text):
    """The edition (the year of the vote) a page belongs to or prepares; empty: none."""
    return models.PositiveSmallIntegerField(
        _("Participatory Budget edition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_EDITION), MaxValueValidator(2100)],
        help_text=help_text,
    )


class ParticipatoryBudgetStage(models.TextChoices):
    """Where a project stands in the city's yearly process, in its order."""

    SUBMITTED = "submitted", _("Idea submitted")
    STUDY = "study", _("Under study")
    BALLOT = "ballot", _("On the ballot")
    VOTED = "voted", _("Voted")
    BUILDING = "building", _("Being built")
    BUILT = "built", _("Built")
    NOT_RETAINED = "not_retained", _("Not retained")


class ParticipatoryBudgetMixin(models.Model):
    """A page that may be a Participatory Budget project (campaigns, stories)."""

    pb_edition = edition_field(
        _("The year of the vote, e.g. 2025. Empty: not a Participatory Budget project.")
    )
    pb_stage = models.CharField(
        _("stage in the Participatory Budget"),
        max_length=20,
        choices=ParticipatoryBudgetStage.choices,
        blank=True,
    )
    pb_project_number = models.CharField(
        _("project number on the city's site"), max_length=20, blank=True
    )
    pb_url = models.URLField(
        _("address of the project on the city's site"),
        blank=True,
        help_text=_("For example its page on decider.paris.fr."),
    )

    class Meta:
        abstract = True

    @property
    def is_participatory_budget(self):
        return self.pb_edition is not None

    def clean_participatory_budget(self):
        """Errors of the four fields: an edition needs its stage, and the rest needs an
        edition (called from the page's ``clean``)."""
        errors = {}
        if self.pb_edition is not None and not self.pb_stage:
            errors["pb_stage"] = _("Choose the stage the project has reached.")
        if self.pb_edition is None and (self.pb_stage or self.pb_project_number or self.pb_url):
            errors["pb_edition"] = _(
                "Give the edition (the year of the vote), or leave the other "
                "Participatory Budget fields empty."
            )
        return errors

    def clean(self):
        super().clean()
        errors = self.clean_participatory_budget()
        if errors:
            raise ValidationError(errors)


class ParticipatoryBudgetWorkshopMixin(models.Model):
    """A workshop held for the Participatory Budget: writing ideas together during the
    city's submission window (January–February), or preparing a project."""

    pb_edition = edition_field(
        _(
            "For a Participatory Budget workshop: the edition it prepares (the year of the "
            "vote). Empty: another workshop."
        )
    )

    class Meta:
        abstract = True

    @property
    def is_participatory_budget(self):
        return self.pb_edition is not None


def participatory_budget_panel():
    return MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("pb_edition"), FieldPanel("pb_stage")]),
            FieldRowPanel([FieldPanel("pb_project_number"), FieldPanel("pb_url")]),
        ],
        heading=_("Paris Participatory Budget"),
        classname="collapsed",
    )


# The same in every language
PARTICIPATORY_BUDGET_TRANSLATION_FIELDS = [
    SynchronizedField(name) for name in ("pb_edition", "pb_stage", "pb_project_number", "pb_url")
]


def api_representation(page):
    """The page's Participatory Budget fields for the JSON API (docs/api.md), or None. The
    stage is its code (``ParticipatoryBudgetStage``), the same in every language."""
    if page.pb_edition is None:
        return None
    return {
        "edition": page.pb_edition,
        "stage": page.pb_stage,
        "project_number": page.pb_project_number,
        "url": page.pb_url,
    }
