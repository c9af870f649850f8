"""The "Help offered" admin menu (registered in wagtail_hooks.py): campaigns' needs and the
offers of help they received.

Needs: listed by campaign with the places wanted, confirmed and waiting; staff add, edit,
close and reopen them for any campaign. A need that has offers is never deleted (its offers
would go with it): staff close it instead. Offers: one page per need (confirmed, waiting in
order, withdrawn) with the actions the user is allowed — an offer taken by phone, a
withdrawal, a waiting offer confirmed out of turn — and CSV/XLSX exports. Every change to
places goes through campaigns/offers.py. Helpers' names and contact details are shown, and
exported, only to staff with ``campaigns.view_helper_details``.
"""

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name, get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

import django_filters

from donations.admin_forms import campaign_choices, campaign_titles, choose_campaign
from helpers.spreadsheets import PeopleExportMixin

from . import offers
from .help_forms import HelpOfferForm, NeedForm
from .models import CampaignPage
from .needs import HelpOffer, Need, NeedKind, OfferStatus

URL_NAMESPACE = "help_needs"
ANY_OFFER_PERMISSION = ["add", "change", "view"]
HELPER_DETAILS_PERMISSION = "campaigns.view_helper_details"
OFFER_PERMISSIONS = ["add_helpoffer", "change_helpoffer", "view_helpoffer"]  # never delete

STATE_LABELS = {
    "open": _("Taking offers"),
    "waitlist": _("Full: new offers wait"),
    "closed": _("Closed (staff may still add an offer)"),
    "past": _("Its date has passed"),
}


def admin_url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def offer_policy():
    return policy_registry.get_by_type(HelpOffer)


def can_see_helper_details(user):
    return user.has_perm(HELPER_DETAILS_PERMISSION)


def state_label(need):
    return STATE_LABELS[need.state]


def who(item, user):
    """The helper's name for ``user``, else the offer's number (names are personal data)."""
    if can_see_helper_details(user):
        return item.name
    return gettext("helper #%(number)s") % {"number": item.pk}


def campaign_title(campaign_key):
    return campaign_titles([campaign_key]).get(campaign_key) or gettext("Unknown campaign")


# The needs


class NeedAdminForm(NeedForm):
    """The need form of staff and leaders, with the campaign chosen by its French title
    (stored as the campaign's translation key). A need stays with its campaign."""

    campaign = forms.ChoiceField(label=_("Campaign"))
    field_order = ["campaign", *NeedForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_campaign(self)
        field = self.fields["campaign"]
        if self.instance.pk:
            field.disabled = True
            field.help_text = _("A need stays with its campaign: offers were made for it.")
        else:
            field.help_text = _("The need shows on the campaign's page in every language.")
            self.fields["language"].initial = settings.LANGUAGE_CODE

    def save(self, commit=True):
        """Save the need; an existing one only in the fields of the form, so that the places
        confirmed meanwhile (``taken``, campaigns/offers.py) are kept."""
        need = super().save(commit=False)
        if not commit:
            return need
        if need.pk is None:
            need.campaign_key = uuid.UUID(self.cleaned_data["campaign"])
            need.save()
        else:
            need.save(update_fields=[*NeedForm.Meta.fields, "updated_at"])
        return need


class NeedFilterSet(WagtailFilterSet):
    campaign_key = django_filters.ChoiceFilter(
        label=_("Campaign"), choices=campaign_choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=NeedKind.choices, empty_label=_("All")
    )
    is_open = django_filters.BooleanFilter(label=_("Taking offers"))

    class Meta:
        model = Need
        fields = ["campaign_key", "kind", "is_open"]


def campaign_title_subquery():
    """The title of the need's campaign, in the default language if it has that page."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    pages = CampaignPage.objects.filter(translation_key=OuterRef("campaign_key")).order_by(
        Case(When(locale__language_code=default, then=Value(0)), default=Value(1)), "pk"
    )
    return Subquery(pages.values("title")[:1])


def offers_text(need):
    return ngettext("%(count)s offer", "%(count)s offers", need.offer_count) % {
        "count": need.offer_count
    }


class NeedIndexView(generic.IndexView):
    """Every need, grouped by campaign (by its title), with its places and waiting list,
    in one query per page whatever the number of needs and offers."""

    page_title = _("Help offered")

    def get_base_queryset(self):
        live_offers = (
            HelpOffer.objects.filter(need=OuterRef("pk"))
            .exclude(status=OfferStatus.WITHDRAWN)
            .order_by()
            .values("need")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_base_queryset()
            .with_counts()
            .annotate(
                campaign_title=Coalesce(campaign_title_subquery(), Value("")),
                offer_count=Coalesce(Subquery(live_offers[:1], output_field=IntegerField()), 0),
            )
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        return queryset.order_by("campaign_title", "campaign_key", "-is_open", "sort_order", "pk")

    @cached_property
    def can_see_offers(self):
        return offer_policy().user_has_any_permission(self.request.user, ANY_OFFER_PERMISSION)

    @cached_property
    def chosen_campaign(self):
        """The campaign the list is filtered by, if any (its exports are offered)."""
        if self.filters and self.filters.is_valid():
            value = self.filters.form.cleaned_data.get("campaign_key")
            return uuid.UUID(value) if value else None
        return None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        key = self.chosen_campaign
        if key and can_see_helper_details(self.request.user):
            export = admin_url("export_campaign", key)
            buttons += [
                HeaderButton(
                    _("Export the campaign's offers (CSV)"), url=export, icon_name="download"
                ),
                HeaderButton(
                    _("Export the campaign's offers (XLSX)"),
                    url=f"{export}?export=xlsx",
                    icon_name="download",
                ),
            ]
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.can_see_offers:
            buttons.insert(
                0,
                MenuItem(
                    _("Offers"),
                    url=admin_url("offers", instance.pk),
                    icon_name="group",
                    priority=5,
                ),
            )
        return buttons

    @cached_property
    def columns(self):
        columns = super().columns
        if self.can_see_offers:
            columns.append(
                TitleColumn(
                    "offers",
                    label=_("Offers"),
                    accessor=offers_text,
                    get_url=lambda need: admin_url("offers", need.pk),
                )
            )
        return columns


class NeedSaveMixin:
    """Saving a need changes its campaign's page (in every language)."""

    def save_instance(self):
        need = super().save_instance()
        offers.need_changed(need)
        return need


class NeedCreateView(NeedSaveMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class NeedEditView(NeedSaveMixin, generic.EditView):
    """Checks the number wanted again under the need's lock (offers confirmed meanwhile
    count), then gives the places a larger number opened to those waiting."""

    def form_valid(self, form):
        with transaction.atomic():
            current = offers.lock(self.object.pk)
            if form.cleaned_data["wanted"] >= current.taken:
                self.wanted_before = current.wanted
                return super().form_valid(form)
        form.add_error(
            "wanted",
            gettext("%(taken)s are already confirmed: ask fewer only after some withdraw.")
            % {"taken": current.taken},
        )
        return self.form_invalid(form)

    def save_instance(self):
        need = super().save_instance()
        if need.wanted > self.wanted_before:
            promoted = offers.fill_from_waiting_list(need)
            if promoted:
                messages.success(
                    self.request,
                    ngettext(
                        "%(count)s offer moved from the waiting list: confirmed.",
                        "%(count)s offers moved from the waiting list: confirmed.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
        return need


class NeedDeleteView(generic.DeleteView):
    """A need that has offers cannot be deleted (they are people's commitments, PROTECT):
    the page says so and offers to close it instead."""

    refused_template_name = "campaigns/admin/help_delete_refused.html"

    def get(self, request, *args, **kwargs):
        if self.object.offers.exists():
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object.offers.exists():
            return self.refuse(status=409)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
                offers.need_changed(self.object)
        except ProtectedError:  # an offer came in since the check
            return self.refuse(status=409)
        return response

    def refuse(self, status=200):
        need = self.object
        context = self.get_context_data(
            need=need,
            campaign_title=campaign_title(need.campaign_key),
            can_close=need.is_open
            and policy_registry.get_by_type(Need).user_has_permission(self.request.user, "change"),
            open_url=admin_url("open", need.pk),
            offers_url=admin_url("offers", need.pk),
            back_url=reverse(self.index_url_name),
        )
        return self.response_class(
            request=self.request,
            template=[self.refused_template_name],
            context=context,
            status=status,
        )


class NeedOpenView(PermissionCheckedMixin, View):
    """POST ``open=1`` reopens the need, ``open=0`` closes it: it then takes no offers online
    (staff may still add one) and leaves the campaign page's open needs."""

    permission_required = "change"
    http_method_names = ["post"]

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Need)

    def post(self, request, need_id):
        need = get_object_or_404(Need, pk=need_id)
        is_open = request.POST.get("open") == "1"
        Need.objects.filter(pk=need.pk).update(is_open=is_open, updated_at=timezone.now())
        need.is_open = is_open
        log(instance=need, action="wagtail.edit", user=request.user)
        offers.need_changed(need)
        if is_open:
            message = gettext("“%(title)s” is open again: it takes offers.")
        else:
            message = gettext(
                "“%(title)s” is closed: it takes no more offers online (staff may still add one)."
            )
        messages.success(request, message % {"title": need.title})
        return redirect(get_valid_next_url_from_request(request) or admin_url("offers", need.pk))


# The offers of one need


class OfferPermissionMixin(PermissionCheckedMixin):
    """Staff need one of the HelpOffer permissions (view, add, change) to look."""

    any_permission_required = ANY_OFFER_PERMISSION

    @cached_property
    def permission_policy(self):
        return offer_policy()


class NeedMixin:
    """Views about one need: ``self.need`` (with its waiting count), its campaign's title."""

    def dispatch(self, request, *args, **kwargs):
        self.need = get_object_or_404(Need.objects.with_counts(), pk=kwargs["need_id"])
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def campaign_title(self):
        return campaign_title(self.need.campaign_key)

    @cached_property
    def need_url(self):
        return admin_url("offers", self.need.pk)

    def get_offer(self):
        """The offer ``offer_id`` of this need, else 404."""
        return get_object_or_404(self.need.offers.all(), pk=self.kwargs["offer_id"])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": admin_url("index"), "label": _("Help offered")},
            {"url": self.need_url, "label": self.need.title},
        ]


class NeedOffersView(OfferPermissionMixin, NeedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirmed, waiting (in order) and withdrawn offers of one need, with the actions the
    user is allowed."""

    template_name = "campaigns/admin/help_offers.html"
    header_icon = "group"

    def get_page_title(self):
        return self.need.title

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items()[:-1] + [{"url": "", "label": self.need.title}]

    def get_header_buttons(self):
        user = self.request.user
        buttons = []
        if self.user_has_permission("add") and not self.need.is_past:
            buttons.append(
                HeaderButton(
                    _("Add an offer taken by phone"),
                    url=admin_url("add_offer", self.need.pk),
                    icon_name="plus",
                )
            )
        if policy_registry.get_by_type(Need).user_has_permission(user, "change"):
            buttons.append(
                HeaderButton(
                    _("Edit the need"), url=admin_url("edit", self.need.pk), icon_name="edit"
                )
            )
        if can_see_helper_details(user):
            export = admin_url("export", self.need.pk)
            buttons += [
                HeaderButton(_("Export CSV"), url=export, icon_name="download"),
                HeaderButton(_("Export XLSX"), url=f"{export}?export=xlsx", icon_name="download"),
            ]
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_status = {status: [] for status in OfferStatus.values}
        for item in self.need.offers.select_related("taken_by").order_by("created_at", "pk"):
            if item.taken_by is not None:
                item.taken_by_name = get_user_display_name(item.taken_by)
            by_status[item.status].append(item)
        need = self.need
        user = self.request.user
        context.update(
            need=need,
            campaign_title=self.campaign_title,
            state=state_label(need),
            confirmed=by_status[OfferStatus.CONFIRMED],
            waiting=by_status[OfferStatus.WAITLISTED],
            withdrawn=by_status[OfferStatus.WITHDRAWN],
            show_details=can_see_helper_details(user),
            can_change=self.user_has_permission("change"),
            can_change_need=policy_registry.get_by_type(Need).user_has_permission(user, "change"),
            open_url=admin_url("open", need.pk),
        )
        context["waiting_quantity"] = sum(item.quantity for item in context["waiting"])
        return context


STAFF_WORDING = {
    "name": (_("Name"), _("As the person gives it.")),
    "availability": (_("When they are available"), None),
    "email": (
        _("Email"),
        _("If they have one: they receive the confirmation and a link to withdraw."),
    ),
    "phone": (_("Phone number"), _("So that the project team can call them.")),
    "note": (_("Note"), _("What they can do or bring, a question, something to know.")),
}


class PhoneOfferForm(HelpOfferForm):
    """The public offer form (same checks: an email or a phone, how many), worded for the
    staff member who fills it in while on the phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in STAFF_WORDING.items():
            field = self.fields[name]
            field.label = label
            if help_text:
                field.help_text = help_text
        quantity = self.fields["quantity"]
        quantity.label = _("How many")
        if self.need.kind == NeedKind.TASK:
            quantity.help_text = gettext(
                "The person and those coming with them (%(max)s at most)."
            ) % {"max": self.need.max_per_offer}
        else:
            quantity.help_text = gettext("Items lent or given (%(max)s at most).") % {
                "max": self.need.max_per_offer
            }
        for field in self.fields.values():
            # the browser must not offer the staff member's own name, email or phone
            field.widget.attrs["autocomplete"] = "off"
        self.fields["language"].initial = settings.LANGUAGE_CODE


class AddOfferView(OfferPermissionMixin, NeedMixin, WagtailAdminTemplateMixin, View):
    """An offer someone made by phone (or in person), recorded as taken by this user. Works
    when the need is closed or full (the offer then waits), never once its date has come.
    Bad input: the form again, with status 400."""

    any_permission_required = None
    permission_required = "add"
    template_name = "campaigns/admin/help_add_offer.html"
    header_icon = "plus"

    def past_message(self):
        return gettext("This need's date has come: it takes no more offers.")

    def get_page_title(self):
        return _("Add an offer taken by phone")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def render_form(self, form, status=200):
        context = self.get_context_data(
            form=form,
            need=self.need,
            campaign_title=self.campaign_title,
            state=state_label(self.need),
            cancel_url=self.need_url,
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        if self.need.is_past:
            messages.error(request, self.past_message())
            return redirect(self.need_url)
        return self.render_form(PhoneOfferForm(need=self.need))

    def post(self, request, *args, **kwargs):
        form = PhoneOfferForm(request.POST, need=self.need)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            item = form.save(staff=request.user)
        except offers.OffersClosed:
            form.add_error(None, self.past_message())
            return self.render_form(form, status=400)
        if item.status == OfferStatus.CONFIRMED:
            message = gettext("The offer of %(name)s is recorded: confirmed.")
        else:
            message = gettext(
                "The offer of %(name)s is on the waiting list: the places are taken, or others "
                "were waiting first."
            )
        messages.success(request, message % {"name": who(item, request.user)})
        return redirect(self.need_url)


class WithdrawOfferView(OfferPermissionMixin, NeedMixin, WagtailAdminTemplateMixin, View):
    """GET asks to confirm; POST withdraws the offer and gives its places to those waiting
    (who are emailed)."""

    any_permission_required = None
    permission_required = "change"
    template_name = "campaigns/admin/help_withdraw.html"
    header_icon = "cross"

    def get_page_title(self):
        return _("Withdraw an offer")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        item = self.get_offer()
        if item.status == OfferStatus.WITHDRAWN:
            return self.already_withdrawn(item)
        context = self.get_context_data(
            offer=item,
            helper=who(item, request.user),
            need=self.need,
            action_url=request.path,
            cancel_url=self.need_url,
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        item = self.get_offer()
        if item.status == OfferStatus.WITHDRAWN:
            return self.already_withdrawn(item)
        promoted = offers.withdraw(item, user=request.user)
        messages.success(
            request,
            gettext("The offer of %(name)s is withdrawn.") % {"name": who(item, request.user)},
        )
        if promoted:
            names = ", ".join(who(waiting, request.user) for waiting in promoted)
            messages.success(
                request,
                gettext("Moved from the waiting list: %(names)s (confirmed and told).")
                % {"names": names},
            )
        return redirect(self.need_url)

    def already_withdrawn(self, item):
        messages.warning(
            self.request,
            gettext("The offer of %(name)s was already withdrawn.")
            % {"name": who(item, self.request.user)},
        )
        return redirect(self.need_url)


class ConfirmWaitingOfferView(OfferPermissionMixin, NeedMixin, View):
    """POST: confirm one waiting offer, even out of turn. When it does not fit, nothing
    changes and the message says what to do."""

    any_permission_required = None
    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.get_offer()
        name = who(item, request.user)
        if item.status != OfferStatus.WAITLISTED:
            messages.warning(
                request, gettext("The offer of %(name)s is not waiting any more.") % {"name": name}
            )
            return redirect(self.need_url)
        try:
            offers.confirm_waiting(item, user=request.user)
        except offers.NotEnoughPlaces:
            need = Need.objects.get(pk=self.need.pk)
            messages.error(
                request,
                ngettext(
                    "The offer of %(name)s is for %(quantity)s and %(free)s place is left. "
                    "Raise the number wanted or withdraw another offer first.",
                    "The offer of %(name)s is for %(quantity)s and %(free)s places are left. "
                    "Raise the number wanted or withdraw another offer first.",
                    need.places_left,
                )
                % {"name": name, "quantity": item.quantity, "free": need.places_left},
            )
            return redirect(self.need_url)
        messages.success(
            request,
            gettext("The offer of %(name)s moved from the waiting list: confirmed.")
            % {"name": name},
        )
        return redirect(self.need_url)


# Exports


class OffersExportView(PeopleExportMixin, View):
    """The confirmed then waiting (in order) offers of a need, or of every need of a campaign,
    as CSV (``?export=csv``, the default) or XLSX (``?export=xlsx``), in the user's language
    and time zone. Only for staff who may see helpers' details. What people typed never runs
    as a formula: CSV cells are escaped (helpers/spreadsheets.py), XLSX cells written as
    text."""

    export_headings = {
        "need": _("Need"),
        "kind": _("Kind"),
        "status": _("Status"),
        "position": _("Waiting list position"),
        "name": _("Name"),
        "quantity": _("How many"),
        "email": _("Email"),
        "phone": _("Phone"),
        "language": _("Preferred language"),
        "availability": _("Availability"),
        "note": _("Note"),
        "source": _("Source"),
        "created_at": _("Offered at"),
        "confirmed_at": _("Confirmed at"),
        "taken_by": _("Taken by"),
    }
    list_export = list(export_headings)

    def dispatch(self, request, *args, **kwargs):
        if not can_see_helper_details(request.user):
            raise PermissionDenied
        if "need_id" in kwargs:
            self.needs = Need.objects.filter(pk=kwargs["need_id"])
        else:
            self.needs = Need.objects.of(kwargs["campaign_key"])
        self.needs = list(self.needs.order_by("sort_order", "pk"))
        if not self.needs:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        if "need_id" in self.kwargs:
            return f"help-offers-need-{self.kwargs['need_id']}"
        pages = CampaignPage.objects.filter(translation_key=self.kwargs["campaign_key"])
        page = pages.order_by("pk").first()  # the original, in the language it was written
        return f"help-offers-{page.slug if page else self.kwargs['campaign_key']}"

    def rows(self):
        """For each need in its order: confirmed offers, then those waiting (``position``)."""
        found = (
            HelpOffer.objects.filter(need__in=self.needs)
            .exclude(status=OfferStatus.WITHDRAWN)
            .select_related("need", "taken_by")
            .order_by("created_at", "pk")
        )
        by_need = {need.pk: ([], []) for need in self.needs}
        for item in found:
            confirmed, waiting = by_need[item.need_id]
            if item.status == OfferStatus.CONFIRMED:
                item.position = ""
                confirmed.append(item)
            else:
                waiting.append(item)
                item.position = len(waiting)
        return [item for confirmed, waiting in by_need.values() for item in confirmed + waiting]

    def export_value(self, item, field):
        if field == "need":
            return item.need.title
        if field == "kind":
            return item.need.get_kind_display()
        return super().export_value(item, field)


# The viewset


class NeedViewSet(ModelViewSet):
    """The "Help offered" menu: the needs (list, add, edit, delete when unused) and, under
    them, each need's offers and the exports."""

    model = Need
    icon = "group"
    menu_label = _("Help offered")
    menu_name = "help-offered"
    url_prefix = "help-offered"
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50
    index_view_class = NeedIndexView
    add_view_class = NeedCreateView
    edit_view_class = NeedEditView
    delete_view_class = NeedDeleteView
    filterset_class = NeedFilterSet
    search_fields = ["title", "place"]
    list_display = [
        "title",
        Column("campaign", label=_("Campaign"), accessor="campaign_title"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("wanted", label=_("Wanted")),
        Column("taken", label=_("Confirmed")),
        Column("waiting", label=_("Waiting")),
        Column("state", label=_("State"), accessor=state_label),
    ]

    def get_form_class(self, for_update=False):
        return NeedAdminForm

    def get_urlpatterns(self):
        need = "<int:need_id>/"
        offer = f"{need}offers/<int:offer_id>/"
        return super().get_urlpatterns() + [
            path(f"{need}offers/", NeedOffersView.as_view(), name="offers"),
            path(f"{need}offers/add/", AddOfferView.as_view(), name="add_offer"),
            path(f"{offer}withdraw/", WithdrawOfferView.as_view(), name="withdraw"),
            path(f"{offer}confirm/", ConfirmWaitingOfferView.as_view(), name="confirm"),
            path(f"{need}open/", NeedOpenView.as_view(), name="open"),
            path(f"{need}export/", OffersExportView.as_view(), name="export"),
            path(
                "campaign/<uuid:campaign_key>/export/",
                OffersExportView.as_view(),
                name="export_campaign",
            ),
        ]

    def get_permissions_to_register(self):
        """Every Need permission (seeing helpers' details included) and those on offers
        the admin uses (never "delete": offers are withdrawn)."""
        return Permission.objects.filter(
            Q(content_type__app_label="campaigns", content_type__model="need")
            | Q(
                content_type__app_label="campaigns",
                content_type__model="helpoffer",
                codename__in=OFFER_PERMISSIONS,
            )
        )


def help_viewset():
    return NeedViewSet(URL_NAMESPACE)
