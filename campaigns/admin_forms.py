"""The campaign page's admin form: money typed in euros, leaders chosen among leaders.

Amounts are stored in integer cents; editors type and read them in euros ("3 000",
"2 400,50"), read with helpers.money.amount_to_cents. The budget lines are edited in an
InlinePanel, whose child form Wagtail builds itself (from the panels, not from the child
model's base_form_class): the page form's metaclass gives that formset a child form with
the amount in euros too.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from babel.numbers import format_decimal

from helpers.money import AmountField

# The group stories/workflow.py puts project leaders in (campaigns sits below stories in
# the layers, so the name is repeated here; a test holds the two together).
LEADERS_GROUP = "Project leaders"
# A campaign's goal: up to a million euros (the database holds up to 21 million)
MAX_GOAL_CENTS = 100_000_000


def euros_text(cents):
    """``cents`` as an editor types euros in the admin's language: "3 000", "2 400,50" in
    French, "3,000" in English (Latin digits: the field reads them in any language)."""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    pattern = "#,##0" if cents % 100 == 0 else "#,##0.00"
    return format_decimal(
        Decimal(cents) / 100, format=pattern, locale=locale, numbering_system="latn"
    )


class EurosField(AmountField):
    """An amount typed in euros for a field stored in cents: the stored cents are shown in
    euros, what was typed is shown back as typed."""

    def prepare_value(self, value):
        if isinstance(value, int):
            return euros_text(value)
        return value

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


def goal_field():
    return EurosField(
        label=_("Goal (€)"),
        min_cents=100,
        max_cents=MAX_GOAL_CENTS,
        help_text=_("In euros, for example 3 000 or 2 400,50."),
    )


def budget_amount_field():
    return EurosField(
        label=_("Amount (€)"),
        min_cents=1,
        max_cents=MAX_GOAL_CENTS,
        help_text=_("In euros, for example 450 or 89,90."),
    )


def leader_label(user):
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _with_amounts_in_euros(formset):
    """The budget lines' formset class, with a child form whose amount is typed in euros."""
    child = formset.form
    euro_child = type(child)(child.__name__, (child,), {"amount_cents": budget_amount_field()})
    return type(formset)(formset.__name__, (formset,), {"form": euro_child})


class CampaignPageFormMetaclass(type(WagtailAdminPageForm)):
    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        formsets = getattr(form_class, "formsets", None) or {}
        if "budget_lines" in formsets:
            form_class.formsets = {
                **formsets,
                "budget_lines": _with_amounts_in_euros(formsets["budget_lines"]),
            }
        return form_class


class CampaignPageForm(WagtailAdminPageForm, metaclass=CampaignPageFormMetaclass):
    """Goal and budget lines in euros; the leaders field lists project leaders only (and
    whoever leads the campaign already, so that saving never drops them)."""

    goal_cents = goal_field()

    def clean(self):
        """Give the page the budget lines being saved before the model checks that they add
        up to the goal (CampaignPage.clean): the formset only sets them when saving, so the
        model would otherwise compare the new goal with the stored lines."""
        cleaned = super().clean()
        lines = self.formsets.get("budget_lines")
        if lines is not None and lines.is_valid():
            self.instance.budget_lines = [
                form.instance
                for form in lines.forms
                if (form.instance.pk or form.has_changed()) and not lines._should_delete_form(form)
            ]
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = self.fields.get("leaders")
        if leaders is not None:
            current = [user.pk for user in self.instance.leaders.all()]
            leaders.queryset = (
                get_user_model()
                ._default_manager.filter(
                    Q(groups__name=LEADERS_GROUP, is_active=True) | Q(pk__in=current)
                )
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
            leaders.label_from_instance = leader_label
            leaders.help_text = _(
                "Only project leaders are listed: people with a leader's account "
                "(Project leaders group)."
            )
