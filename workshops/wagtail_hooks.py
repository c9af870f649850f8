"""Workshops in the admin: the venues (snippets) and the "Workshop registrations" menu.
Views are in admin_views.py, the phone registration form in admin_forms.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import history
from .admin_permissions import registration_permissions
from .admin_views import (
    ANY_REGISTRATION_PERMISSION,
    URL_NAMESPACE,
    AttendanceSheetView,
    CancelRegistrationView,
    ConfirmWaitingView,
    PhoneRegistrationView,
    RegistrationsExportView,
    WorkshopListView,
    WorkshopRegistrationsView,
    registration_policy,
)
from .models import Venue


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    list_display = ["name", "district", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "address"]


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return registration_policy().user_has_any_permission(
            request.user, ANY_REGISTRATION_PERMISSION
        )


class WorkshopRegistrationsViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "workshop-registrations"
    icon = "group"
    menu_label = _("Workshop registrations")
    menu_name = "workshop-registrations"
    add_to_admin_menu = True
    menu_item_class = RegistrationsMenuItem

    def get_urlpatterns(self):
        workshop = "<int:page_id>/"
        registration = "<int:page_id>/<int:registration_id>/"
        return [
            path("", WorkshopListView.as_view(), name="index"),
            path(workshop, WorkshopRegistrationsView.as_view(), name="workshop"),
            path(f"{workshop}add/", PhoneRegistrationView.as_view(), name="add"),
            path(f"{workshop}export/", RegistrationsExportView.as_view(), name="export"),
            path(f"{workshop}attendance/", AttendanceSheetView.as_view(), name="attendance"),
            path(f"{registration}cancel/", CancelRegistrationView.as_view(), name="cancel"),
            path(f"{registration}confirm/", ConfirmWaitingView.as_view(), name="confirm"),
        ]


register_snippet(VenueViewSet)


@hooks.register("register_admin_viewset")
def register_registrations_viewset():
    return WorkshopRegistrationsViewSet()


@hooks.register("register_permissions")
def registration_permissions_for_groups():
    """Offer the registration permissions (contact details included) in the groups' settings."""
    return registration_permissions()


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    history.register_actions(actions)
