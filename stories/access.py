"""Who may use the project leaders' space, and what they may touch in it."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect

from wagtail.models import Page

from campaigns.models import CampaignPage

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
    led = CampaignPage.objects.filter(leaders=user, locale__language_code=settings.LANGUAGE_CODE)
    return Page.objects.filter(pk__in=led.values("pk")).order_by("title")


def originals(pages):
    """``pages`` without language copies (aliases) and translations: only the pages first
    written, that their author owns (a translation is the reviewers' work)."""
    earlier = Page.objects.filter(
        translation_key=OuterRef("translation_key"), alias_of__isnull=True, pk__lt=OuterRef("pk")
    )
    return pages.filter(alias_of__isnull=True).exclude(Exists(earlier))


def original_page(page):
    """The page ``page`` stands for: itself, or the page a copy or a translation was made
    from (the first page written with its translation key)."""
    return (
        Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
        .order_by("pk")
        .first()
        or page
    )


def redirect_copies(view, argument="story_id"):
    """For a space view taking a page id: a URL naming a language copy or a translation of
    the leader's own page redirects (302) to the same URL for that page; naming a copy of
    somebody else's, 404. Other ids go to ``view`` (which 404s what is not the leader's)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_leader(request.user):
            page = Page.objects.filter(pk=kwargs[argument]).first()
            original = original_page(page) if page is not None else None
            if original is not None and original.pk != page.pk:
                if original.owner_id != request.user.pk:
                    raise Http404
                match = request.resolver_match
                return redirect(match.view_name, **{**match.kwargs, argument: original.pk})
        return view(request, *args, **kwargs)

    return wrapper
