"""The "Payouts and spending" admin menu: the money paid out to each project and what it
bought (docs/operations.md, "Payouts and spending"). Imported by wagtail_hooks.py.

Amounts are typed as euros text ("1 234,50", "1234.50"), never as a number input. A payout
never brings what a campaign was paid above what the ledger says it raised; the check runs
again under a lock of the campaign's pages when saving, so two payouts recorded at the same
moment cannot pass it together. An expense's budget line is one of its campaign's, named by
its label as first written; its scanned receipt is filed privately (campaigns/receipts.py).
"""

import uuid
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.models import Page

from donations import ledger
from donations.admin_forms import campaign_titles, choose_campaign
from helpers.money import AmountField, format_money

from .payouts import Expense, Payout, original_budget_labels
from .receipts import file_receipt, serve_receipts_to_their_readers


def amount_text(cents):
    """Cents as the euros text staff type back, in the admin's language: "1234,50"."""
    return number_format(Decimal(cents) / 100, 2)


class CampaignMoneyForm(WagtailAdminModelForm):
    """What payouts and expenses share: the campaign (chosen by title, stored as its key),
    the amount typed in euros, who entered it."""

    campaign = forms.ChoiceField(label=_("Campaign"))
    amount = AmountField(label=_("Amount (€)"), min_cents=1, help_text=_("e.g. 1 234,50"))
    date_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_campaign(self)
        if self.instance.amount_cents:
            self.initial.setdefault("amount", amount_text(self.instance.amount_cents))
        else:
            self.initial.setdefault(self.date_field, timezone.localdate())

    @property
    def campaign_key(self):
        value = self.cleaned_data.get("campaign")
        return uuid.UUID(value) if value else None

    def save(self, commit=True):
        entry = super().save(commit=False)
        entry.campaign_key = self.campaign_key
        entry.amount_cents = self.cleaned_data["amount"]
        if entry.entered_by_id is None:
            entry.entered_by = self.for_user
        if commit:
            entry.save()
        return entry


class PayoutForm(CampaignMoneyForm):
    date_field = "paid_on"

    class Meta(WagtailAdminModelForm.Meta):  # its admin widgets: date picker, chooser
        model = Payout
        fields = ["paid_on", "payee", "reference"]

    field_order = ["campaign", "amount", *Meta.fields]

    def clean(self):
        cleaned = super().clean()
        self.check_total()
        return cleaned

    def check_total(self):
        """Add an error to ``amount`` (and return False) if, with this payout, the campaign
        would be paid more than it raised."""
        key, amount = self.campaign_key, self.cleaned_data.get("amount")
        if key is None or amount is None:
            return True
        others = Payout.objects.for_campaign(key).exclude(pk=self.instance.pk).total_cents()
        raised = ledger.figures(key)[0]
        if others + amount <= raised:
            return True
        self.add_error(
            "amount",
            _(
                "With this payout the campaign would be paid %(total)s in all, more than the "
                "%(raised)s it raised. At most %(left)s can still be paid out."
            )
            % {
                "total": format_money(others + amount),
                "raised": format_money(raised),
                "left": format_money(max(0, raised - others)),
            },
        )
        return False


class ExpenseForm(CampaignMoneyForm):
    date_field = "spent_on"
    budget_line = forms.ChoiceField(
        label=_("Budget line"),
        required=False,
        help_text=_("The line of the campaign's budget this was bought for."),
    )

    class Meta(WagtailAdminModelForm.Meta):  # its admin widgets: date picker, chooser
        model = Expense
        fields = ["spent_on", "description", "supplier", "receipt"]
        # explicit: this class is built before the document chooser registers its widget
        widgets = {"receipt": AdminDocumentChooser}

    field_order = ["campaign", "budget_line", "amount", *Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = dict(self.fields["campaign"].choices)
        self.labels = original_budget_labels([uuid.UUID(value) for value in titles if value])
        current = self.instance.budget_line
        key = self.instance.campaign_key
        if key and current and current not in self.labels.get(key, []):
            # a line renamed since: the expense may keep the label it was entered with
            self.labels.setdefault(key, []).append(current)
        # One list for every campaign, grouped by campaign (works without JavaScript); the
        # chosen line must belong to the chosen campaign (clean).
        self.fields["budget_line"].choices = [("", "---------")] + [
            (titles[str(key)], [(label, label) for label in labels])
            for key, labels in self.labels.items()
            if str(key) in titles
        ]
        if current:
            self.initial.setdefault("budget_line", current)

    def clean(self):
        cleaned = super().clean()
        key, line = self.campaign_key, cleaned.get("budget_line")
        if key is None:
            return cleaned
        labels = self.labels.get(key, [])
        if line and line not in labels:
            self.add_error(
                "budget_line",
                _("This is not a line of the chosen campaign's budget: choose one of its lines."),
            )
        elif not line and labels:
            self.add_error("budget_line", _("Choose the budget line this was bought for."))
        return cleaned

    def save(self, commit=True):
        expense = super().save(commit=False)
        expense.budget_line = self.cleaned_data.get("budget_line") or ""
        if commit:
            expense.save()
        return expense


# Views


class CampaignTitlesIndexView(generic.IndexView):
    """A listing whose rows show their campaign's title, read in one query per page."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = entries = list(object_list)
        titles = campaign_titles({entry.campaign_key for entry in entries})
        for entry in entries:
            entry.campaign_title = titles.get(entry.campaign_key, str(entry.campaign_key))
        return paginator, page, entries, is_paginated


class ExpenseIndexView(CampaignTitlesIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("receipt")


def amount_display(entry):
    return format_money(entry.amount_cents)


class ReceiptColumn(TitleColumn):
    empty_value_display = ""


class PayoutSaveMixin:
    """Check the payout total again under a lock of the campaign's pages, then save: of two
    payouts saved at once for the same campaign, the second sees the first."""

    def form_valid(self, form):
        with transaction.atomic():
            list(
                Page.objects.select_for_update()
                .filter(translation_key=form.campaign_key)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if form.check_total():
                return super().form_valid(form)
        return self.form_invalid(form)


class PayoutCreateView(PayoutSaveMixin, generic.CreateView):
    pass


class PayoutEditView(PayoutSaveMixin, generic.EditView):
    pass


class ReceiptFilingMixin:
    """An expense's receipt goes to the private Receipts collection as the expense is saved."""

    def save_instance(self):
        expense = super().save_instance()
        if expense.receipt is not None:
            file_receipt(expense.receipt)
        return expense


class ExpenseCreateView(ReceiptFilingMixin, generic.CreateView):
    pass


class ExpenseEditView(ReceiptFilingMixin, generic.EditView):
    pass


class PayoutViewSet(ModelViewSet):
    model = Payout
    icon = "arrow-right-full"
    menu_label = _("Payouts")
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = CampaignTitlesIndexView
    add_view_class = PayoutCreateView
    edit_view_class = PayoutEditView
    search_fields = ["payee", "reference"]
    list_display = [
        "paid_on",
        Column("campaign", label=_("Campaign"), accessor="campaign_title"),
        Column("amount", label=_("Amount"), accessor=amount_display, sort_key="amount_cents"),
        "payee",
        "reference",
    ]

    def get_form_class(self, for_update=False):
        return PayoutForm


class ExpenseViewSet(ModelViewSet):
    model = Expense
    icon = "doc-full"
    menu_label = _("Expenses")
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = ExpenseIndexView
    add_view_class = ExpenseCreateView
    edit_view_class = ExpenseEditView
    search_fields = ["description", "supplier", "budget_line"]
    list_display = [
        "spent_on",
        Column("campaign", label=_("Campaign"), accessor="campaign_title"),
        "description",
        "budget_line",
        Column("amount", label=_("Amount"), accessor=amount_display, sort_key="amount_cents"),
        "supplier",
        ReceiptColumn(
            "receipt",
            label=_("Receipt"),
            accessor=lambda expense: expense.receipt.title if expense.receipt else "",
            get_url=lambda expense: expense.receipt.url if expense.receipt else None,
        ),
    ]

    def get_form_class(self, for_update=False):
        return ExpenseForm


class PayoutsViewSetGroup(ViewSetGroup):
    items = (PayoutViewSet("payouts"), ExpenseViewSet("expenses"))
    menu_icon = "arrow-right-full"
    menu_label = _("Payouts and spending")
    menu_name = "payouts-and-spending"


@hooks.register("register_admin_viewset")
def register_payouts_viewsets():
    return PayoutsViewSetGroup()


hooks.register("before_serve_document", serve_receipts_to_their_readers)
