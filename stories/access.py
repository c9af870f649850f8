"""Who may use the project leaders' space, and what they may touch in it."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from wagtail.models import Page

from .workflow import LEADERS_GROUP


def is_leader(user):
    """True for an active user of the "Project leaders" group."""
    return (
        user.is_authenticated and user.is_active and user.groups.filter(name=LEADERS_GROUP).exists()
    )


def leader_required(view):
    """Send anonymous visitors to the leaders' login page; refuse (403) anyone else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LEADER_LOGIN_URL)
        if not is_leader(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def leader_campaigns(user):
    """The campaign pages (default language) this leader leads, as a Page queryset."""
    return Page.objects.filter(
        campaignpage__leaders=user, locale__language_code=settings.LANGUAGE_CODE
    ).order_by("title")
