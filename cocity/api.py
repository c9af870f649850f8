"""The read-only JSON API (Wagtail API v2) at /api/v2/: pages, images, documents.

Partners read every language through it (docs/api.md). What is public and nothing more:
- pages: live pages of the site that carry no view restriction (Wagtail's public queryset),
  each serialized in its own language (labels, money and linked pages in that language);
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
from django.db.models import CharField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, ReferenceIndex, Site

from home.api import DETAIL_ONLY_FIELDS


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


class PagesEndpoint(CachedMixin, PagesAPIViewSet):
    base_serializer_class = LocalizedPageSerializer
    detail_only_fields = DETAIL_ONLY_FIELDS

    def get_base_queryset(self):
        """Wagtail's public pages, minus the untranslated copies (aliases) of pages that are
        not public: a restriction added to a French page does not reach its copies in the
        other language trees, though the site itself asks for the password there too."""
        public = super().get_base_queryset()
        return public.exclude(Q(alias_of__isnull=False) & ~Q(alias_of__in=public.values("pk")))

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
        public_pages = (
            get_public_pages_queryset(self.request)
            .annotate(text_id=Cast("pk", CharField()))
            .values("text_id")
        )
        used = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=Subquery(public_pages),
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


class ImagesEndpoint(CachedMixin, PublicUsageMixin, ImagesAPIViewSet):
    model = get_image_model()


class DocumentsEndpoint(CachedMixin, PublicUsageMixin, DocumentsAPIViewSet):
    model = get_document_model()


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
