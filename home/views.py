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

from helpers.i18n import active_locale
from helpers.visibility import public_pages

from .search import find_pages, search_results, search_terms

logger = logging.getLogger(__name__)

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search(request):
    """Search the pages of the reader's language that the public may see, in whole words
    and in parts of words (home/search.py), at most SEARCH_RESULTS_MAX results.

    ``q`` longer than SEARCH_QUERY_MAX_LENGTH gets a 400 with a message; a bad page number
    shows the nearest valid page. Search syntax means nothing here (see home/search.py); if
    the search backend still refuses the words, a 400 says so instead of a 500. The page's
    queries do not grow with the number of results (home.search.search_results).
    """
    query = request.GET.get("q", "").strip()
    terms = search_terms(query)
    error = ""
    results = None
    status = 200
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        error = _("Your search is too long: please use at most %(max)s characters.") % {
            "max": SEARCH_QUERY_MAX_LENGTH
        }
        status = 400
    elif terms:
        locale = active_locale()
        pages = public_pages(Page.objects.filter(locale=locale, depth__gt=1))  # not the root
        try:
            with transaction.atomic():  # a database error must not break the page's queries
                found = find_pages(pages, terms)
        except DatabaseError:
            logger.warning("A search was refused by the database", exc_info=True)
            error = _("We could not understand this search. Try other words.")
            status = 400
        else:
            results = Paginator(found, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            results.object_list = search_results(results.object_list, locale.language_code)
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
