"""Staff views of the donation ledger (registered in wagtail_hooks.py).

Offline gifts are created, edited and deleted only through ``donations.ledger`` so that every
campaign's tally stays equal to the ledger; online gifts can be looked at, never changed here.
Each change is logged, so it shows in the donation's history and the site history report.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, F, Sum, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from helpers.money import format_money
from helpers.spreadsheets import in_language, spreadsheet_safe

from . import disputes, ledger, returns
from .admin_forms import (
    DONOR_DETAILS_PERMISSION,
    campaign_pages,
    campaign_titles,
    default_language,
)
from .models import (
    MESSAGE_MAX_LENGTH,
    DisplayChoice,
    Dispute,
    DisputeStatus,
    Donation,
    DonationSource,
)

ANY_DONATION_PERMISSION = ["add", "change", "delete", "view"]


def can_see_donor_details(user):
    return user.has_perm(DONOR_DETAILS_PERMISSION)


def is_editable(donation):
    """Only gifts recorded by staff are changed in the admin; online ones come from the
    payment provider and matching gifts from their own process."""
    return donation.source == DonationSource.OFFLINE


def amount_display(donation):
    amount = format_money(donation.amount_cents)
    if donation.refunded_cents:
        return _("%(amount)s (%(refunded)s refunded)") % {
            "amount": amount,
            "refunded": format_money(donation.refunded_cents),
        }
    return amount


def late_display(donation):
    """ "Late" for a gift paid after its campaign closed (it is not in the campaign's result)."""
    return _("Late: not in the result") if donation.paid_late else ""


def cents_to_euros(cents):
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


# Listing and export


class DonationIndexView(generic.IndexView):
    """Every donation, newest first, with filters, search and CSV/XLSX export."""

    export_headings = {
        "paid_at": _("Paid on"),
        "uuid": _("Reference"),
        "campaign_title": _("Campaign"),
        "amount": _("Amount (€)"),
        "refunded": _("Refunded (€)"),
        "public_name": _("Public name"),
    }
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {
            **generic.IndexView.custom_value_preprocess[datetime.datetime],
            generic.IndexView.FORMAT_CSV: lambda value: timezone.localtime(value).isoformat(
                timespec="seconds"
            ),
        },
    }

    @cached_property
    def donor_details(self):
        return can_see_donor_details(self.request.user)

    @cached_property
    def search_fields(self):
        return ["donor_name", "donor_email"] if self.donor_details else ["donor_name"]

    @cached_property
    def list_display(self):
        columns = [
            "created_at",
            Column("campaign", label=_("Campaign"), accessor="campaign_title"),
            Column("amount", label=_("Amount"), accessor=amount_display, sort_key="amount_cents"),
            "status",
            Column("paid_late", label=_("Paid after closing"), accessor=late_display),
            "source",
            Column("public_name", label=_("Public name"), accessor="public_name"),
        ]
        if self.donor_details:
            columns.append(
                Column(
                    "donor_email",
                    label=_("Donor's email"),
                    accessor="donor_email",
                    classname="donor-email",
                )
            )
        return columns

    @cached_property
    def list_export(self):
        fields = [
            "created_at",
            "paid_at",
            "campaign_title",
            "amount",
            "refunded",
            "currency",
            "status",
            "paid_late",
            "source",
            "offline_method",
            "received_on",
            "display",
            "public_name",
            "donor_name",
        ]
        if self.donor_details:
            fields.append("donor_email")
        return fields + ["uuid"]

    @cached_property
    def add_item_label(self):
        return _("Record an offline gift")

    def get_edit_url(self, instance):
        if is_editable(instance):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if is_editable(instance):
            return super().get_delete_url(instance)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = donations = list(object_list)
        titles = campaign_titles({donation.campaign_key for donation in donations})
        for donation in donations:
            donation.campaign_title = titles.get(donation.campaign_key, "")
        return paginator, page, donations, is_paginated

    # Export: the whole filtered list, campaign titles read in one query

    def as_spreadsheet(self, queryset, spreadsheet_format):
        self.export_titles = campaign_titles(queryset.values("campaign_key"))
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def stream_csv(self, queryset):
        # The response streams after the view returns, when Wagtail no longer applies the
        # user's admin language and time zone: apply them (read now) to each row.
        return in_language(
            super().stream_csv(queryset),
            translation.get_language(),
            timezone.get_current_timezone(),
        )

    def export_value(self, donation, name):
        if name == "campaign_title":
            return self.export_titles.get(donation.campaign_key, "")
        if name == "amount":
            return cents_to_euros(donation.amount_cents)
        if name == "refunded":
            return cents_to_euros(donation.refunded_cents)
        if name in {"status", "source", "offline_method", "display"}:
            return getattr(donation, f"get_{name}_display")()
        return getattr(donation, name)

    def to_row_dict(self, item):
        return OrderedDict((name, self.export_value(item, name)) for name in self.list_export)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        # Donors type their own names and messages: never let a spreadsheet run them
        if export_format == self.FORMAT_CSV:
            value = spreadsheet_safe(value)
        return value


# Looking at one donation


class DonationInspectView(generic.InspectView):
    def get_fields(self):
        fields = [
            "uuid",
            "campaign_key",
            "amount_cents",
            "refunded_cents",
            "status",
            "source",
            "offline_method",
            "received_on",
            "evidence",
            "entered_by",
            "display",
            "donor_name",
            "donor_email",
            "message",
            "language",
            "wants_news",
            "provider",
            "provider_payment_id",
            "created_at",
            "paid_at",
            "paid_late",
            "refund_requested_at",
            "provider_refund_id",
            "returned_on",
            "returned_by",
            "disputes",
            "updated_at",
        ]
        if not can_see_donor_details(self.request.user):
            fields.remove("donor_email")
        return fields

    def get_field_label(self, field_name, field):
        labels = {
            "uuid": _("Reference"),
            "campaign_key": _("Campaign"),
            "amount_cents": _("Amount"),
            "refunded_cents": _("Refunded"),
            "disputes": _("Disputes"),
        }
        return labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            # the generic template localizes but does not convert to the user's time zone
            return timezone.localtime(value)
        return "" if value is None else value

    def get_campaign_key_display_value(self):
        key = self.object.campaign_key
        return campaign_titles([key]).get(key) or str(key)

    def get_amount_cents_display_value(self):
        return format_money(self.object.amount_cents)

    def get_refunded_cents_display_value(self):
        return format_money(self.object.refunded_cents)

    def get_entered_by_display_value(self):
        user = self.object.entered_by
        return get_user_display_name(user) if user else ""

    def get_returned_by_display_value(self):
        user = self.object.returned_by
        return get_user_display_name(user) if user else ""

    def get_disputes_display_value(self):
        return "; ".join(
            _("%(status)s: %(amount)s, %(reason)s, opened on %(opened)s")
            % {
                "status": dispute.get_status_display(),
                "amount": format_money(dispute.amount_cents),
                "reason": disputes.reason_display(dispute.reason),
                "opened": local_date(dispute.opened_at),
            }
            for dispute in self.object.disputes.all()
        )

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if can_change_public_display(self.request.user, self.object):
            buttons.append(
                Button(
                    _("Public name and message"),
                    url=reverse("donations_admin:public_display", args=[self.object.pk]),
                    icon_name="view",
                    priority=15,
                )
            )
        return buttons

    def get_edit_url(self):
        if is_editable(self.object):
            return super().get_edit_url()

    def get_delete_url(self):
        if is_editable(self.object):
            return super().get_delete_url()


# Recording, correcting and deleting offline gifts


class OfflineOnlyMixin:
    """Refuse to change a donation that was not recorded by staff: back to its details
    page with an error, before any form is built or saved."""

    inspect_url_name = None
    refused_message = _(
        "Only offline gifts can be changed here. Online donations follow their payment: "
        "refund them with the payment provider."
    )

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is None:
            self.object = super().get_object(queryset)
        return self.object

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        donation = self.get_object()
        if not is_editable(donation):
            messages.error(request, self.refused_message)
            return redirect(reverse(self.inspect_url_name, args=[quote(donation.pk)]))
        return super().dispatch(request, *args, **kwargs)


def gift_message(message, donation):
    return message % {"amount": format_money(donation.amount_cents)}


class OfflineDonationCreateView(generic.CreateView):
    page_title = _("Record an offline gift")
    success_message = _("Offline gift of %(amount)s recorded.")

    def get_page_subtitle(self):
        return _("Offline gift")

    def save_instance(self):
        donation = ledger.save_offline(self.form.save(commit=False), self.request.user)
        log(
            instance=donation, action="wagtail.create", user=self.request.user, content_changed=True
        )
        return donation

    def get_success_message(self, instance):
        return gift_message(self.success_message, instance)


class OfflineDonationEditView(OfflineOnlyMixin, generic.EditView):
    success_message = _("Offline gift of %(amount)s updated.")

    def save_instance(self):
        donation = ledger.save_offline(self.form.save(commit=False), self.request.user)
        log(
            instance=donation,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return donation

    def get_success_message(self):
        return gift_message(self.success_message, self.object)


class OfflineDonationDeleteView(OfflineOnlyMixin, generic.DeleteView):
    success_message = _("Offline gift of %(amount)s deleted.")

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            ledger.delete_offline(self.object)

    def get_success_message(self):
        return gift_message(self.success_message, self.object)


# Campaign totals


@dataclass
class CampaignTotal:
    key: object
    title: str
    page_id: int | None = None
    cents: dict = field(default_factory=dict)
    gifts: int = 0

    @property
    def online(self):
        return self.cents.get(DonationSource.ONLINE, 0)

    @property
    def offline(self):
        return self.cents.get(DonationSource.OFFLINE, 0)

    @property
    def match(self):
        return self.cents.get(DonationSource.MATCH, 0)

    @property
    def total(self):
        return sum(self.cents.values())

    def add(self, source, cents, gifts):
        self.cents[source] = self.cents.get(source, 0) + cents
        self.gifts += gifts


def campaign_totals():
    """Per campaign, the counted (paid, net of refunds) amount of each source and the number
    of gifts: one aggregate query grouped by campaign and source, one for the campaigns' titles
    (every campaign of the default locale, with or without gifts), and one more only if some
    gifts belong to a campaign that has no page in the default locale."""
    sums = (
        Donation.objects.counted()
        .order_by()
        .values("campaign_key", "source")
        .annotate(cents=Sum(F("amount_cents") - F("refunded_cents")), gifts=Count("pk"))
    )
    pages = (
        campaign_pages()
        .filter(locale__language_code=default_language())
        .values_list("translation_key", "title", "pk")
    )
    rows = {key: CampaignTotal(key, title, page_id) for key, title, page_id in pages}
    orphans = {}
    for row in sums:
        key = row["campaign_key"]
        if key not in rows:
            rows[key] = orphans[key] = CampaignTotal(key, str(key))
        rows[key].add(row["source"], row["cents"] or 0, row["gifts"])
    if orphans:
        for key, title in campaign_titles(list(orphans)).items():
            orphans[key].title = title
    return sorted(rows.values(), key=lambda row: (row.title.casefold(), str(row.key)))


def money_column(name, label):
    return Column(
        name,
        label=label,
        accessor=lambda row: format_money(getattr(row, name)),
        classname="w-text-right",
    )


class CampaignTotalsView(ReportView):
    """What each campaign raised, online, offline and from matching gifts."""

    page_title = _("Campaign totals")
    header_icon = "table"
    results_template_name = "donations/admin/campaign_totals_results.html"
    any_permission_required = ANY_DONATION_PERMISSION
    paginate_by = None

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Donation)

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Campaign"), get_url=self.campaign_url),
            money_column("online", _("Online")),
            money_column("offline", _("Offline")),
            money_column("match", _("Matching gifts")),
            money_column("total", _("Total")),
            NumberColumn("gifts", label=_("Gifts")),
        ]

    def campaign_url(self, row):
        if row.page_id:
            return reverse("wagtailadmin_pages:edit", args=[row.page_id])

    def get_queryset(self):
        return campaign_totals()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = context["object_list"]
        grand = CampaignTotal(None, _("All campaigns"))
        for row in rows:
            for source, cents in row.cents.items():
                grand.add(source, cents, 0)
            grand.gifts += row.gifts
        context["grand_total"] = {
            "online": format_money(grand.online),
            "offline": format_money(grand.offline),
            "match": format_money(grand.match),
            "total": format_money(grand.total),
            "gifts": grand.gifts,
        }
        return context


# Refused payments


def provider_amount_display(refused):
    """What the provider's payment was for, e.g. "1,00 USD" or "€50.00"."""
    if refused.amount_cents is None:
        return ""
    currency = (refused.currency or "").upper()
    if currency in ("", "EUR"):
        return format_money(refused.amount_cents)
    return f"{refused.amount_cents / 100:.2f} {currency}"


def expected_amount_display(refused):
    return "" if refused.expected_cents is None else format_money(refused.expected_cents)


def refused_gift_display(refused):
    return str(refused.donation.uuid) if refused.donation_id else ""


class RefusedPaymentIndexView(generic.IndexView):
    """Payments that named a gift but were not its own: never counted, for staff to check
    (and refund with the payment provider if the money was really taken)."""

    list_display = [
        "created_at",
        "reason",
        Column("donation", label=_("Gift"), accessor=refused_gift_display),
        Column("paid", label=_("Provider's amount"), accessor=provider_amount_display),
        Column("expected", label=_("Gift's amount"), accessor=expected_amount_display),
        "session_id",
        "event_id",
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("donation")


class RefusedPaymentInspectView(generic.InspectView):
    shown_fields = [
        "created_at",
        "reason",
        "donation",
        "amount_cents",
        "currency",
        "mode",
        "expected_cents",
        "session_id",
        "payment_intent_id",
        "event_id",
        "event_type",
    ]

    def get_fields(self):
        return self.shown_fields

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value)
        return "" if value is None else value

    def get_donation_display_value(self):
        return refused_gift_display(self.object)

    def get_amount_cents_display_value(self):
        return provider_amount_display(self.object)

    def get_expected_cents_display_value(self):
        return expected_amount_display(self.object)


# Staff-only pages of the money after the gift: disputes, offline gifts to give back


def forbidden(request, explanation=None):
    """The staff pages' 403 page (not the admin's redirect), saying who the page is for:
    ``explanation``, by default the donations' staff."""
    return TemplateResponse(
        request,
        "donations/admin/forbidden.html",
        {
            "page_title": _("You may not see this page"),
            "explanation": explanation
            or _(
                "This page is for staff who may see the donations. Ask an administrator for "
                "the donation permissions if you need it."
            ),
        },
        status=403,
    )


class DonationStaffMixin:
    """Open to staff with any donation permission (or ``permission_required`` if set);
    others get a 403 page."""

    any_permission_required = ANY_DONATION_PERMISSION
    permission_required = None

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Donation)

    def is_permitted(self):
        if self.permission_required:
            return self.permission_policy.user_has_permission(
                self.request.user, self.permission_required
            )
        return self.permission_policy.user_has_any_permission(
            self.request.user, self.any_permission_required
        )

    def dispatch(self, request, *args, **kwargs):
        if not self.is_permitted():
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def local_date(value):
    """A date, or the local date of a datetime, in the user's locale ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "DATE_FORMAT")


def gift_label(donation):
    return _("Gift of %(amount)s") % {"amount": format_money(donation.amount_cents)}


def with_campaign_titles(rows, donation_of=lambda row: row):
    """Give each row a ``campaign_title`` (its gift's campaign), read in one query."""
    rows = list(rows)
    titles = campaign_titles({donation_of(row).campaign_key for row in rows})
    for row in rows:
        row.campaign_title = titles.get(donation_of(row).campaign_key, "")
    return rows


class DisputeIndexView(DonationStaffMixin, ReportView):
    """Chargebacks on online gifts: open ones first (newest first), then those decided."""

    page_title = _("Disputes")
    header_icon = "warning"
    results_template_name = "donations/admin/disputes_results.html"

    @cached_property
    def columns(self):
        return [
            Column("status", label=_("Status"), accessor="get_status_display"),
            TitleColumn(
                "gift",
                label=_("Gift"),
                accessor=lambda dispute: gift_label(dispute.donation),
                get_url=lambda dispute: reverse(
                    "donations_admin:inspect", args=[quote(dispute.donation_id)]
                ),
            ),
            Column("campaign", label=_("Campaign"), accessor="campaign_title"),
            Column(
                "amount",
                label=_("Amount disputed"),
                accessor=lambda dispute: format_money(dispute.amount_cents),
                classname="w-text-right",
            ),
            Column(
                "reason",
                label=_("Reason"),
                accessor=lambda dispute: disputes.reason_display(dispute.reason),
            ),
            Column("opened", label=_("Opened"), accessor=lambda d: local_date(d.opened_at)),
            Column("closed", label=_("Decided"), accessor=lambda d: local_date(d.closed_at)),
        ]

    def get_queryset(self):
        still_open = Case(When(status=DisputeStatus.OPEN, then=Value(0)), default=Value(1))
        return Dispute.objects.select_related("donation").order_by(still_open, "-opened_at", "-pk")

    def decorate_paginated_queryset(self, object_list):
        return with_campaign_titles(object_list, donation_of=lambda dispute: dispute.donation)


class GiveBackColumn(Column):
    """Who gave the gift back and when, or the way to record it (for staff who may)."""

    cell_template_name = "donations/admin/give_back_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.returned_on:
            user = instance.returned_by
            context["given_back"] = {
                "on": local_date(instance.returned_on),
                "by": get_user_display_name(user) if user else "",
            }
        else:
            context["give_back_url"] = instance.give_back_url
        return context


class GiftsToGiveBackView(DonationStaffMixin, ReportView):
    """Offline gifts of the campaigns whose gifts must be given back (all-or-nothing
    campaigns that failed): still to give back first, then those given back."""

    page_title = _("Gifts to give back")
    header_icon = "resubmit"
    results_template_name = "donations/admin/give_back_results.html"

    @cached_property
    def can_give_back(self):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    @cached_property
    def columns(self):
        return [
            Column("campaign", label=_("Campaign"), accessor="campaign_title"),
            Column("donor", label=_("Donor"), accessor="donor_name"),
            Column(
                "amount",
                label=_("Amount"),
                accessor=lambda gift: format_money(gift.amount_cents),
                classname="w-text-right",
            ),
            Column("method", label=_("Method"), accessor="get_offline_method_display"),
            Column(
                "received", label=_("Received on"), accessor=lambda g: local_date(g.received_on)
            ),
            Column("evidence", label=_("Evidence"), accessor="evidence"),
            GiveBackColumn("given_back", label=_("Given back")),
        ]

    def get_queryset(self):
        return returns.offline_gifts_to_give_back()

    def decorate_paginated_queryset(self, object_list):
        gifts = with_campaign_titles(object_list)
        for gift in gifts:
            gift.give_back_url = (
                reverse("donations_give_back:give_back", args=[gift.pk])
                if self.can_give_back and not gift.returned_on
                else ""
            )
        return gifts


class GiveBackForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Given back on"),
        widget=AdminDateInput,
        help_text=_("The day the money was handed back to the donor."),
    )

    def __init__(self, *args, donation, **kwargs):
        super().__init__(*args, **kwargs)
        self.donation = donation
        self.fields["returned_on"].initial = timezone.localdate()

    def clean_returned_on(self):
        returned_on = self.cleaned_data["returned_on"]
        if returned_on > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        received_on = self.donation.received_on
        if received_on and returned_on < received_on:
            raise forms.ValidationError(
                _("The gift was received on %(date)s: it was given back on that day or later.")
                % {"date": local_date(received_on)}
            )
        return returned_on


class GiveBackView(DonationStaffMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm that an offline gift was given back (POST, with the date); the ledger records
    it (``ledger.mark_returned``): the gift leaves its campaign's total."""

    permission_required = "change"
    template_name = "donations/admin/give_back.html"
    form_class = GiveBackForm
    page_title = _("Give back an offline gift")
    header_icon = "resubmit"
    index_url_name = "donations_give_back:index"

    def dispatch(self, request, *args, **kwargs):
        if not self.is_permitted():
            return forbidden(request)
        self.donation = get_object_or_404(
            Donation.objects.select_related("returned_by"),
            pk=kwargs["pk"],
            source=DonationSource.OFFLINE,
        )
        if self.donation.returned_on:
            messages.warning(request, self.already_message())
            return redirect(self.index_url_name)
        if not returns.is_due(self.donation):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def already_message(self):
        user = self.donation.returned_by
        return _("This gift was already given back on %(date)s by %(user)s.") % {
            "date": local_date(self.donation.returned_on),
            "user": get_user_display_name(user) if user else "?",
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "donation": self.donation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            donation=self.donation,
            amount=format_money(self.donation.amount_cents),
            campaign_title=campaign_titles([self.donation.campaign_key]).get(
                self.donation.campaign_key, ""
            ),
            received_on=local_date(self.donation.received_on),
            action_url=self.request.path,
            index_url=reverse(self.index_url_name),
            submit_button_label=_("Yes, it was given back"),
            submit_button_active_label=_("Recording…"),
        )
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        returned_on = form.cleaned_data["returned_on"]
        with transaction.atomic():
            donation, changed = ledger.mark_returned(
                self.donation.pk, user=self.request.user, returned_on=returned_on
            )
            if changed:
                log(instance=donation, action="donations.given_back", user=self.request.user)
        messages.success(
            self.request,
            _("Gift of %(amount)s recorded as given back on %(date)s.")
            % {"amount": format_money(donation.amount_cents), "date": local_date(returned_on)},
        )
        return redirect(self.index_url_name)


# What the campaign page shows of a gift: staff hide or correct it


def can_change_public_display(user, donation):
    """Staff who may change donations may hide or correct a resident's public name and
    message (not a sponsor's match, which shows neither)."""
    policy = policy_registry.get_by_type(Donation)
    return donation.source != DonationSource.MATCH and policy.user_has_permission(user, "change")


class PublicDisplayForm(forms.Form):
    display = forms.ChoiceField(label=_("Public display"), choices=DisplayChoice.choices)
    donor_name = forms.CharField(
        label=_("Donor's name"),
        max_length=100,
        required=False,
        help_text=_("Shown on the campaign page unless the gift is anonymous."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Empty it to hide an abusive or personal message."),
    )

    def clean(self):
        cleaned = super().clean()
        shows_name = cleaned.get("display") in (DisplayChoice.NAME, DisplayChoice.HIDE_AMOUNT)
        if shows_name and not (cleaned.get("donor_name") or "").strip():
            self.add_error(
                "donor_name", _("Give a name to show, or choose to show the gift anonymously.")
            )
        return cleaned


class PublicDisplayView(DonationStaffMixin, WagtailAdminTemplateMixin, FormView):
    """Hide or correct what the campaign page shows of a gift (its name, its message, shown
    or anonymous). The change is logged in the gift's history without the old or new text;
    amounts and statuses are not touched."""

    permission_required = "change"
    template_name = "donations/admin/public_display.html"
    form_class = PublicDisplayForm
    page_title = _("Public name and message")
    header_icon = "view"
    fields = ("display", "donor_name", "message")

    def dispatch(self, request, *args, **kwargs):
        if not self.is_permitted():
            return forbidden(request)
        self.donation = get_object_or_404(
            Donation.objects.exclude(source=DonationSource.MATCH), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.donation, name) for name in self.fields}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            donation=self.donation,
            amount=format_money(self.donation.amount_cents),
            action_url=self.request.path,
            inspect_url=reverse("donations_admin:inspect", args=[self.donation.pk]),
            submit_button_label=_("Save"),
            submit_button_active_label=_("Saving…"),
        )
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        changes = {
            name: form.cleaned_data[name].strip()
            for name in self.fields
            if form.cleaned_data[name].strip() != getattr(self.donation, name)
        }
        if changes:
            with transaction.atomic():
                donation = Donation.objects.select_for_update().get(pk=self.donation.pk)
                # only what the page shows: the ledger's amounts and statuses stay
                Donation.objects.filter(pk=donation.pk).update(**changes)
                if "donor_name" in changes:
                    # an offline donor without email is counted by name
                    ledger.recompute(donation.campaign_key)
                donation.refresh_from_db()
                log(
                    instance=donation,
                    action="donations.public_display_changed",
                    user=self.request.user,
                    data={"fields": sorted(changes)},
                )
            messages.success(self.request, _("What the campaign page shows of this gift changed."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return redirect("donations_admin:inspect", self.donation.pk)
