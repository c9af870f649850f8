"""The embeddable campaign card (docs/api.md, "Embeddable campaign card"): a small page that any
site may show in an <iframe>, with the campaign's title, progress and a link to give.

This route alone may be framed (every other page answers X-Frame-Options: DENY). It sets no
cookie and runs no script; its links open in a new window, since the pages they lead to
refuse to be framed.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, get_language_info, gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from wagtail.models import Page

from csp.utils import build_policy

from donations import ledger
from helpers.visibility import public_pages

from .models import CampaignPage

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _direction(language):
    return "rtl" if get_language_info(language)["bidi"] else "ltr"


def _card_response(request, template, context, language, status=200):
    """Render a card document in ``language``, framable by any site."""
    with translation.override(language):
        html = render_to_string(
            template, {**context, "language": language, "direction": _direction(language)}
        )
    response = HttpResponse(html, status=status)
    # The site's policy (cocity/settings/base.py), except that any site may frame the card.
    response["Content-Security-Policy"] = build_policy(replace={"frame-ancestors": ["*"]})
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    return response


def _unavailable(request, message, status, language=None):
    """A card saying why there is no card, in ``language`` (default: the visitor's, as
    LocaleMiddleware picked it from their cookie or Accept-Language)."""
    response = _card_response(
        request,
        "campaigns/embed/unavailable.html",
        {"message": message},
        language or get_language(),
        status,
    )
    if language is None:
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _versions(page_id):
    """Every version of the campaign that page ``page_id`` belongs to that the public may
    see (untranslated copies of a private page are not), with its totals, by page id. Two
    queries (plus the private sections')."""
    translation_key = Page.objects.filter(pk=page_id).values("translation_key")[:1]
    versions = (
        public_pages(CampaignPage.objects.filter(translation_key=translation_key))
        .defer("body")
        .select_related("locale")
        .annotate(**ledger.tally_annotations())
    )
    return {version.pk: version for version in versions}


@xframe_options_exempt
@require_safe
def campaign_card(request, page_id):
    """The card of the campaign whose page (in any language) is ``page_id``, in the language
    of ``?lang=`` (default: that page's).

    The title is the campaign's translation in that language, or the page's own text while
    there is none. Answers 400 for a language the site does not speak, 404 for a page that
    is not a published, public campaign.
    """
    requested = request.GET.get("lang", "").strip().lower()
    if requested and requested not in LANGUAGE_CODES:
        message = gettext(
            "Unknown language “%(code)s”: use one of %(codes)s, or leave out “lang” for "
            "the campaign's own language."
        ) % {"code": requested[:20], "codes": ", ".join(LANGUAGE_CODES)}
        return _unavailable(request, message, 400)

    versions = _versions(page_id)
    page = versions.get(page_id)
    if page is None:
        with translation.override(requested or get_language()):
            message = gettext("This campaign cannot be shown: it does not exist or is not public.")
        return _unavailable(request, message, 404, requested or None)

    language = requested or page.locale.language_code
    by_language = {version.locale.language_code: version for version in versions.values()}
    # What readers of that language get on the site: its version (a translation, or an
    # untranslated copy shown with a notice), else the page asked for.
    shown = by_language.get(language)
    if shown is None:
        shown = page
    # An untranslated copy holds its source's text: the title is in the source's language.
    campaign = versions.get(shown.alias_of_id, shown)
    content_language = campaign.locale.language_code
    with translation.override(language):
        donate_url = reverse("donations:donate", args=[campaign.translation_key])
    return _card_response(
        request,
        "campaigns/embed/card.html",
        {
            "campaign": campaign,
            "page_url": request.build_absolute_uri(shown.get_url(request)),
            "donate_url": request.build_absolute_uri(donate_url),
            "content_language": content_language,
            "content_direction": _direction(content_language),
        },
        language,
    )
