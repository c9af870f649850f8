"""The "Donations" admin menu: every donation (offline gifts recorded by staff), the
campaigns' totals, refused payments, disputes and the offline gifts to give back. Views are
in admin_views.py, forms in admin_forms.py."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .admin_forms import DonationFilterSet, OfflineDonationForm
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
from .models import Donation, RefusedPayment

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


class DonationsViewSetGroup(ViewSetGroup):
    items = (
        DonationViewSet,
        CampaignTotalsViewSet,
        RefusedPaymentViewSet,
        DisputesViewSet,
        GiveBackViewSet,
    )
    menu_icon = "pick"
    menu_label = _("Donations")
    menu_name = "donations"


@hooks.register("register_admin_viewset")
def register_donations_viewsets():
    return DonationsViewSetGroup()


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
