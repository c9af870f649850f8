"""The copy-paste <iframe> of a campaign's embeddable card (docs/api.md), shown to staff in
the admin and to project leaders in their space.

It lives in home/ because two apps show it; it knows the card only by its URL name.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

# What the tallest demo card needs at 360 px wide (280 px in French, measured by
# tests/e2e/test_finishing.py), plus a line; the card stretches to fill it (embed.css).
CARD_WIDTH = 360
CARD_HEIGHT = 300


@dataclass(frozen=True)
class EmbedSnippet:
    """One language's snippet: ``code`` (the HTML to paste, as plain text) and its ``url``."""

    language: str
    url: str
    code: str


def _attribute(value):
    """Escape ``value`` for a double-quoted HTML attribute, and nothing more (so that the
    snippet stays readable: French titles are full of apostrophes)."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def embed_snippet(page, language, request, title=None):
    """The snippet embedding ``page``'s card in ``language`` (a code of settings.LANGUAGES).

    ``title`` is the campaign's title in that language (default: the page's).
    """
    # The host the page is served from, as its links elsewhere on the site (the sitemap) say.
    page_url = urlsplit(request.build_absolute_uri(page.get_url(request) or "/"))
    url = (
        f"{page_url.scheme}://{page_url.netloc}"
        + reverse("campaigns:embed", args=[page.pk])
        + "?"
        + urlencode({"lang": language})
    )
    with translation.override(language):
        label = gettext("Co-city campaign: %(title)s") % {"title": title or page.title}
    code = (
        f'<iframe src="{_attribute(url)}" title="{_attribute(label)}" '
        f'width="{CARD_WIDTH}" height="{CARD_HEIGHT}" loading="lazy" '
        f'style="border:0;max-width:100%"></iframe>'
    )
    return EmbedSnippet(language=language, url=url, code=code)
