"""What the JSON API (cocity/api.py) shows of pages: the serializer pieces every page type
uses in its ``api_fields``, and the block representations. docs/api.md documents it.

Page types import these pieces; what is public is decided in cocity/api.py.
"""

import re

from django.db.models import Prefetch
from django.utils import translation

from wagtail.api.utils import get_base_url, get_full_url
from wagtail.images import get_image_model
from wagtail.models import Page

from rest_framework import serializers

from .i18n import localize_pages

# Fields too heavy for listings (StreamFields, related lists): detail view only.
DETAIL_ONLY_FIELDS = [
    "parent",
    "body",
    "key_figures",
    "budget_lines",
    "related_campaigns",
    "hero_cta",
]


# Renditions the block templates ask for ({% picture … format-{webp,jpeg} width-{480,800,1200} %}),
# prefetched with the images so that a page with thirty images costs the same number of
# queries as a page with three.
IMAGE_RENDITION_SPECS = tuple(
    f"format-{image_format}|width-{width}"
    for image_format in ("webp", "jpeg")
    for width in (480, 800, 1200)
)


def absolute(request, url):
    """``url`` as an absolute address on the site's own host, as Wagtail writes the pages'
    ``html_url`` (the API is read from other sites)."""
    if not url:
        return url
    return get_full_url(request, url)


def absolute_links(html, request):
    """Rich text HTML with the site's own links and images made absolute, so that a partner
    can show it on another site."""
    base = get_base_url(request) if html else None
    if not base:
        return html
    return SITE_RELATIVE.sub(lambda match: f'{match["attribute"]}="{base}/', html)


SITE_RELATIVE = re.compile(r'(?P<attribute>\b(?:href|src))="/(?!/)')


def image_data(image, alt, request):
    """An image as the API shows it: renditions (the sizes the site itself uses), alt text."""
    if image is None:
        return None
    renditions = image.get_renditions(*IMAGE_RENDITION_SPECS)
    sources = []
    for spec, rendition in renditions.items():
        image_format = spec.split("|")[0].removeprefix("format-")
        sources.append(
            {
                "url": absolute(request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "format": image_format,
            }
        )
    default = renditions["format-jpeg|width-800"]
    return {
        "id": image.pk,
        "url": absolute(request, default.url),
        "width": default.width,
        "height": default.height,
        "alt": alt or "",
        "sources": sources,
    }


def page_link(page, request):
    """A page another one links to: id, title and address, in the language being served
    (``page`` already localized by the caller)."""
    if page is None:
        return None
    return {
        "id": page.pk,
        "type": page.specific_class._meta.label if page.specific_class else None,
        "title": page.title,
        "html_url": page.get_full_url(request),
        "locale": translation.get_language(),
    }


def localized_link(page, request):
    """``page`` (in any language) as a link to its public version in the active language;
    None when the public may not see it."""
    if page is None:
        return None
    return page_link(localize_pages([page])[page.pk], request)


class ImageField(serializers.Field):
    """A page's image with the alternative text the page gives it: use with ``source="*"``
    and the names of the page's image and alt fields."""

    def __init__(self, image_field="hero_image", alt_field="hero_image_alt", **kwargs):
        self.image_field = image_field
        self.alt_field = alt_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        return image_data(
            getattr(page, self.image_field),
            getattr(page, self.alt_field),
            self.context.get("request"),
        )


class ComputedField(serializers.Field):
    """A value computed from the whole page: ``compute(page, request)``."""

    def __init__(self, compute, **kwargs):
        self.compute = compute
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        return self.compute(page, self.context.get("request"))


def with_image(queryset, field="hero_image"):
    """``queryset`` with its pages' image and the image's renditions: two queries for a
    whole listing."""
    images = get_image_model().objects.prefetch_renditions(*IMAGE_RENDITION_SPECS)
    return queryset.prefetch_related(Prefetch(field, queryset=images))


class CodeNameField(serializers.Field):
    """A translatable snippet with a stable code (district, category): code and name."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value.code, "name": value.name}


class PageLinkField(serializers.Field):
    """A page another page points at, as id/title/html_url in the language being served;
    null (or left out of a list) when the public may not see it (helpers/visibility.py).
    Pages already localized by ``api_prefetch`` are used as they are (see LINKS_ATTRIBUTE)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        prepared = getattr(instance, LINKS_ATTRIBUTE, {})
        if self.field_name in prepared:
            return prepared[self.field_name]
        return super().get_attribute(instance)

    def to_representation(self, value):
        request = self.context.get("request")
        if isinstance(value, LocalizedLinks):
            return [page_link(page, request) for page in value if page is not None]
        if hasattr(value, "all"):  # a many-to-many manager
            pages = list(value.all())
            localized = localize_pages(pages)
            return [
                page_link(localized[page.pk], request)
                for page in pages
                if localized[page.pk] is not None
            ]
        if isinstance(value, Page):
            if getattr(value, "_api_localized", False):
                return page_link(value, request)
            return localized_link(value, request)
        return value


LINKS_ATTRIBUTE = "_api_links"


class LocalizedLinks(list):
    """Pages already in the right language (from ``prefetch_links``)."""


def prefetch_links(pages, field_names):
    """Localize, in one query per language, the pages that ``pages`` link to through
    ``field_names`` (foreign keys or many-to-many with prefetched values), and keep the
    result on each page for PageLinkField."""
    by_locale = {}
    for page in pages:
        by_locale.setdefault(page.locale_id, []).append(page)
    for group in by_locale.values():
        linked = []
        for page in group:
            for name in field_names:
                value = getattr(page, name)
                linked.extend(value.all() if hasattr(value, "all") else [value])
        localized = localize_pages(linked, locale=group[0].locale)
        for page in group:
            prepared = {}
            for name in field_names:
                value = getattr(page, name)
                if hasattr(value, "all"):
                    prepared[name] = LocalizedLinks(localized[p.pk] for p in value.all())
                elif value is not None and localized[value.pk] is not None:
                    localized[value.pk]._api_localized = True
                    prepared[name] = localized[value.pk]
                else:
                    prepared[name] = None
            setattr(page, LINKS_ATTRIBUTE, prepared)
