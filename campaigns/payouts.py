"""Money paid out to a project, and what it bought (docs/operations.md, "Payouts").

Staff record each ``Payout`` (date, amount, payee, bank reference) and each ``Expense``
(what was bought, against which budget line, with the scanned receipt as a Wagtail
document). The campaign page, the leader's space and open data show raised, paid out and
spent, from these rows: ``money_use()`` for one campaign, ``money_use_annotations()`` for a
listing of campaign pages.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from donations import ledger


class CampaignMoneyQuerySet(models.QuerySet):
    def for_campaign(self, campaign_key):
        return self.filter(campaign_key=campaign_key)

    def total_cents(self):
        """The sum of the amounts, in one query (0 when there is none)."""
        return self.aggregate(total=Coalesce(Sum("amount_cents"), 0))["total"]


class CampaignMoneyEntry(models.Model):
    """What a payout and an expense share: the campaign (its translation key), an amount,
    who entered it and when."""

    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MinValueValidator(1)]
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignMoneyQuerySet.as_manager()

    class Meta:
        abstract = True


class Payout(CampaignMoneyEntry):
    """Money the association paid out to a project."""

    paid_on = models.DateField(_("paid on"))
    payee = models.CharField(_("payee"), max_length=150)
    reference = models.CharField(
        _("reference"), max_length=150, help_text=_("Bank transfer or cheque reference.")
    )

    class Meta(CampaignMoneyEntry.Meta):
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-pk"]

    def __str__(self):
        return f"{self.paid_on} · {self.amount_cents / 100:.2f} € · {self.payee}"


class Expense(CampaignMoneyEntry):
    """Something the project bought with the money, against one of its budget lines."""

    spent_on = models.DateField(_("bought on"))
    description = models.CharField(_("what was bought"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=150, blank=True)
    # The budget line's label as the campaign's original language says it: budget lines are
    # translatable rows, re-created by translation syncs, so the label is what stays.
    budget_line = models.CharField(_("budget line"), max_length=150, blank=True)
    receipt = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scanned receipt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(CampaignMoneyEntry.Meta):
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]

    def __str__(self):
        return f"{self.spent_on} · {self.amount_cents / 100:.2f} € · {self.description}"


def money_use_annotations(key_field="translation_key"):
    """``paid_out_cents`` and ``spent_cents`` annotations for a queryset of campaign pages,
    each a summed subquery: a listing reads them in its own one query."""

    def total(model):
        rows = (
            model.objects.filter(campaign_key=OuterRef(key_field))
            .order_by()
            .values("campaign_key")
            .annotate(total=Sum("amount_cents"))
            .values("total")
        )
        return Coalesce(Subquery(rows[:1]), Value(0))

    return {"paid_out_cents": total(Payout), "spent_cents": total(Expense)}


def money_use_facts(key_field="translation_key"):
    """``paid_out_cents`` (summed subquery) and ``has_expenses`` (Exists) annotations keyed on
    ``key_field`` for a queryset of campaign pages: ``money_use(known=…)`` then needs no
    query of its own when there is no expense."""
    payouts = (
        Payout.objects.filter(campaign_key=OuterRef(key_field))
        .order_by()
        .values("campaign_key")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    return {
        "paid_out_cents": Coalesce(Subquery(payouts[:1]), Value(0)),
        "has_expenses": Exists(Expense.objects.filter(campaign_key=OuterRef(key_field))),
    }


def budget_lines_by_page(campaign_keys):
    """{campaign key: (original page id, {page id: [(translation key, label, cents)]})} of
    the budget lines of every page (each language) of the campaigns ``campaign_keys``, in
    one query. The original is the first page written (not a language copy): expenses name
    their budget line by its label there."""
    # models.py imports this module for its models: read the budget lines from there lazily
    # campaigns.models imports this module
    from .models import BudgetLine  # noqa: PLC0415

    rows = (
        BudgetLine.objects.filter(campaign__translation_key__in=list(campaign_keys))
        .order_by("campaign_id", "sort_order", "pk")
        .values_list(
            "campaign__translation_key",
            "campaign_id",
            "campaign__alias_of_id",
            "translation_key",
            "label",
            "amount_cents",
        )
    )
    campaigns = {}
    for key, page_id, alias_of, line_key, label, cents in rows:
        original, pages = campaigns.setdefault(key, (None, {}))
        pages.setdefault(page_id, []).append((line_key, label, cents))
        if alias_of is None and (original is None or page_id < original):
            campaigns[key] = (page_id, pages)
    return {
        key: (original if original is not None else min(pages), pages)
        for key, (original, pages) in campaigns.items()
    }


def original_budget_labels(campaign_keys):
    """{campaign key: [label of each budget line, as first written]}, in one query."""
    return {
        key: [label for _line_key, label, _cents in pages[original]]
        for key, (original, pages) in budget_lines_by_page(campaign_keys).items()
    }


@dataclass
class LineUse:
    """One budget line as a page shows it: its label in the page's language, what was
    planned (None for expenses under a label the budget no longer has) and spent."""

    label: str
    planned_cents: int | None
    spent_cents: int = 0


@dataclass
class MoneyUse:
    """Where a campaign's money went: raised (the ledger's), paid out, spent; the budget
    lines, planned against spent; the expenses (newest first, each with ``line_label`` in
    the page's language) and, when asked for, the payouts."""

    raised_cents: int
    paid_out_cents: int = 0
    spent_cents: int = 0
    lines: list = field(default_factory=list)
    expenses: list = field(default_factory=list)
    payouts: list = field(default_factory=list)

    def __bool__(self):
        """False until a first payout or expense is recorded: nothing to show."""
        return bool(self.paid_out_cents or self.expenses)

    @property
    def planned_cents(self):
        return sum(line.planned_cents or 0 for line in self.lines)


def money_use(campaign_key, *, page_id=None, raised_cents=None, payouts=False, known=None):
    """The MoneyUse of the campaign ``campaign_key`` with its budget lines as the page
    ``page_id`` (a language version) labels them; ``raised_cents`` if the caller already
    read it from the ledger. One query for the payouts (their sum, or the rows when
    ``payouts``), one for the expenses and, only when there are some, one for the budget
    lines (plus the ledger's one when ``raised_cents`` is not given). ``known``: the
    ``money_use_facts()`` the caller already read (paid_out_cents, has_expenses): no query
    for the sum, nor for the expenses when there is none."""
    if raised_cents is None:
        raised_cents = ledger.figures(campaign_key)[0]
    use = MoneyUse(raised_cents=raised_cents)
    if known is not None and not payouts:
        use.paid_out_cents = known["paid_out_cents"]
        if not known["has_expenses"]:
            return use
    elif payouts:
        use.payouts = list(
            Payout.objects.for_campaign(campaign_key).only(
                "paid_on", "amount_cents", "payee", "reference"
            )
        )
        use.paid_out_cents = sum(payout.amount_cents for payout in use.payouts)
    else:
        use.paid_out_cents = Payout.objects.for_campaign(campaign_key).total_cents()
    use.expenses = list(Expense.objects.for_campaign(campaign_key).select_related("receipt"))
    if not use.expenses:
        return use
    use.spent_cents = sum(expense.amount_cents for expense in use.expenses)
    original, pages = budget_lines_by_page([campaign_key]).get(campaign_key, (None, {}))
    original_lines = pages.get(original, [])
    shown = pages.get(page_id) or original_lines
    lines = {line_key: LineUse(label, cents) for line_key, label, cents in shown}
    # An expense names its line by the original label; the line's translation key finds
    # the same line in the page's language.
    by_label = {label: lines.get(line_key) for line_key, label, _cents in original_lines}
    others = {}
    for expense in use.expenses:
        line = by_label.get(expense.budget_line) or others.setdefault(
            expense.budget_line,
            LineUse(expense.budget_line or _("Not tied to a budget line"), None),
        )
        expense.line_label = line.label
        line.spent_cents += expense.amount_cents
    use.lines = [*lines.values(), *others.values()]
    return use
