"""The read-only JSON API (Wagtail API v2) at /api/v2/: pages, images, documents.

Partners read every language through it (docs/api.md). What is public and nothing more:
- pages: the pages of the site that the public may see (helpers/visibility.py: live, no view
  restriction, no untranslated copy of a restricted page), each serialized in its own
  language (labels, money and linked pages in that language);
- links to other pages (blocks, a story's campaign…): only to pages the public may see;
- images and documents: only those a public page uses (the reference index), so a photo a
  project leader uploaded for a story still in review is not listed;
- every page type lists what it shows in ``api_fields``: never leaders, owners, donors,
  registrants or anything personal.

Listings cost a fixed number of queries whatever their length: each page type may declare
``api_queryset(queryset)`` (joins and annotations) and ``api_prefetch(pages)`` (batch work
on one page of results, e.g. linked pages in each language).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from rest_framework.filters import BaseFilterBackend

from helpers.api import DETAIL_ONLY_FIELDS
from helpers.visibility import public_pages
from home.search import find_pages, search_terms

MAX_OFFSET = 2**31 - 1  # past it, databases fail on the number itself; long past any listing
# Pages one search finds at most (best first; docs/api.md): a partner refines a search long
# before reading this many, and the cost stays bounded.
API_SEARCH_RESULTS_MAX = 500


class LocalizedPageSerializer(PageSerializer):
    """Serializes each page in its own language: status labels, formatted money and
    linked pages come out in the language of the page, whatever the request's."""

    def to_representation(self, instance):
        with translation.override(instance.locale.language_code):
            return super().to_representation(instance)


class CachedMixin:
    """Public, cacheable responses (shared caches and browsers keep them a few minutes)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
        else:
            response["Cache-Control"] = "no-store"
        return response


class PublicSearchFilter(BaseFilterBackend):
    """Wagtail's ``?search=`` (``?search_operator=and|or``; ordered by relevance unless
    ``?order=``), with the words made safe for the database backends (home/search.py) and a
    400 with a message for what the search cannot do."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError(_("search_operator must be “and” or “or”."))
        if getattr(queryset, "_filtered_by_tag", False):  # set by Wagtail's FieldsFilter
            raise BadRequestError(_("Cannot filter by tag while searching."))
        terms = search_terms(request.GET["search"])
        by_relevance = "order" not in request.GET
        try:
            if not issubclass(queryset.model, Page):
                return get_search_backend().search(
                    terms, queryset, operator=operator, order_by_relevance=by_relevance
                )
            # Pages: parts of words too (Chinese, Arabic), as the site's search finds them
            with transaction.atomic():  # a refused search must not break the request's queries
                found = find_pages(
                    queryset,
                    terms,
                    limit=API_SEARCH_RESULTS_MAX,
                    operator=operator,
                    order_by_relevance=by_relevance,
                )
        except DatabaseError as error:
            raise BadRequestError(
                _("We could not understand this search. Try other words.")
            ) from error
        except (FilterFieldError, OrderByFieldError) as error:
            field = "random" if error.field_name == "?" else error.field_name
            raise BadRequestError(
                _("Cannot filter or order by “%(field)s” while searching.") % {"field": field}
            ) from error
        pages = queryset.filter(pk__in=found)
        if not by_relevance:
            return pages  # the listing's order, kept by the filter
        return pages.order_by(
            Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(found)), default=None)
        )


def with_public_search(filter_backends):
    return [PublicSearchFilter if f is SearchFilter else f for f in filter_backends]


class ListingMixin:
    """Listings that search, and whose offset stays a number every database can read."""

    def get_queryset(self):
        """When searching, the visible rows by their ids: the search backends accept only
        filters on indexed fields, and what is public is decided by subqueries they cannot
        read (an alias's original, the pages that use an image). ``id`` is indexed on pages,
        images and documents; the listing's order is kept, and joins and annotations are
        added afterwards."""
        queryset = super().get_queryset()
        if "search" not in self.request.GET:
            return queryset
        visible = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        return visible.order_by(*queryset.query.order_by)

    def paginate_queryset(self, queryset):
        try:
            offset = int(self.request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's pagination answers that one
        if offset > MAX_OFFSET:
            raise BadRequestError(_("offset cannot be higher than %(max)s") % {"max": MAX_OFFSET})
        return super().paginate_queryset(queryset)


class PagesEndpoint(CachedMixin, ListingMixin, PagesAPIViewSet):
    base_serializer_class = LocalizedPageSerializer
    detail_only_fields = DETAIL_ONLY_FIELDS
    filter_backends = with_public_search(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self):
        """The pages of the site that the public may see (helpers/visibility.py: no view
        restriction, no untranslated copy of a restricted page), whoever asks: answers are
        cached as public, so a signed-in visitor's groups or passwords must not count."""
        return public_pages(super().get_base_queryset())

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        locale = self.request.GET.get("locale")
        codes = [code for code, _name in settings.LANGUAGES]
        if locale is not None and locale not in codes:
            raise BadRequestError(
                _("Unknown locale “%(locale)s”: use one of %(codes)s.")
                % {"locale": locale, "codes": ", ".join(codes)}
            )

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale", "alias_of")
        optimise = getattr(queryset.model, "api_queryset", None)
        return optimise(queryset) if optimise else queryset

    def paginate_queryset(self, queryset):
        pages = super().paginate_queryset(queryset)
        prefetch = getattr(queryset.model, "api_prefetch", None)
        if prefetch and pages:
            prefetch(pages)
        return pages

    def find_object(self, queryset, request):
        """``?html_path=`` with the site's language prefix (``/ar/campagnes/…``): route from
        the home page of that language."""
        path = request.GET.get("html_path", "")
        language = get_language_from_path(path)
        site = Site.find_for_request(request)
        if not language or site is None:
            return super().find_object(queryset, request)
        locale = Locale.objects.filter(language_code=language).first()
        home = site.root_page.get_translation_or_none(locale) if locale else None
        if home is None:
            return None
        components = [part for part in path.split("/") if part][1:]
        try:
            page, _args, _kwargs = home.specific.route(request, components)
        except Http404:
            return None
        return page if queryset.filter(pk=page.pk).exists() else None

    def get_object(self):
        page = super().get_object()
        prefetch = getattr(type(page), "api_prefetch", None)
        if prefetch:
            prefetch([page])
        return page


class PublicUsageMixin:
    """Only the objects that a live, public page uses."""

    def get_queryset(self):
        model = self.model
        shown_pages = (
            public_pages(get_public_pages_queryset(self.request))
            .annotate(text_id=Cast("pk", CharField()))
            .values("text_id")
        )
        used = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=Subquery(shown_pages),
            to_content_type=ContentType.objects.get_for_model(model),
            to_object_id=OuterRef("text_id"),
        )
        return (
            super()
            .get_queryset()
            .annotate(text_id=Cast("pk", CharField()))
            .filter(Exists(used))
            .order_by("id")
        )


class ImagesEndpoint(CachedMixin, ListingMixin, PublicUsageMixin, ImagesAPIViewSet):
    model = get_image_model()
    filter_backends = with_public_search(ImagesAPIViewSet.filter_backends)


class DocumentsEndpoint(CachedMixin, ListingMixin, PublicUsageMixin, DocumentsAPIViewSet):
    model = get_document_model()
    filter_backends = with_public_search(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
