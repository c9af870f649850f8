"""The printed poster of a campaign (docs/operations.md, "Posters"): an A4 PDF, one per campaign
and language, for the noticeboards of a social centre, a library or a market.

It holds the campaign's title, summary and image, its progress at print time, a large QR code
to the campaign's page in the poster's language, and the ways to give without a screen that
the association really takes (a cheque posted to its address, cash or a cheque handed to its
team), drawn from the contact details staff fill in (Settings → Contact details).

``/campaign-poster/<lang>/<page id>.pdf``: the language is the address's, the page id that of
the campaign in any language. Only published, public campaigns have a poster (404 otherwise).
The language is not the address's prefix: printing a poster in another language must not
change the language the site remembers for the visitor (cocity/middleware.py), and a
response that browsers and proxies may keep sets no cookie.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_info
from django.views.decorators.http import require_safe

from wagtail.models import Site

import segno

from helpers.pdf import render_pdf, text_direction
from home.models import SiteContact

from .embed import _versions

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# One language code of the site, for the route (campaigns/urls.py).
LANGUAGE_PATTERN = "|".join(sorted(LANGUAGE_CODES, key=len, reverse=True))
# Rendered posters are kept this long, keyed by everything they show (figures included).
POSTER_CACHE_SECONDS = 3600
HERO_FILTER = "fill-1200x600|format-jpeg|jpegquality-80"


def poster_url(campaign, language=None):
    """The address of ``campaign``'s poster in ``language`` (default: the active one)."""
    language = language or translation.get_language()
    return reverse("campaigns:poster", args=[language, campaign.pk])


def _direction(language):
    return "rtl" if get_language_info(language)["bidi"] else "ltr"


def _lines(text):
    """The non-blank lines of ``text`` with their directions: an address typed in French
    stays in order on an Arabic poster."""
    return [
        {"text": line.strip(), "direction": text_direction(line)}
        for line in text.splitlines()
        if line.strip()
    ]


def _qr_code(url):
    """The QR code of ``url`` as an SVG data URI (dark modules on white, quiet zone of 4)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4)


def _cache_key(language, campaign, shown, page_url, contact, site_name):
    figures = (
        language,
        campaign.pk,
        shown.pk,
        campaign.raised,
        campaign.donors,
        campaign.status,
        str(campaign.latest_revision_id),
        page_url,
        contact.address,
        contact.phone,
        contact.email,
        site_name,
        timezone.localdate().isoformat(),
    )
    digest = hashlib.sha256(repr(figures).encode()).hexdigest()
    return f"campaigns:poster:{digest}"


@require_safe
def poster(request, language, page_id):
    """The A4 poster (PDF) of the campaign whose page (in any language) is ``page_id``, in
    ``language``: that language's version of the campaign (or its untranslated copy)."""
    if language not in LANGUAGE_CODES:
        raise Http404
    page_id = int(page_id)
    versions = _versions(page_id)
    page = versions.get(page_id)
    if page is None:
        raise Http404
    by_language = {version.locale.language_code: version for version in versions.values()}
    shown = by_language.get(language, page)
    # An untranslated copy shows its source's text, in the source's language.
    campaign = versions.get(shown.alias_of_id, shown)

    site = Site.find_for_request(request)
    contact = SiteContact.for_site(site) if site else SiteContact()
    site_name = (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME
    with translation.override(language):
        page_url = request.build_absolute_uri(shown.get_url(request))
        key = _cache_key(language, campaign, shown, page_url, contact, site_name)
        pdf = cache.get(key)
        if pdf is None:
            content_language = campaign.locale.language_code
            pdf = render_pdf(
                "campaigns/poster.html",
                {
                    "campaign": campaign,
                    "hero": campaign.hero_image.get_rendition(HERO_FILTER)
                    if campaign.hero_image_id
                    else None,
                    "page_url": page_url,
                    "qr_code": _qr_code(page_url),
                    "contact": contact,
                    "address_lines": _lines(contact.address),
                    "site_name": site_name,
                    "printed_at": timezone.localtime(),
                    "language": language,
                    "direction": _direction(language),
                    "content_language": content_language,
                    "content_direction": _direction(content_language),
                },
            )
            cache.set(key, pdf, POSTER_CACHE_SECONDS)

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{page_id}-{language}.pdf"'
    response["Content-Language"] = language
    # The figures are those of the moment: a few minutes' cache, like the API's.
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    return response
