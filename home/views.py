"""Views of the site frame that are not Wagtail pages: search, robots.txt."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Page

from .i18n import active_locale

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search(request):
    """Search the live pages of the reader's language.

    ``q`` longer than SEARCH_QUERY_MAX_LENGTH gets a 400 with a message; a bad page number
    shows the nearest valid page.
    """
    query = request.GET.get("q", "").strip()
    error = ""
    results = None
    status = 200
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        error = _("Your search is too long: please use at most %(max)s characters.") % {
            "max": SEARCH_QUERY_MAX_LENGTH
        }
        status = 400
    elif query:
        pages = Page.objects.live().public().filter(locale=active_locale()).specific()
        results = Paginator(pages.search(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "home/search.html",
        {"query": query, "results": results, "error": error},
        status=status,
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """robots.txt: everything public may be crawled except the admin and search results."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain",
    )
