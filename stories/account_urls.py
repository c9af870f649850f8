"""URLs of the leaders' accounts, included into stories/urls.py (namespace "stories")."""

from django.urls import path

from helpers.ratelimit import limit_logins, per_ip, rate_limited

from . import accounts

urlpatterns = [
    path(
        "space/login/",
        limit_logins(accounts.LeaderLoginView.as_view()),
        name="login",
    ),
    path("space/logout/", accounts.LeaderLogoutView.as_view(), name="logout"),
    path(
        "space/password/reset/",
        rate_limited(per_ip, scope="stories.password_reset")(
            accounts.LeaderPasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path(
        "space/password/reset/done/",
        accounts.LeaderPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "space/password/reset/complete/",
        accounts.LeaderPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "space/password/reset/<uidb64>/<token>/",
        accounts.LeaderPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
