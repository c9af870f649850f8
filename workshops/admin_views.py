"""Staff views of workshop registrations (registered in wagtail_hooks.py).

A workshop's registrations are those of all its languages (they share its translation_key).
Every change — a registration taken by phone, a cancellation, a move from the waiting list —
goes through workshops/registrations.py, which keeps the seat counter right and emails people.
Contact details are shown only to staff with ``workshops.view_registrant_details``.
"""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic import BaseListingView, PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.permissions import policy_registry

from helpers.spreadsheets import PeopleExportMixin

from . import registrations
from .admin_forms import PhoneRegistrationForm
from .models import Registration, RegistrationStatus, WorkshopPage, WorkshopSeats

URL_NAMESPACE = "workshop_registrations"
ANY_REGISTRATION_PERMISSION = ["add", "change", "view"]
CONTACT_DETAILS_PERMISSION = "workshops.view_registrant_details"

STATE_LABELS = {
    "open": _("Open"),
    "waitlist": _("Full: new registrations wait"),
    "closed": _("Closed online (phone still possible)"),
    "deadline": _("Deadline passed (phone still possible)"),
    "past": _("Over"),
}


def admin_url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def registration_policy():
    return policy_registry.get_by_type(Registration)


def can_see_contact_details(user):
    return user.has_perm(CONTACT_DETAILS_PERMISSION)


def when(workshop):
    """ "12/03/2026 18:30–20:30" in the admin user's language and time zone."""
    starts = timezone.localtime(workshop.starts_at)
    ends = timezone.localtime(workshop.ends_at)
    text = formats.date_format(starts, "SHORT_DATETIME_FORMAT")
    if ends.date() == starts.date():
        return f"{text}–{formats.time_format(ends, 'TIME_FORMAT')}"
    return f"{text} – {formats.date_format(ends, 'SHORT_DATETIME_FORMAT')}"


def state_label(workshop):
    if not workshop.live:
        return _("Not published")
    return STATE_LABELS[workshop.registration_state]


def default_language_workshops():
    """Every workshop once (its default-language page) with its venue, confirmed seats
    (``taken_seats``), waiting registrations and waiting seats, in one query."""
    waiting = (
        Registration.objects.filter(
            workshop_key=OuterRef("translation_key"), status=RegistrationStatus.WAITLISTED
        )
        .order_by()
        .values("workshop_key")
    )
    return (
        WorkshopPage.objects.filter(
            locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        .select_related("venue")
        .annotate(
            **WorkshopSeats.objects.annotation(),
            waiting_count=Coalesce(
                Subquery(waiting.annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            waiting_seats=Coalesce(
                Subquery(waiting.annotate(n=Sum("seats")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
        )
    )


class RegistrationPermissionMixin(PermissionCheckedMixin):
    """Staff need one of the Registration model permissions (view, add, change) to look."""

    any_permission_required = ANY_REGISTRATION_PERMISSION

    @cached_property
    def permission_policy(self):
        return registration_policy()


# The workshops


class WorkshopListView(RegistrationPermissionMixin, BaseListingView):
    """The upcoming workshops (or, with ``?past=1``, the past ones), one row per workshop."""

    header_icon = "group"
    paginate_by = 50
    index_url_name = f"{URL_NAMESPACE}:index"  # pages keep ?past=1: Wagtail keeps the query
    verbose_name_plural = _("workshops")

    @cached_property
    def showing_past(self):
        return self.request.GET.get("past") == "1"

    def get_page_title(self):
        return _("Past workshops") if self.showing_past else _("Workshop registrations")

    def get_header_buttons(self):
        if self.showing_past:
            return [HeaderButton(_("Upcoming workshops"), url=admin_url("index"), icon_name="date")]
        return [
            HeaderButton(
                _("Past workshops"), url=f"{admin_url('index')}?past=1", icon_name="history"
            )
        ]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title", label=_("Workshop"), get_url=lambda page: admin_url("workshop", page.pk)
            ),
            Column("when", label=_("Date"), accessor=when),
            Column("venue", label=_("Venue"), accessor=lambda page: page.venue or ""),
            Column(
                "seats",
                label=_("Seats taken"),
                accessor=lambda page: f"{page.seats_taken} / {page.capacity}",
            ),
            Column(
                "waiting",
                label=_("Waiting"),
                accessor=lambda page: self.waiting_display(page),
            ),
            Column("state", label=_("Registrations"), accessor=state_label),
        ]

    def waiting_display(self, page):
        if not page.waiting_count:
            return "0"
        return ngettext(
            "%(count)s (%(seats)s seat)", "%(count)s (%(seats)s seats)", page.waiting_seats
        ) % {"count": page.waiting_count, "seats": page.waiting_seats}

    def get_queryset(self):
        now = timezone.now()
        if self.showing_past:
            return default_language_workshops().filter(ends_at__lte=now).order_by("-starts_at")
        return default_language_workshops().filter(ends_at__gt=now).order_by("starts_at", "pk")


# One workshop


class WorkshopMixin:
    """Views about one workshop: ``self.workshop`` is the WorkshopPage ``page_id`` (in any
    language), with ``taken_seats`` annotated; its registrations are those of every language."""

    def dispatch(self, request, *args, **kwargs):
        pages = WorkshopPage.objects.select_related("venue").annotate(
            **WorkshopSeats.objects.annotation()
        )
        self.workshop = get_object_or_404(pages, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def workshop_url(self):
        return admin_url("workshop", self.workshop.pk)

    def registrations(self):
        return Registration.objects.filter(workshop_key=self.workshop.translation_key)

    def get_registration(self):
        """The registration ``registration_id`` of this workshop, else 404."""
        return get_object_or_404(self.registrations(), pk=self.kwargs["registration_id"])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": admin_url("index"), "label": _("Workshop registrations")},
            {"url": self.workshop_url, "label": self.workshop.title},
        ]

    def has_started(self):
        return self.workshop.starts_at <= timezone.now()


class WorkshopRegistrationsView(
    RegistrationPermissionMixin, WorkshopMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Confirmed, waiting (in order) and cancelled registrations of one workshop, with the
    actions the user is allowed."""

    template_name = "workshops/admin/workshop.html"
    header_icon = "group"

    def get_page_title(self):
        return self.workshop.title

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return items[:-1] + [{"url": "", "label": self.workshop.title}]

    def get_header_buttons(self):
        buttons = []
        if self.user_has_permission("add") and not self.has_started():
            buttons.append(
                HeaderButton(
                    _("Add a registration taken by phone"),
                    url=admin_url("add", self.workshop.pk),
                    icon_name="plus",
                )
            )
        buttons += [
            HeaderButton(
                _("Export CSV"), url=admin_url("export", self.workshop.pk), icon_name="download"
            ),
            HeaderButton(
                _("Export XLSX"),
                url=admin_url("export", self.workshop.pk) + "?export=xlsx",
                icon_name="download",
            ),
            HeaderButton(
                _("Attendance sheet"),
                url=admin_url("attendance", self.workshop.pk),
                icon_name="doc-full",
            ),
        ]
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_status = {status: [] for status in RegistrationStatus.values}
        for registration in self.registrations().select_related("taken_by"):
            if registration.taken_by is not None:
                registration.taken_by_name = get_user_display_name(registration.taken_by)
            by_status[registration.status].append(registration)
        workshop = self.workshop
        context.update(
            workshop=workshop,
            when=when(workshop),
            state=state_label(workshop),
            confirmed=by_status[RegistrationStatus.CONFIRMED],
            waiting=by_status[RegistrationStatus.WAITLISTED],
            cancelled=by_status[RegistrationStatus.CANCELLED],
            show_contacts=can_see_contact_details(self.request.user),
            can_change=self.user_has_permission("change"),
            edit_url=reverse("wagtailadmin_pages:edit", args=[workshop.pk]),
        )
        context["waiting_seats"] = sum(item.seats for item in context["waiting"])
        return context


class PhoneRegistrationView(
    RegistrationPermissionMixin, WorkshopMixin, WagtailAdminTemplateMixin, View
):
    """Register someone who called: the public form's checks, recorded as taken by phone by
    this user. Works when online registration is closed or the room is full (the person then
    waits), never once the workshop has started. Bad input: the form again, with status 400."""

    any_permission_required = None
    permission_required = "add"
    template_name = "workshops/admin/add_registration.html"
    header_icon = "plus"
    started_message = _("This workshop has started: it takes no more registrations.")

    def get_page_title(self):
        return _("Add a registration taken by phone")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def render_form(self, form, status=200):
        context = self.get_context_data(form=form, workshop=self.workshop, when=when(self.workshop))
        context["cancel_url"] = self.workshop_url
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        if self.has_started():
            messages.error(request, self.started_message)
            return redirect(self.workshop_url)
        return self.render_form(PhoneRegistrationForm())

    def post(self, request, *args, **kwargs):
        form = PhoneRegistrationForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            registration = registrations.register(
                self.workshop_in(data["language"]),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                seats=data["seats"],
                language=data["language"],
                needs=data["accessibility_needs"],
                staff=request.user,
            )
        except registrations.RegistrationClosed:
            form.add_error(None, self.started_message)
            return self.render_form(form, status=400)
        if registration.status == RegistrationStatus.CONFIRMED:
            message = _("%(name)s is registered: confirmed.")
        else:
            message = _(
                "%(name)s is on the waiting list: the room is full, or others were waiting first."
            )
        messages.success(request, message % {"name": registration.name})
        return redirect(self.workshop_url)

    def workshop_in(self, language):
        """The workshop's page in ``language`` (emails and links follow it), else this one."""
        page = (
            WorkshopPage.objects.filter(
                translation_key=self.workshop.translation_key, locale__language_code=language
            )
            .annotate(**WorkshopSeats.objects.annotation())
            .first()
        )
        return page or self.workshop


class CancelRegistrationView(
    RegistrationPermissionMixin, WorkshopMixin, WagtailAdminTemplateMixin, View
):
    """GET asks to confirm; POST cancels and gives the seats to those waiting (who are
    emailed)."""

    any_permission_required = None
    permission_required = "change"
    template_name = "workshops/admin/confirm_cancel.html"
    header_icon = "cross"

    def get_page_title(self):
        return _("Cancel a registration")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        registration = self.get_registration()
        if registration.status == RegistrationStatus.CANCELLED:
            return self.already_cancelled(registration)
        context = self.get_context_data(
            registration=registration,
            workshop=self.workshop,
            action_url=request.path,
            cancel_url=self.workshop_url,
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        registration = self.get_registration()
        if registration.status == RegistrationStatus.CANCELLED:
            return self.already_cancelled(registration)
        promoted = registrations.cancel(registration, user=request.user)
        messages.success(
            request, _("The registration of %(name)s is cancelled.") % {"name": registration.name}
        )
        if promoted:
            names = ", ".join(item.name for item in promoted)
            messages.success(
                request,
                _("Moved from the waiting list into the room: %(names)s.") % {"names": names},
            )
        return redirect(self.workshop_url)

    def already_cancelled(self, registration):
        messages.warning(
            self.request,
            _("The registration of %(name)s was already cancelled.") % {"name": registration.name},
        )
        return redirect(self.workshop_url)


class ConfirmWaitingView(RegistrationPermissionMixin, WorkshopMixin, View):
    """POST: move one waiting registration into the room, even out of turn. When it does
    not fit, nothing changes and the message says what to do."""

    any_permission_required = None
    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        registration = self.get_registration()
        if registration.status != RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _("%(name)s is not on the waiting list any more.") % {"name": registration.name},
            )
            return redirect(self.workshop_url)
        try:
            registrations.confirm_waiting(registration, self.workshop, user=request.user)
        except registrations.NotEnoughSeats:
            free = max(
                self.workshop.capacity - WorkshopSeats.objects.taken(registration.workshop_key), 0
            )
            messages.error(
                request,
                ngettext(
                    "%(name)s needs %(seats)s seats and %(free)s is free. "
                    "Raise the workshop's capacity or cancel another registration first.",
                    "%(name)s needs %(seats)s seats and %(free)s are free. "
                    "Raise the workshop's capacity or cancel another registration first.",
                    free,
                )
                % {"name": registration.name, "seats": registration.seats, "free": free},
            )
            return redirect(self.workshop_url)
        messages.success(
            request,
            _("%(name)s moved from the waiting list: confirmed.") % {"name": registration.name},
        )
        return redirect(self.workshop_url)


# Export and attendance sheet


class RegistrationsExportView(RegistrationPermissionMixin, WorkshopMixin, PeopleExportMixin, View):
    """The confirmed then waiting (in order) registrations of a workshop, as CSV
    (``?export=csv``, the default) or XLSX (``?export=xlsx``) with Wagtail's
    SpreadsheetExportMixin, in the user's language and time zone; email and phone only with
    the contact details permission. What people typed never runs as a formula: CSV cells are
    escaped (helpers/spreadsheets.py), XLSX cells written as text."""

    export_headings = {
        "status": _("Status"),
        "position": _("Waiting list position"),
        "name": _("Name"),
        "seats": _("Seats"),
        "language": _("Preferred language"),
        "source": _("Source"),
        "accessibility_needs": _("Accessibility needs"),
        "created_at": _("Registered at"),
        "confirmed_at": _("Confirmed at"),
        "taken_by": _("Taken by"),
        "email": _("Email"),
        "phone": _("Phone"),
    }

    @cached_property
    def list_export(self):
        fields = list(self.export_headings)
        if can_see_contact_details(self.request.user):
            return fields
        return [field for field in fields if field not in ("email", "phone")]

    def get_filename(self):
        return f"registrations-{self.workshop.slug}"

    def rows(self):
        """Confirmed registrations, then those waiting in their order (``position``)."""
        rows = list(
            self.registrations()
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("taken_by")
        )
        confirmed = [item for item in rows if item.status == RegistrationStatus.CONFIRMED]
        waiting = [item for item in rows if item.status == RegistrationStatus.WAITLISTED]
        for item in confirmed:
            item.position = ""
        for position, item in enumerate(waiting, 1):
            item.position = position
        return confirmed + waiting


class AttendanceSheetView(RegistrationPermissionMixin, WorkshopMixin, TemplateView):
    """A page to print for the door: confirmed registrants by name with a box to tick, then
    the waiting list in its order (who gets a seat someone leaves free). No contact details."""

    template_name = "workshops/admin/attendance_sheet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(self.registrations().exclude(status=RegistrationStatus.CANCELLED))
        confirmed = [item for item in rows if item.status == RegistrationStatus.CONFIRMED]
        confirmed.sort(key=lambda item: (item.name.casefold(), item.pk))
        context.update(
            workshop=self.workshop,
            when=when(self.workshop),
            confirmed=confirmed,
            confirmed_seats=sum(item.seats for item in confirmed),
            waiting=[item for item in rows if item.status == RegistrationStatus.WAITLISTED],
            back_url=self.workshop_url,
            printed_at=timezone.localtime(),
        )
        return context
