"""Featured sections of the home page, filled by the apps that own the content.

home/ must not import campaigns/, stories/ or workshops/ (DESIGN.md §3), so each of those
apps registers a provider here from its AppConfig.ready():

    featured.register("campaigns", _("Campaigns to support"), provider, order=10)

A provider is called with (home_page, request) and returns a FeaturedSection or None.
"""

from dataclasses import dataclass, field


@dataclass
class FeaturedItem:
    """One card: a title, where it leads, and optional text, image and alt text."""

    title: str
    url: str
    text: str = ""
    image: object = None
    image_alt: str = ""
    meta: str = ""


@dataclass
class FeaturedSection:
    """A heading, its cards and a link to see them all."""

    key: str
    heading: str
    items: list = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


_providers = {}


def register(key, provider, order=100):
    """Register ``provider(home_page, request) -> FeaturedSection | None`` under ``key``.

    Registering the same key again replaces the provider (safe with autoreload).
    """
    _providers[key] = (order, provider)


def unregister(key):
    """Remove the provider registered under ``key``, if any."""
    _providers.pop(key, None)


def sections_for(home_page, request):
    """Return the non-empty FeaturedSections for ``home_page``, in registration order."""
    sections = []
    for _order, provider in sorted(_providers.values(), key=lambda entry: entry[0]):
        section = provider(home_page, request)
        if section is not None and section.items:
            sections.append(section)
    return sections
