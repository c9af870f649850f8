"""PDF documents drawn from Django templates with WeasyPrint: the campaign posters now, the tax
receipts later.

``render_pdf(template_name, context, request=None)`` renders the template to HTML in the active
language and lays it out as PDF. Rendering never touches the network: every address in the
document is resolved against ``BASE_URL`` (a reserved ``.invalid`` host), and
``local_fetcher()`` serves only ``data:`` URIs, static files (from the app and project
folders, or STATIC_ROOT) and public uploaded media (from the media storage, also when their
URLs name the S3 bucket's host: cocity/storage.py); anything else —
``http(s)`` to another host, ``file:``, private media — is refused, and WeasyPrint leaves that
image out. WeasyPrint is imported on first use only (it loads Pango).

Fonts come from the system (fontconfig): Noto Sans for Latin, Noto Sans Arabic, Noto Sans
CJK SC, installed by ``.ci/run`` and the README's prerequisites (``fonts-noto-core``,
``fonts-noto-cjk``). ``FONT_STACK`` is the CSS ``font-family`` that document templates use;
Pango shapes Arabic (joining, right to left) with HarfBuzz.
"""

import mimetypes
import unicodedata
from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

# Where relative addresses of a document point: a host that cannot exist (RFC 2606).
BASE_URL = "https://pdf.invalid/"

# Latin first, then the scripts it lacks; the document's `lang` picks the CJK variant.
FONT_STACK = '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'

# Uploaded media that only a checking view may serve (home/images.py).
PRIVATE_MEDIA_PREFIX = "private/"


def text_direction(text):
    """``rtl`` or ``ltr``: the direction of the first strongly directional character of
    ``text`` (what ``dir="auto"`` does in browsers; WeasyPrint does not implement it)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


class RefusedURL(ValueError):
    """A document asked for something outside the site's own files."""


def _static_file(name):
    """An open file for the static file ``name``, or None."""
    found = finders.find(name)
    if found:
        return open(found, "rb")
    if staticfiles_storage.exists(name):
        return staticfiles_storage.open(name, "rb")
    return None


def _media_file(name):
    """An open file for the public uploaded file ``name``, or None."""
    if name.startswith(PRIVATE_MEDIA_PREFIX) or not default_storage.exists(name):
        return None
    return default_storage.open(name, "rb")


@cache
def _fetcher_class():
    """``LocalFetcher``, made on first use: WeasyPrint loads Pango when imported, and a server
    without it should lose its PDF documents only, not every page."""
    # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class LocalFetcher(URLFetcher):
        """Serves ``data:`` URIs and the site's own static and media files; refuses the rest."""

        def __init__(self, **kwargs):
            super().__init__(allowed_protocols={"data"}, **kwargs)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            media_url = settings.MEDIA_URL
            if media_url.startswith(("https://", "http://")) and url.startswith(media_url):
                # Media on another host (S3, cocity/storage.py): read through the storage.
                path = unquote(urlsplit(url.removeprefix(media_url)).path)
                static_url, media_url = None, ""
            elif url.startswith(BASE_URL):
                path = unquote(urlsplit(url).path)
                static_url = settings.STATIC_URL
            else:
                raise RefusedURL(f"PDF documents load no resource from the network: {url[:200]}")
            if ".." in path.split("/"):
                raise RefusedURL(f"Refused path: {path[:200]}")
            body = None
            if static_url and path.startswith(static_url):
                body = _static_file(path.removeprefix(static_url))
            elif path.startswith(media_url):
                body = _media_file(path.removeprefix(media_url))
            if body is None:
                raise RefusedURL(f"No such static or media file: {path[:200]}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return LocalFetcher


def local_fetcher():
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and the site's own static and
    public media files, and refuses everything else (``RefusedURL``)."""
    return _fetcher_class()()


def render_pdf(template_name, context, request=None):
    """The PDF (bytes) of ``template_name`` rendered with ``context`` in the active language.

    The template gets ``pdf_font_stack`` (the CSS font-family of every script the site speaks).
    """
    html = render_to_string(
        template_name, {"pdf_font_stack": FONT_STACK, **context}, request=request
    )
    # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
    from weasyprint import HTML  # noqa: PLC0415

    return HTML(string=html, base_url=BASE_URL, url_fetcher=local_fetcher()).write_pdf()
