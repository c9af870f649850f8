"""The "Donations" admin menu: every donation (offline gifts recorded by staff), the
campaigns' totals, refused payments, disputes, the offline gifts to give back and the tax
receipts. Views are in admin_views.py (receipts: receipt_admin.py), forms in admin_forms.py."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from . import receipt_admin
from .admin_forms import (
    DonationFilterSet,
    OfflineDonationForm,
    TaxReceiptSettingsForm,
    receipt_settings_missing_message,
)
from .admin_views import (
    ANY_DONATION_PERMISSION,
    CampaignTotalsView,
    DisputeIndexView,
    DonationIndexView,
    DonationInspectView,
    GiftsToGiveBackView,
    GiveBackView,
    OfflineDonationCreateView,
    OfflineDonationDeleteView,
    OfflineDonationEditView,
    PublicDisplayView,
    RefusedPaymentIndexView,
    RefusedPaymentInspectView,
)
from .models import Donation, RefusedPayment, TaxReceipt, TaxReceiptSettings

# Whoever may see donations may see the payments refused for them; nobody changes those.
register_permission_policy(RefusedPayment, ModelPermissionPolicy(Donation))


class DonationViewSet(ModelViewSet):
    model = Donation
    # "donations" is the public app's URL namespace: keep the admin's apart
    name = "donations_admin"
    url_prefix = "donations"
    icon = "pick"
    menu_label = _("All donations")
    ordering = "-created_at"
    list_per_page = 50
    filterset_class = DonationFilterSet
    export_filename = "donations"
    index_view_class = DonationIndexView
    add_view_class = OfflineDonationCreateView
    edit_view_class = OfflineDonationEditView
    # the form in two parts: the gift, then the tax receipt the donor asked for
    create_template_name = "donations/admin/tax_receipts_gift_create.html"
    edit_template_name = "donations/admin/tax_receipts_gift_edit.html"
    delete_view_class = OfflineDonationDeleteView
    inspect_view_class = DonationInspectView
    inspect_view_enabled = True  # also offers the "view" permission in group settings
    copy_view_enabled = False
    # The ledger saves donations on the payment path: keep it free of reference indexing
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return OfflineDonationForm

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(
            inspect_url_name=self.get_url_name("inspect"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("public/<int:pk>/", PublicDisplayView.as_view(), name="public_display"),
        ]


class RefusedPaymentViewSet(ModelViewSet):
    """Payments refused because they were not their gift's own (read-only)."""

    model = RefusedPayment
    name = "donations_refused"
    url_prefix = "donations-refused"
    icon = "warning"
    menu_label = _("Refused payments")
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    list_filter = ["reason"]
    index_view_class = RefusedPaymentIndexView
    inspect_view_class = RefusedPaymentInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()  # governed by the donation permissions


class DonationStaffMenuItem(MenuItem):
    """Shown to staff with any donation permission."""

    def is_shown(self, request):
        policy = policy_registry.get_by_type(Donation)
        return policy.user_has_any_permission(request.user, ANY_DONATION_PERMISSION)


class DonationReportViewSet(ViewSet):
    """One staff report (``report_view_class``) under the Donations menu."""

    menu_item_class = DonationStaffMenuItem
    report_view_class = None

    @property
    def index_view(self):
        return self.report_view_class.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]


class CampaignTotalsViewSet(DonationReportViewSet):
    name = "donation_totals"
    url_prefix = "donations-totals"
    icon = "table"
    menu_label = _("Campaign totals")
    report_view_class = CampaignTotalsView


class DisputesViewSet(DonationReportViewSet):
    """Chargebacks on online gifts, open ones first."""

    name = "donations_disputes"
    url_prefix = "donations-disputes"
    icon = "warning"
    menu_label = _("Disputes")
    report_view_class = DisputeIndexView


class GiveBackViewSet(DonationReportViewSet):
    """Offline gifts of failed all-or-nothing campaigns, and recording them given back."""

    name = "donations_give_back"
    url_prefix = "donations-give-back"
    icon = "resubmit"
    menu_label = _("Gifts to give back")
    report_view_class = GiftsToGiveBackView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", GiveBackView.as_view(), name="give_back"),
        ]


class TaxReceiptViewSet(ModelViewSet):
    """Tax receipts: list, details, PDF, cancel and reissue, send again, yearly receipts.
    Receipts are never added, edited or deleted here (donations/tax_receipts.py issues
    them)."""

    model = TaxReceipt
    name = "donations_tax_receipts"
    url_prefix = "donations-tax-receipts"
    icon = "doc-full"
    menu_label = _("Tax receipts")
    menu_item_class = receipt_admin.ReceiptMenuItem
    ordering = ["-year", "-sequence"]
    list_per_page = 50
    index_view_class = receipt_admin.TaxReceiptIndexView
    inspect_view_class = receipt_admin.TaxReceiptInspectView
    history_view_class = receipt_admin.TaxReceiptHistoryView
    filterset_class = receipt_admin.TaxReceiptFilterSet
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("pdf/<int:pk>/", receipt_admin.TaxReceiptPdfView.as_view(), name="pdf"),
            path("reissue/<int:pk>/", receipt_admin.ReissueView.as_view(), name="reissue"),
            path("resend/<int:pk>/", receipt_admin.ResendView.as_view(), name="resend"),
            path("yearly/", receipt_admin.YearlyView.as_view(), name="yearly"),
        ]

    def get_permissions_to_register(self):
        # seeing them, and the actions; nobody adds, edits or deletes a receipt
        return Permission.objects.filter(
            content_type__app_label="donations",
            codename__in=["view_taxreceipt", "issue_taxreceipt"],
        )


class DonationsViewSetGroup(ViewSetGroup):
    items = (
        DonationViewSet,
        CampaignTotalsViewSet,
        RefusedPaymentViewSet,
        DisputesViewSet,
        GiveBackViewSet,
        TaxReceiptViewSet,
    )
    menu_icon = "pick"
    menu_label = _("Donations")
    menu_name = "donations"


@hooks.register("register_admin_viewset")
def register_donations_viewsets():
    return DonationsViewSetGroup()


# Settings → Tax receipt details: Wagtail builds the form from the model; this base form checks the
# signature image and refuses to turn receipts on while a required detail is missing
# (set here rather than on the model: no migration, and the model stays free of admin code).
TaxReceiptSettings.base_form_class = TaxReceiptSettingsForm


@hooks.register("before_edit_setting")
def warn_of_missing_receipt_details(request, instance):
    """Receipts turned on while a required detail is missing issue nothing: say which."""
    if (
        isinstance(instance, TaxReceiptSettings)
        and request.method == "GET"
        and instance.enabled
        and instance.missing()
    ):
        messages.warning(request, receipt_settings_missing_message(instance.missing()))


@hooks.register("register_log_actions")
def register_donation_log_actions(actions):
    actions.register_action(
        "donations.given_back", _("Given back"), _("Offline gift given back to its donor")
    )
    actions.register_action(
        "donations.public_display_changed",
        _("Public name or message changed"),
        _("What the campaign page shows of the gift changed"),
    )
    actions.register_action(
        receipt_admin.REISSUED,
        _("Cancelled and reissued"),
        _("Tax receipt cancelled and reissued by staff"),
    )
    actions.register_action(
        receipt_admin.ISSUED_BY_STAFF, _("Issued by staff"), _("Tax receipt issued by staff")
    )
    actions.register_action(
        receipt_admin.RESENT, _("Sent again by email"), _("Tax receipt sent again by email")
    )
