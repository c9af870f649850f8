"""The "Project leaders" admin menu: staff list leaders, create their accounts and edit them.

Creating a leader makes a user without a password in the "Project leaders" group, their
public profile, adds them to the chosen campaigns (in every language) and emails them, in
their language, a link to choose their password. Only superusers and staff allowed to create
users (auth.add_user) see the menu and its views. Registered in wagtail_hooks.py.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from campaigns.models import CampaignPage

from .access import leader_campaigns
from .accounts import INVITATION, queue_password_link
from .models import LeaderProfile
from .workflow import ensure_groups

# Campaigns


def campaign_choices():
    """Every campaign page of the default language (the one leaders are attached to)."""
    pages = Page.objects.exact_type(CampaignPage)
    return pages.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")


def set_leader_campaigns(user, pages):
    """Make ``user`` a leader of exactly ``pages`` (default-language campaign pages), in every
    language of each. Return (added, removed) lists of default-language pages."""
    wanted = {page.pk: page for page in pages}
    current = {page.pk: page for page in leader_campaigns(user)}
    added = [page for pk, page in wanted.items() if pk not in current]
    removed = [page for pk, page in current.items() if pk not in wanted]
    for page in added:
        _change_leaders(page, user, add=True)
    for page in removed:
        _change_leaders(page, user, add=False)
    return added, removed


def _change_leaders(page, user, add):
    for version in page.get_translations(inclusive=True).specific():
        if add:
            version.leaders.add(user)
        else:
            version.leaders.remove(user)
        # Only the leaders change: no validation of the rest of the campaign, no new revision
        version.save(update_fields=["leaders"], clean=False)
        _change_latest_revision(version, user, add)


def _change_latest_revision(page, user, add):
    """Editors open a page from its latest revision: make it agree, or the next publish
    would silently undo the change."""
    revision = page.latest_revision
    if revision is None or not isinstance(revision.content.get("leaders"), list):
        return
    leaders = [pk for pk in revision.content["leaders"] if pk != user.pk]
    if add:
        leaders.append(user.pk)
    if leaders != revision.content["leaders"]:
        revision.content["leaders"] = leaders
        revision.save(update_fields=["content"])


# Who may manage leaders


class LeaderPermissionPolicy(ModelPermissionPolicy):
    """Listing, creating and editing leaders all need auth.add_user (superusers have it);
    leader profiles are never deleted here (make the leader inactive instead)."""

    def __init__(self):
        super().__init__(LeaderProfile, auth_model=settings.AUTH_USER_MODEL)

    def _get_permission_codename(self, action):
        return super()._get_permission_codename("add")

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Forms


def campaigns_field(required):
    return forms.ModelMultipleChoiceField(
        label=_("Campaigns"),
        queryset=campaign_choices(),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The leader can write stories about these campaigns, in every language."),
    )


class LeaderCreateForm(forms.ModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user_model = get_user_model()
        # formfield() leaves out the model field's validator of the allowed characters
        self.fields["username"] = user_model._meta.get_field("username").formfield(
            validators=[user_model.username_validator]
        )
        self.fields["email"] = user_model._meta.get_field("email").formfield(
            required=True,
            help_text=_("The link to choose a password is sent to this address."),
        )
        self.fields["campaigns"] = campaigns_field(required=True)
        self.order_fields(["username", "email", "public_name", "language", "campaigns"])

    class Meta:
        model = LeaderProfile
        fields = ["public_name", "language"]

    def clean_username(self):
        username = get_user_model().normalize_username(self.cleaned_data["username"])
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with that username already exists."))
        return username

    def clean_email(self):
        email = get_user_model()._default_manager.normalize_email(self.cleaned_data["email"])
        if get_user_model()._default_manager.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with that email address already exists."))
        return email


class LeaderEditForm(forms.ModelForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive leader can no longer sign in. Their stories stay on the site."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaigns"] = campaigns_field(required=False)
        user = self.instance.user
        self.initial.setdefault("campaigns", list(leader_campaigns(user)))
        self.initial.setdefault("is_active", user.is_active)

    class Meta:
        model = LeaderProfile
        fields = ["public_name", "language"]


# Views


def campaign_count(profile):
    return profile.campaign_count


class LeaderIndexView(generic.IndexView):
    def get_base_queryset(self):
        in_default_language = Q(user__led_campaigns__locale__language_code=settings.LANGUAGE_CODE)
        return (
            super()
            .get_base_queryset()
            .select_related("user")
            .annotate(campaign_count=Count("user__led_campaigns", filter=in_default_language))
        )


class LeaderCreateView(generic.CreateView):
    page_title = _("New project leader")
    success_message = _(
        "Project leader '%(object)s' created. An email with a link to choose a password was "
        "sent to them."
    )

    def save_instance(self):
        data = self.form.cleaned_data
        user = get_user_model().objects.create_user(data["username"], data["email"])
        leaders_group, _reviewers = ensure_groups()
        user.groups.add(leaders_group)
        profile = self.form.save(commit=False)
        profile.user = user
        profile.save()
        set_leader_campaigns(user, data["campaigns"])
        log(instance=profile, action="wagtail.create", user=self.request.user)
        request = self.request
        transaction.on_commit(lambda: queue_password_link(request, user, INVITATION))
        return profile


class LeaderEditView(generic.EditView):
    def save_instance(self):
        profile = self.form.save()
        user = profile.user
        if user.is_active != self.form.cleaned_data["is_active"]:
            user.is_active = self.form.cleaned_data["is_active"]
            user.save(update_fields=["is_active"])
        added, removed = set_leader_campaigns(user, self.form.cleaned_data["campaigns"])
        log(
            instance=profile,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed() or bool(added or removed),
        )
        return profile


class LeaderViewSet(ModelViewSet):
    model = LeaderProfile
    name = "project_leaders"
    url_prefix = "project-leaders"
    icon = "group"
    menu_label = _("Project leaders")
    menu_order = 610  # after pages, images, documents and snippets
    add_to_admin_menu = True
    index_view_class = LeaderIndexView
    add_view_class = LeaderCreateView
    edit_view_class = LeaderEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_fields = ["public_name", "user__username", "user__email"]
    search_backend_name = None  # LeaderProfile is not indexed: search with the ORM
    ordering = "public_name"
    list_display = [
        "public_name",
        Column("username", label=_("Username"), accessor="user.username"),
        Column("email", label=_("Email"), accessor="user.email"),
        Column("language", label=_("Language"), accessor="get_language_display"),
        Column("campaigns", label=_("Campaigns"), accessor=campaign_count),
        BooleanColumn("active", label=_("Active"), accessor="user.is_active"),
    ]

    def get_form_class(self, for_update=False):
        return LeaderEditForm if for_update else LeaderCreateForm

    def get_permissions_to_register(self):
        # Access is decided by auth.add_user: offer no separate "leader profile" permissions
        return Permission.objects.none()
