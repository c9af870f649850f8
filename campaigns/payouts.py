"""Money paid out to a project, and what it bought (docs/operations.md, "Payouts").

Staff record each ``Payout`` (date, amount, payee, bank reference) and each ``Expense``
(what was bought, against which budget line, with the scanned receipt as a Wagtail
document). The campaign page, the leader's space and open data show raised, paid out and
spent, from these rows.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Payout(models.Model):
    """Money the association paid out to a project."""

    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    paid_on = models.DateField(_("paid on"))
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MinValueValidator(1)]
    )
    payee = models.CharField(_("payee"), max_length=150)
    reference = models.CharField(
        _("reference"), max_length=150, help_text=_("Bank transfer or cheque reference.")
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

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-pk"]

    def __str__(self):
        return f"{self.paid_on} · {self.amount_cents / 100:.2f} € · {self.payee}"


class Expense(models.Model):
    """Something the project bought with the money, against one of its budget lines."""

    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    spent_on = models.DateField(_("bought on"))
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MinValueValidator(1)]
    )
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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]

    def __str__(self):
        return f"{self.spent_on} · {self.amount_cents / 100:.2f} € · {self.description}"
