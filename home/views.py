"""Views of the site frame that are not Wagtail pages: search, robots.txt."""

import logging

from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Page

from .i18n import active_locale
from .search import search_terms
from .visibility import public_pages

logger = logging.getLogger(__name__)

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search(request):
    """Search the pages of the reader's language that the public may see.

    ``q`` longer than SEARCH_QUERY_MAX_LENGTH gets a 400 with a message; a bad page number
    shows the nearest valid page. Search syntax means nothing here (see home/search.py); if
    the search backend still refuses the words, a 400 says so instead of a 500.
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
    elif search_terms(query):
        pages = public_pages(Page.objects.filter(locale=active_locale())).specific()
        try:
            with transaction.atomic():  # a database error must not break the page's queries
                results = Paginator(
                    pages.search(search_terms(query)), SEARCH_RESULTS_PER_PAGE
                ).get_page(request.GET.get("page"))
                results.object_list = list(results.object_list)
        except DatabaseError:
            logger.warning("A search was refused by the database", exc_info=True)
            results = None
            error = _("We could not understand this search. Try other words.")
            status = 400
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
