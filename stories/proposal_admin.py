"""The "Project proposals" admin menu: staff triage proposals (new → in discussion →
accepted or declined with a message) and enter those that came by phone.

Accepting a proposal creates a draft campaign page for its leader (their account is created
and invited when the proposer has none); declining emails the message to the proposer, in
their language (proposal_actions.py). Access follows the model permissions on proposals
(add, change, view — the "Communications" group has them): staff without any see nothing.
Registered in wagtail_hooks.py.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from campaigns.models import District

from . import proposal_actions
from .proposal_forms import AmountField
from .proposals import Proposal, ProposalSource, ProposalStatus
from .workflow import LEADERS_GROUP


def default_districts(request=None):
    return District.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("code")


def leader_users():
    return (
        get_user_model()
        ._default_manager.filter(groups__name=LEADERS_GROUP, is_active=True)
        .select_related("leader_profile")
        .order_by("username")
    )


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        profile = getattr(user, "leader_profile", None)
        name = profile.public_name if profile else ""
        return f"{name} ({user.get_username()}, {user.email})" if name else user.get_username()


class ProposalFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ProposalStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=default_districts, empty_label=_("All")
    )
    source = django_filters.ChoiceFilter(
        label=_("Came from"), choices=ProposalSource.choices, empty_label=_("All")
    )

    class Meta:
        model = Proposal
        fields = ["status", "district", "source"]


class ProposalAdminForm(WagtailAdminModelForm):
    """Every field of a proposal; the decision (status, message) is checked here so that a
    proposal that cannot be accepted yet says why, next to the status."""

    budget = AmountField(
        label=_("Rough budget (€)"), help_text=_("In euros, e.g. 1 500 or 750,50.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Proposal
        fields = [
            "status",
            "decline_message",
            "title",
            "district",
            "purpose",
            "languages",
            "other_languages",
            "name",
            "email",
            "phone",
            "language",
            "contact_consent",
            "leader",
        ]
        field_classes = {"leader": LeaderChoiceField}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = default_districts()
        self.fields["district"].empty_label = _("Another place, or does not know")
        self.fields["leader"].queryset = leader_users()
        self.fields["leader"].help_text = _(
            "The project leader account the campaign goes to. Empty: an account is created "
            "with the email above when the proposal is accepted."
        )
        self.fields["phone"].help_text = _("For proposals made by phone: email or phone needed.")
        self.order_fields(["status", "decline_message", "title", "district", "purpose", "budget"])
        self.was_accepted = self.instance.pk and self.instance.status == ProposalStatus.ACCEPTED
        if self.instance.pk:
            self.initial.setdefault("budget", str(self.instance.budget_cents // 100))
            if self.instance.budget_cents % 100:
                self.initial["budget"] = f"{self.instance.budget_cents / 100:.2f}"
        if self.was_accepted:
            # The campaign exists: the decision stays (the campaign page is edited instead)
            self.fields["status"].disabled = True
            self.fields["leader"].disabled = True

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if not cleaned.get("email") and not cleaned.get("phone") and not cleaned.get("leader"):
            self.add_error("email", _("Give an email address or a phone number."))
        if status == ProposalStatus.DECLINED and not cleaned.get("decline_message", "").strip():
            self.add_error(
                "decline_message", _("Write the message the proposer gets with the decision.")
            )
        if status == ProposalStatus.ACCEPTED and not self.was_accepted:
            candidate = Proposal(email=cleaned.get("email", ""), leader=cleaned.get("leader"))
            try:
                proposal_actions.leader_for(candidate)
                if proposal_actions.campaign_listing() is None:
                    raise proposal_actions.CannotAccept(
                        _("There is no campaign listing to put the campaign in: create one.")
                    )
            except proposal_actions.CannotAccept as reason:
                self.add_error("status", str(reason))
        return cleaned

    def save(self, commit=True):
        self.instance.budget_cents = self.cleaned_data["budget"]
        self.instance.languages = list(self.cleaned_data["languages"])
        return super().save(commit=commit)


def contact(proposal):
    return " · ".join(part for part in (proposal.email, proposal.phone) if part)


def campaign_link(proposal):
    if proposal.campaign_id is None:
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("wagtailadmin_pages:edit", args=[proposal.campaign_id]),
        _("Draft campaign"),
    )


class DecisionMixin:
    """Apply the decision once the proposal is saved: accepting creates the draft campaign,
    declining emails the message."""

    def save_instance(self):
        previous = None
        if self.form.instance.pk:
            previous = Proposal.objects.filter(pk=self.form.instance.pk).values_list(
                "status", flat=True
            )[0]
        proposal = super().save_instance()
        self.decided = None
        if proposal.status != previous:
            if proposal.status == ProposalStatus.ACCEPTED:
                proposal_actions.accept(proposal, self.request.user, self.request)
                self.decided = ProposalStatus.ACCEPTED
            elif proposal.status == ProposalStatus.DECLINED:
                proposal_actions.decline(proposal, self.request.user)
                self.decided = ProposalStatus.DECLINED
        return proposal

    def decision_message(self):
        if self.decided == ProposalStatus.ACCEPTED:
            return _(
                "Proposal '%(object)s' accepted: its draft campaign page is created, with "
                "%(leader)s as its leader, who can now write it from their space. Check its "
                "dates when you review it."
            ) % {"object": self.object, "leader": self.object.leader.get_username()}
        if self.decided == ProposalStatus.DECLINED:
            if proposal_actions.proposer_email(self.object):
                return _("Proposal '%(object)s' declined: your message is emailed to them.") % {
                    "object": self.object
                }
            return _(
                "Proposal '%(object)s' declined. It has no email address: tell them by phone."
            ) % {"object": self.object}
        return None


class ProposalCreateView(DecisionMixin, generic.CreateView):
    page_title = _("New proposal (by phone, at a workshop…)")

    def get_success_message(self, instance):
        return self.decision_message() or super().get_success_message(instance)


class ProposalEditView(DecisionMixin, generic.EditView):
    def get_success_message(self):
        return self.decision_message() or super().get_success_message()


class ProposalViewSet(ModelViewSet):
    model = Proposal
    name = "proposals"
    url_prefix = "proposals"
    icon = "help"
    menu_label = _("Project proposals")
    menu_order = 620  # after the project leaders
    add_to_admin_menu = True
    add_view_class = ProposalCreateView
    edit_view_class = ProposalEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False
    filterset_class = ProposalFilterSet
    search_fields = ["title", "name", "email", "phone"]
    search_backend_name = None  # not indexed: search with the ORM
    ordering = "-created_at"
    list_display = [
        "title",
        Column("name", label=_("Proposed by"), accessor="name"),
        Column("contact", label=_("Contact"), accessor=contact),
        Column("district", label=_("District"), accessor="district"),
        Column("budget", label=_("Rough budget"), accessor="budget_display"),
        "status",
        "source",
        DateColumn("created_at", label=_("Received on")),
        Column("campaign", label=_("Campaign"), accessor=campaign_link),
    ]
    inspect_view_fields = [
        "title",
        "status",
        "decline_message",
        "district",
        "purpose",
        "budget_cents",
        "languages",
        "other_languages",
        "name",
        "email",
        "phone",
        "language",
        "contact_consent",
        "source",
        "leader",
        "campaign",
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return ProposalAdminForm
