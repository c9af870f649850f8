"""The "Match funds" admin menu: sponsors' funds that match residents' gifts
(docs/operations.md, "Matchfunding"). Imported by wagtail_hooks.py.

Staff choose the eligible campaigns by hand (stored as their translation keys), by district
and by category (stored as codes, the same in every language); caps are typed in euros.
Who may see or change funds: the donations.add/change/delete_matchfund permissions (groups).
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from donations import matching
from donations.admin_forms import campaign_choices
from donations.models import MatchFund
from helpers.money import AmountField, format_money

from .match_facts import category_choices, district_choices

CHOSEN_LISTS = {
    "campaigns": "campaign_keys",
    "districts": "district_codes",
    "categories": "category_codes",
}
# the largest amount a cap column holds, in whole euros
MAX_CAP_CENTS = 2_147_483_600
CAPS = {
    "per_gift_cap": "per_gift_cap_cents",
    "per_campaign_cap": "per_campaign_cap_cents",
    "total_cap": "total_cap_cents",
}


def amount_text(cents):
    """Cents as the euros text staff type back: "1000" or "12,50" (whatever the language,
    the amount field reads both separators)."""
    return f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100},{cents % 100:02d}"


class MatchFundForm(WagtailAdminModelForm):
    """A match fund: sponsor, ratio, caps in euros, period, eligible campaigns."""

    total_cap = AmountField(
        max_cents=MAX_CAP_CENTS,
        label=_("Fund (€)"),
        min_cents=0,
        help_text=_("The most this fund ever matches, all campaigns together."),
    )
    per_campaign_cap = AmountField(
        max_cents=MAX_CAP_CENTS,
        label=_("Cap per campaign (€)"),
        min_cents=0,
        required=False,
        help_text=_("Empty: no cap per campaign."),
    )
    per_gift_cap = AmountField(
        max_cents=MAX_CAP_CENTS,
        label=_("Cap per gift (€)"),
        min_cents=0,
        required=False,
        help_text=_("Empty: no cap per gift."),
    )
    sponsor_url = forms.URLField(
        label=_("Sponsor's website"), required=False, assume_scheme="https"
    )
    campaigns = forms.MultipleChoiceField(
        label=_("Campaigns chosen by hand"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These campaigns are eligible whatever their district or category."),
    )
    districts = forms.MultipleChoiceField(
        label=_("Districts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Campaigns in one of these districts (and of the categories, if chosen)."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Campaigns of one of these categories (and in the districts, if chosen)."),
    )

    class Meta:
        model = MatchFund
        fields = [
            "sponsor_name",
            "sponsor_logo",
            "sponsor_url",
            "ratio_percent",
            "starts_at",
            "ends_at",
        ]

    field_order = [
        "sponsor_name",
        "sponsor_logo",
        "sponsor_url",
        "ratio_percent",
        "total_cap",
        "per_campaign_cap",
        "per_gift_cap",
        "starts_at",
        "ends_at",
        "campaigns",
        "districts",
        "categories",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "campaigns": campaign_choices(),
            "districts": district_choices(),
            "categories": category_choices(),
        }
        for name, attribute in CHOSEN_LISTS.items():
            stored = [str(value) for value in getattr(self.instance, attribute) or []]
            known = {value for value, _label in choices[name]}
            # keep a stored choice selectable even if its page or snippet is gone
            choices[name] += [(value, value) for value in stored if value not in known]
            self.fields[name].choices = choices[name]
            if self.instance.pk:
                self.initial.setdefault(name, stored)
        for name, attribute in CAPS.items():
            cents = getattr(self.instance, attribute)
            if self.instance.pk and cents is not None:
                self.initial.setdefault(name, amount_text(cents))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        if not any(cleaned.get(name) for name in CHOSEN_LISTS):
            self.add_error(
                None,
                _("Choose at least one campaign, district or category: the fund matches no gift."),
            )
        return cleaned

    def save(self, commit=True):
        fund = super().save(commit=False)
        for name, attribute in CHOSEN_LISTS.items():
            setattr(fund, attribute, list(self.cleaned_data.get(name) or []))
        for name, attribute in CAPS.items():
            setattr(fund, attribute, self.cleaned_data.get(name))
        if commit:
            fund.save()
        return fund


def ratio_display(fund):
    return _("%(match)s for %(euro)s") % {
        "match": format_money(fund.ratio_percent),
        "euro": format_money(100),
    }


def matched_display(fund):
    return format_money(fund.matched_cents)


def left_display(fund):
    return format_money(max(0, fund.total_cap_cents - fund.matched_cents))


class MatchFundIndexView(generic.IndexView):
    """Funds with what each has matched, read in the listing's one query."""

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(matched_cents=matching.matched_sum())


class MatchFundDeleteView(generic.DeleteView):
    """A fund that has matched gifts is part of the ledger: it is ended by its dates, never
    deleted (the page says so instead of failing)."""

    def get(self, request, *args, **kwargs):
        return self.refuse_if_used() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_if_used() or super().post(request, *args, **kwargs)

    def refuse_if_used(self):
        if not self.object.matches.exists():
            return None
        messages.error(
            self.request,
            # gettext, not the lazy _: said now, in the staff member's admin language (the
            # message is stored after the view, when that language is no longer active)
            gettext(
                "This fund has matched gifts: they are entries of the ledger, so it cannot be "
                "deleted. To stop it, set its end to now."
            ),
        )
        return redirect(self.get_success_url())


class MatchFundViewSet(ModelViewSet):
    model = MatchFund
    icon = "pick"
    menu_label = _("Match funds")
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = MatchFundIndexView
    delete_view_class = MatchFundDeleteView
    search_fields = ["sponsor_name"]
    list_display = [
        "sponsor_name",
        Column("ratio", label=_("Ratio"), accessor=ratio_display, sort_key="ratio_percent"),
        Column("total", label=_("Fund"), accessor=lambda fund: format_money(fund.total_cap_cents)),
        Column("matched", label=_("Matched"), accessor=matched_display),
        Column("left", label=_("Left"), accessor=left_display),
        "starts_at",
        "ends_at",
    ]

    def get_form_class(self, for_update=False):
        return MatchFundForm


@hooks.register("register_admin_viewset")
def register_match_funds():
    return MatchFundViewSet("match_funds")
