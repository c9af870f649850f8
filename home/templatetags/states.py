"""Template tags of the finishing states (empty listings, no search results, 404): where to
go next, and how to undo a listing's filters."""

from django import template
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.http import urlencode

from wagtail.models import Page

from helpers.i18n import active_locale
from helpers.visibility import public_pages
from home.models import ListingPage

register = template.Library()


@register.simple_tag
def browse_pages():
    """The listing pages (campaigns, stories, workshops…) of the reader's language that the
    public may see, in menu order: the places to go when a search or an address led nowhere.
    One query (plus the private sections', once per request)."""
    listing_types = ContentType.objects.get_for_models(
        *(model for model in apps.get_models() if issubclass(model, ListingPage))
    ).values()
    return list(
        public_pages(
            Page.objects.filter(locale=active_locale(), depth=3, content_type__in=listing_types)
        ).order_by("path")
    )


@register.filter
def filters_applied(filters):
    """True if the visitor chose a value in one of ``filters`` (bound ListingFilters)."""
    return any(listing_filter.value for listing_filter in filters or ())


@register.simple_tag(takes_context=True)
def unfiltered_url(context, keep=()):
    """The listing's own address without its filters (and page number), keeping the
    ``keep`` (name, value) pairs (a tab)."""
    query = urlencode(list(keep or ()))
    return context["request"].path + (f"?{query}" if query else "")
