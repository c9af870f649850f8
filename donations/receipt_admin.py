"""Staff's side of tax receipts (Donations → Tax receipts, registered in wagtail_hooks.py).

- The list of receipts (filters, search by number, name or email), with the yearly figures
  of the annual declaration of gifts (art. 222 bis CGI) and the button that issues last
  year's yearly receipts.
- A receipt's page: what it says, the gifts it covers, its history, its PDF, and the two
  actions — cancel and reissue (after staff corrected the donor's name or address on the
  gift), send again by email.

Seeing receipts needs ``donations.view_taxreceipt``; the actions need
``donations.issue_taxreceipt``. Others get the shared 403 page. The rules of the receipts
themselves are in donations/tax_receipts.py; this module only calls them.
"""

import logging
import re

from django import forms
from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

import django_filters

from helpers.money import format_money

from . import admin_views, tax_receipts
from .admin_forms import DONOR_DETAILS_PERMISSION, campaign_titles
from .admin_views import local_date
from .models import (
    OfflineMethod,
    TaxReceipt,
    TaxReceiptKind,
    TaxReceiptSettings,
    TaxReceiptStatus,
)
from .tasks import send_tax_receipt

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "donations.view_taxreceipt"
ISSUE_PERMISSION = "donations.issue_taxreceipt"
NUMBER = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,9})\s*$")

# Log actions (registered in wagtail_hooks.py): labels say what happened, never to whom.
REISSUED = "donations.receipt_reissued"
ISSUED_BY_STAFF = "donations.receipt_issued"
RESENT = "donations.receipt_resent"

MODE_LABELS = {
    "cash": OfflineMethod.CASH.label,
    "cheque": OfflineMethod.CHEQUE.label,
    "transfer": OfflineMethod.TRANSFER.label,
    tax_receipts.CARD: _("Card"),
}


def can_view(user):
    return user.has_perm(VIEW_PERMISSION)


def can_issue(user):
    return user.has_perm(ISSUE_PERMISSION)


def settings_edit_url():
    """Settings → Tax receipt details (the generic setting's edit page)."""
    setting = TaxReceiptSettings.load()
    return reverse("wagtailsettings:edit", args=["donations", "taxreceiptsettings", setting.pk])


def forbidden(request, explanation=None):
    """The shared 403 page, saying who the receipts' pages are for."""
    return admin_views.forbidden(
        request,
        explanation
        or _(
            "This page is for staff who look after tax receipts. Ask an administrator for "
            "the permission to view tax receipts if you need it."
        ),
    )


def forbidden_action(request):
    return forbidden(
        request,
        _(
            "Cancelling, reissuing, sending and issuing tax receipts is for staff with the "
            "permission “Can cancel and reissue tax receipts”. Ask an administrator if you "
            "need it."
        ),
    )


class ReceiptStaffMixin:
    """Open to staff who may view tax receipts; others get the 403 page."""

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ReceiptMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


# --- how a receipt reads in the admin -------------------------------------------------------


def local_datetime(value):
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def gift_dates(receipt):
    first, last = receipt.first_gift_on, receipt.last_gift_on
    if first == last:
        return local_date(first)
    return _("%(first)s to %(last)s") % {"first": local_date(first), "last": local_date(last)}


def replacement_of(receipt):
    """The receipt that replaced ``receipt``, or None (no query once select_related)."""
    return getattr(receipt, "replaced_by", None)


def status_display(receipt):
    if receipt.status == TaxReceiptStatus.CANCELLED:
        replacement = replacement_of(receipt)
        if replacement is not None:
            return _("Cancelled, replaced by %(number)s") % {"number": replacement.number}
        return _("Cancelled")
    return _("Issued")


def emailed_display(receipt):
    if receipt.emailed_at:
        return local_date(receipt.emailed_at)
    if not receipt.donor_email:
        return _("No email: post it")
    return _("Not yet")


def donor_display(receipt):
    if receipt.purged_at:
        return _("(personal data erased)")
    return receipt.donor_name


def modes_display(receipt):
    return ", ".join(str(MODE_LABELS.get(mode, mode)) for mode in receipt.payment_modes)


def inspect_url(receipt):
    return reverse("donations_tax_receipts:inspect", args=[quote(receipt.pk)])


def user_display(user):
    return get_user_display_name(user) if user else ""


# --- list -----------------------------------------------------------------------------------


def year_choices():
    years = TaxReceipt.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


class TaxReceiptFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Year of issue"), choices=year_choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TaxReceiptStatus.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=TaxReceiptKind.choices, empty_label=_("All")
    )

    class Meta:
        model = TaxReceipt
        fields = ["year", "status", "kind"]


def declaration_figures():
    """Per tax year (the year the gifts were received, whatever the year the receipt was
    issued), the number of valid receipts and their total: the figures of the annual
    declaration of gifts (art. 222 bis CGI). One query, newest year first."""
    rows = (
        TaxReceipt.objects.filter(status=TaxReceiptStatus.ISSUED)
        .annotate(gift_year=ExtractYear("last_gift_on"))
        .order_by()
        .values("gift_year")
        .annotate(count=Count("pk"), total=Sum("amount_cents"))
        .order_by("-gift_year")
    )
    return [
        {
            "year": row["gift_year"],
            "count": row["count"],
            "total_cents": row["total"] or 0,
            "total": format_money(row["total"] or 0),
        }
        for row in rows
    ]


class TaxReceiptIndexView(ReceiptStaffMixin, generic.IndexView):
    """Every receipt, newest first: filters, search by number, name (and email for staff
    who may see donors' emails), the declaration's figures and the yearly receipts."""

    template_name = "donations/admin/tax_receipts_index.html"
    # search_queryset is ours (number, name, email); a non-empty list turns search on
    search_fields = ["donor_name"]
    any_permission_required = ["view"]

    @cached_property
    def donor_details(self):
        return self.request.user.has_perm(DONOR_DETAILS_PERMISSION)

    @cached_property
    def columns(self):
        return [
            TitleColumn("number", label=_("Number"), accessor="number", get_url=inspect_url),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("donor", label=_("Donor"), accessor=donor_display),
            Column(
                "amount",
                label=_("Amount"),
                accessor=lambda receipt: format_money(receipt.amount_cents),
                classname="w-text-right",
            ),
            Column("gift_dates", label=_("Gift date"), accessor=gift_dates),
            Column("status", label=_("Status"), accessor=status_display),
            Column(
                "issued_at",
                label=_("Issued"),
                accessor=lambda receipt: local_datetime(receipt.issued_at),
            ),
            Column("emailed", label=_("Emailed"), accessor=emailed_display),
        ]

    def get_base_queryset(self):
        return TaxReceipt.objects.select_related("replaced_by").order_by("-year", "-sequence")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        number = NUMBER.match(query)
        if number:
            return queryset.filter(year=int(number[1]), sequence=int(number[2]))
        matches = queryset.filter(donor_name__icontains=query)
        if self.donor_details:
            matches = matches | queryset.filter(donor_email__icontains=query)
        if query.isdigit():
            matches = matches | queryset.filter(sequence=int(query))
        return matches

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.results_only:  # a filter or search refreshes the table only
            return context
        last_year = timezone.localdate().year - 1
        context.update(
            declaration=declaration_figures(),
            last_year=last_year,
            can_issue=can_issue(self.request.user),
            yearly_url=reverse("donations_tax_receipts:yearly"),
            receipts_offered=tax_receipts.receipts_offered(),
            settings_url=settings_edit_url(),
        )
        return context


# --- one receipt ----------------------------------------------------------------------------


class TaxReceiptInspectView(ReceiptStaffMixin, generic.InspectView):
    """Everything the receipt says, the gifts it covers, its history and its actions."""

    template_name = "donations/admin/tax_receipts_detail.html"
    any_permission_required = ["view"]
    page_title = _("Tax receipt")

    def get_fields(self):
        return []

    def get_object(self, queryset=None):
        return get_object_or_404(
            TaxReceipt.objects.select_related(
                "issued_by", "cancelled_by", "replaces", "replaced_by"
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return self.object.number

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = self.object
        user = self.request.user
        gifts = list(receipt.donations.order_by("received_on", "paid_at", "pk"))
        titles = campaign_titles({gift.campaign_key for gift in gifts})
        issuer = receipt.issuer or {}
        replacement = replacement_of(receipt)
        may_act = can_issue(user) and receipt.is_valid
        context.update(
            receipt=receipt,
            amount=format_money(receipt.amount_cents),
            gift_dates=gift_dates(receipt),
            status=status_display(receipt),
            payment_modes=modes_display(receipt),
            issued_at=local_datetime(receipt.issued_at),
            issued_by=user_display(receipt.issued_by),
            emailed_at=(
                local_datetime(receipt.emailed_at)
                if receipt.emailed_at
                else emailed_display(receipt)
            ),
            cancelled_at=local_datetime(receipt.cancelled_at),
            cancelled_by=user_display(receipt.cancelled_by),
            cancellation_emailed_at=local_datetime(receipt.cancellation_emailed_at),
            purged_at=local_datetime(receipt.purged_at),
            show_email=user.has_perm(DONOR_DETAILS_PERMISSION),
            issuer=issuer,
            gifts=[
                {
                    "url": reverse("donations_admin:inspect", args=[gift.pk]),
                    "amount": format_money(gift.amount_cents),
                    "kept": format_money(tax_receipts.kept_cents(gift)),
                    "date": local_date(tax_receipts.gift_date(gift)),
                    "mode": MODE_LABELS.get(tax_receipts.payment_mode(gift), ""),
                    "campaign": titles.get(gift.campaign_key, ""),
                    "status": gift.get_status_display(),
                }
                for gift in gifts
            ],
            replaces=receipt.replaces,
            replaces_url=inspect_url(receipt.replaces) if receipt.replaces_id else "",
            replaced_by=replacement,
            replaced_by_url=inspect_url(replacement) if replacement else "",
            pdf_url=reverse("donations_tax_receipts:pdf", args=[receipt.pk]),
            history_url=reverse("donations_tax_receipts:history", args=[receipt.pk]),
            reissue_url=(
                reverse("donations_tax_receipts:reissue", args=[receipt.pk])
                if may_act and not receipt.purged_at
                else ""
            ),
            resend_url=(
                reverse("donations_tax_receipts:resend", args=[receipt.pk])
                if may_act and receipt.donor_email
                else ""
            ),
            index_url=reverse("donations_tax_receipts:index"),
        )
        return context


class TaxReceiptHistoryView(ReceiptStaffMixin, generic.HistoryView):
    any_permission_required = ["view"]


class TaxReceiptPdfView(ReceiptStaffMixin, View):
    """The receipt's PDF (always in French), for staff to print or send by post."""

    def get(self, request, pk):
        receipt = get_object_or_404(TaxReceipt, pk=pk)
        try:
            # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
            from .receipt_pdf import render_receipt  # noqa: PLC0415
        except ImportError:  # the PDF's module is not deployed yet
            logger.exception("The tax receipts' PDF module is missing")
            messages.error(request, _("The receipt's PDF cannot be made on this server yet."))
            return redirect(inspect_url(receipt))
        response = HttpResponse(render_receipt(receipt), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- actions (POST, confirmed, logged) ------------------------------------------------------


class ConfirmForm(forms.Form):
    """Nothing to fill in: the confirmation page's button posts it (with the CSRF token)."""


class ReceiptActionView(WagtailAdminTemplateMixin, TemplateView):
    """GET: a confirmation page; POST: do it. Needs the permission to issue receipts."""

    template_name = "donations/admin/tax_receipts_confirm.html"
    header_icon = "doc-full"
    submit_label = ""
    explanation = ""
    warning = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_issue(request.user):
            return forbidden_action(request)
        self.setup_object(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def setup_object(self, **kwargs):
        pass

    def back_url(self):
        return reverse("donations_tax_receipts:index")

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("donations_tax_receipts:index"), "label": _("Tax receipts")}]
        items += self.object_breadcrumbs()
        items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items

    def object_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            back_url=self.back_url(),
            submit_label=self.submit_label,
            explanation=self.get_explanation(),
            warning=self.warning,
            form=ConfirmForm(),
        )
        return context

    def get_explanation(self):
        return self.explanation

    def post(self, request, *args, **kwargs):
        return self.act()


class OneReceiptActionView(ReceiptActionView):
    def setup_object(self, pk, **kwargs):
        self.receipt = get_object_or_404(TaxReceipt, pk=pk)

    def get_page_subtitle(self):
        return self.receipt.number

    def back_url(self):
        return inspect_url(self.receipt)

    def object_breadcrumbs(self):
        return [{"url": inspect_url(self.receipt), "label": self.receipt.number}]

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect(inspect_url(self.receipt))


class ReissueView(OneReceiptActionView):
    """Cancel the receipt and issue a new one from the gifts' and the association's current
    details (a receipt wrong in a way the site did not correct by itself, e.g. a typo in
    the settings or a donor's corrected name): a new number; the donor is sent the
    cancellation and the new receipt."""

    page_title = _("Cancel and reissue")
    submit_label = _("Yes, cancel it and issue a new receipt")
    warning = _(
        "This cannot be undone: the number is cancelled for good and the donor is told by email."
    )

    def get_explanation(self):
        return _(
            "Receipt %(number)s will be cancelled and a new receipt issued under a new number, "
            "from what the gifts it covers say now (the donor's name and address, the amount "
            "the association keeps) and the association's details as they are now in Settings "
            "→ Tax receipts. Edits of an offline gift correct its receipt by themselves: use "
            "this when a receipt is wrong in another way."
        ) % {"number": self.receipt.number}

    def act(self):
        receipt = self.receipt
        if not receipt.is_valid:
            return self.refuse(
                _("Receipt %(number)s is cancelled already.") % {"number": receipt.number}
            )
        if receipt.purged_at:
            return self.refuse(
                _("This receipt's personal data were erased: it cannot be reissued.")
            )
        if not tax_receipts.receipts_offered():
            return self.refuse(
                _(
                    "Tax receipts are turned off (Settings → Tax receipt details): "
                    "nothing was changed."
                )
            )
        user = self.request.user
        try:
            with transaction.atomic():
                new = tax_receipts.reissue(receipt, user=user)
                log(
                    instance=receipt,
                    action=REISSUED,
                    user=user,
                    data={"replaced_by": new.number if new else None},
                )
                if new is not None:
                    log(
                        instance=new,
                        action=ISSUED_BY_STAFF,
                        user=user,
                        data={"replaces": receipt.number},
                    )
        except ValueError as error:
            logger.warning("Receipt %s not reissued: %s", receipt.number, error)
            return self.refuse(
                _(
                    "Receipt %(number)s was not reissued: its gifts no longer give the donor's "
                    "name and full address, or it changed meanwhile. Nothing was changed."
                )
                % {"number": receipt.number}
            )
        if new is None:
            messages.warning(
                self.request,
                _("Receipt %(number)s is cancelled; its gifts leave no money to receipt.")
                % {"number": receipt.number},
            )
            return redirect(inspect_url(receipt))
        messages.success(
            self.request,
            _("Receipt %(old)s cancelled and replaced by %(new)s.")
            % {"old": receipt.number, "new": new.number},
        )
        return redirect(inspect_url(new))


def enqueue_receipt_email(receipt_id):
    try:
        send_tax_receipt.enqueue(receipt_id)
    except Exception:  # the receipt stays as it is; staff may try again
        logger.exception("Could not enqueue the email of tax receipt %s", receipt_id)


class ResendView(OneReceiptActionView):
    """Send the receipt to the donor's email again (a lost email). The email is sent only
    once per receipt (``emailed_at``): staff's resend clears it, then queues the email."""

    page_title = _("Send again by email")
    submit_label = _("Yes, send it again")

    def get_explanation(self):
        if self.request.user.has_perm(DONOR_DETAILS_PERMISSION):
            return _("Receipt %(number)s will be emailed again to %(email)s.") % {
                "number": self.receipt.number,
                "email": self.receipt.donor_email,
            }
        return _("Receipt %(number)s will be emailed again to the donor's address.") % {
            "number": self.receipt.number
        }

    def act(self):
        receipt = self.receipt
        if not receipt.is_valid:
            return self.refuse(
                _("Receipt %(number)s is cancelled: only a valid receipt is sent.")
                % {"number": receipt.number}
            )
        if not receipt.donor_email:
            return self.refuse(_("This receipt has no email address: print it and post it."))
        with transaction.atomic():
            locked = TaxReceipt.objects.select_for_update().get(pk=receipt.pk)
            TaxReceipt.objects.filter(pk=locked.pk).update(emailed_at=None)
            log(
                instance=locked,
                action=RESENT,
                user=self.request.user,
                data={
                    "previously_emailed_at": (
                        locked.emailed_at.isoformat() if locked.emailed_at else None
                    )
                },
            )
            transaction.on_commit(lambda: enqueue_receipt_email(locked.pk))
        messages.success(
            self.request,
            _("Receipt %(number)s will be emailed again in a moment.") % {"number": receipt.number},
        )
        return redirect(inspect_url(receipt))


class YearlyView(ReceiptActionView):
    """Issue last year's yearly receipts (one per donor who asked for one a year)."""

    page_title = _("Yearly receipts")
    header_icon = "calendar"

    @cached_property
    def year(self):
        return timezone.localdate().year - 1

    def get_page_subtitle(self):
        return str(self.year)

    @property
    def submit_label(self):
        return _("Issue the yearly receipts for %(year)s") % {"year": self.year}

    def get_explanation(self):
        return _(
            "Each donor who asked for one receipt a year gets one receipt for their gifts of "
            "%(year)s that no receipt covers yet, emailed to them. Running it again issues "
            "nothing twice."
        ) % {"year": self.year}

    def act(self):
        index = reverse("donations_tax_receipts:index")
        if not tax_receipts.receipts_offered():
            messages.error(
                self.request,
                _("Tax receipts are turned off (Settings → Tax receipt details): none was issued."),
            )
            return redirect(index)
        user = self.request.user
        try:
            issued = tax_receipts.issue_yearly(self.year, user=user)
        except ValueError:
            logger.exception("Yearly receipts for %s stopped", self.year)
            messages.error(
                self.request,
                _(
                    "The yearly receipts stopped on a gift that changed meanwhile; the ones "
                    "issued are listed. Try again."
                ),
            )
            return redirect(index)
        for receipt in issued:
            log(instance=receipt, action=ISSUED_BY_STAFF, user=user, data={"year": self.year})
        messages.success(
            self.request,
            ngettext(
                "%(count)d yearly receipt issued for %(year)s.",
                "%(count)d yearly receipts issued for %(year)s.",
                len(issued),
            )
            % {"count": len(issued), "year": self.year},
        )
        return redirect(index)
