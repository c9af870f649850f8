"""Featured sections of pages, filled by the apps that own the content.

Apps must not import each other (DESIGN.md §3), so each app registers a provider here from
its AppConfig.ready(), for a slot: "home" (the home page) or "campaign" (a campaign page):

    featured.register("campaigns", provider, order=10)                  # on the home page
    featured.register("campaign-stories", provider, slot="campaign")    # on campaign pages

A provider is called with (page, request) and returns a FeaturedSection or None.
"""

from dataclasses import dataclass, field

from . import frame


@dataclass
class FeaturedItem:
    """One card: a title, where it leads, and optional text, image and alt text."""

    title: str
    url: str
    text: str = ""
    image: object = None
    image_alt: str = ""
    meta: str = ""
    # helpers.i18n.ContentLanguage of a title and text in another language than the page's
    language: object = None
    # What an app adds under the text (e.g. a campaign's progress bar): a template it owns,
    # included with the card's context (``item``; ``item.extra`` is that app's object).
    extra_template: str = ""
    extra: object = None


@dataclass
class FeaturedSection:
    """A heading, its cards and a link to see them all."""

    key: str
    heading: str
    items: list = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def listing_url(name, page, request, find):
    """The URL of a section's "see them all" page: ``find()`` returns that page (or None),
    kept in the frame cache (helpers/frame.py: a new generation on every page or restriction
    change) per page ``page``, scheme, host and language; "" when there is none."""

    def build():
        found = find()
        return found.get_url(request) if found else ""

    return frame.part(f"listing-url:{name}:{page.pk}:{request.scheme}", request, build)


_providers = {}


def register(key, provider, order=100, slot="home"):
    """Register ``provider(page, request) -> FeaturedSection | None`` under ``key``.

    Registering the same key again replaces the provider (safe with autoreload).
    """
    _providers[key] = (order, slot, provider)


def unregister(key):
    """Remove the provider registered under ``key``, if any."""
    _providers.pop(key, None)


def sections_for(page, request, slot="home"):
    """Return the non-empty FeaturedSections of ``slot`` for ``page``, in order."""
    sections = []
    for _order, provider_slot, provider in sorted(_providers.values(), key=lambda e: e[0]):
        if provider_slot != slot:
            continue
        section = provider(page, request)
        if section is not None and section.items:
            sections.append(section)
    return sections
