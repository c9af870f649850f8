"""Project leaders' accounts: sign in, sign out, set and reset a password.

Only leaders (group "Project leaders") may sign in here; staff use the Wagtail admin. Links to
set a password (invitation from the admin, or "forgot your password") are emailed in the
leader's own language and point to the page in that language. The emails are sent by a
background task, so that answering a reset request takes the same time whether or not the
address belongs to someone.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from django_tasks import task

from helpers.emails import render_subject

from .access import is_leader
from .workflow import LEADERS_GROUP

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
EMAIL_KINDS = (INVITATION, PASSWORD_RESET)

NOT_A_LEADER = _(
    "This space is for project leaders. Members of the association's team sign in to the "
    "administration, at /admin/."
)


# Emails with a link to set a password


def password_link_path(user):
    """The path of the page where ``user`` sets a password, in the active language."""
    return reverse(
        "stories:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def email_language(user, fallback=None):
    profile = getattr(user, "leader_profile", None)
    return profile.language if profile else (fallback or translation.get_language())


@task()
def send_password_link(user_id, kind, base_url, fallback_language):
    """Email the active user ``user_id`` a link to set their password (``kind``: "invitation"
    for a new account, "password_reset" when they asked). ``base_url`` is the site's address
    as the request saw it. Return True if an email was sent."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .select_related("leader_profile")
        .first()
    )
    if user is None or not user.email:
        return False
    profile = getattr(user, "leader_profile", None)
    with translation.override(email_language(user, fallback_language)):
        context = {
            "name": profile.public_name if profile else user.get_username(),
            "username": user.get_username(),
            "url": urljoin(base_url, password_link_path(user)),
            "login_url": urljoin(base_url, reverse("stories:login")),
            "reset_url": urljoin(base_url, reverse("stories:password_reset")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        }
        subject = render_subject(f"stories/email/{kind}_subject.txt", context)
        body = render_to_string(f"stories/email/{kind}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def queue_password_link(request, user, kind):
    """Queue the email of ``send_password_link`` for ``user``, links on the request's host."""
    return send_password_link.enqueue(
        user.pk, kind, request.build_absolute_uri("/"), translation.get_language()
    )


# Forms


class LeaderAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing (with the right password) anyone not a project leader."""

    error_messages = {**AuthenticationForm.error_messages, "not_leader": NOT_A_LEADER}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_leader(user):
            raise ValidationError(self.error_messages["not_leader"], code="not_leader")


class LeaderPasswordResetForm(PasswordResetForm):
    """Send a link to the project leaders with that address, and to nobody else.

    Unlike Django's form, leaders who never chose a password (invited, link expired) are
    included: "forgot your password?" is how they get a new link."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, groups__name=LEADERS_GROUP
        )
        return [user for user in users.distinct() if user.email.casefold() == email.casefold()]

    def save(self, request=None, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            queue_password_link(request, user, PASSWORD_RESET)


class LeaderSetPasswordForm(SetPasswordForm):
    """Django's form, with the password rules as plain text (the site's field template shows
    help in a <span>, where Django's HTML list does not belong)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())


# Views


class LeaderLoginView(auth_views.LoginView):
    template_name = "stories/accounts/login.html"
    authentication_form = LeaderAuthenticationForm

    def get(self, request, *args, **kwargs):
        if is_leader(request.user):
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)


class LeaderLogoutView(auth_views.LogoutView):
    """POST only (Django's default): sign out, back to the login page with a notice."""

    next_page = reverse_lazy("stories:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response


class LeaderPasswordResetView(auth_views.PasswordResetView):
    template_name = "stories/accounts/password_reset_form.html"
    form_class = LeaderPasswordResetForm
    success_url = reverse_lazy("stories:password_reset_done")


class LeaderPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "stories/accounts/password_reset_done.html"


class LeaderPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "stories/accounts/password_reset_confirm.html"
    form_class = LeaderSetPasswordForm
    success_url = reverse_lazy("stories:password_reset_complete")


class LeaderPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "stories/accounts/password_reset_complete.html"
