"""Language helpers shared by every app: which version of a page to link to in which language.

All helpers run a fixed number of queries, whatever the number of pages or languages.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from wagtail.models import Locale, Page

from . import frame
from .visibility import is_public, private_sections, public_pages, remember_for_request


@dataclass(frozen=True)
class LanguageVersion:
    """A language the site speaks, and where the current page lives in it."""

    code: str
    name_local: str
    url: str
    absolute_url: str
    is_current: bool
    is_translated: bool  # False: the page is shown in its source language with a notice


@dataclass(frozen=True)
class PageLanguages:
    """Everything a template needs about a page's languages (switcher, hreflang, notice)."""

    versions: list
    canonical_url: str
    source_language: str  # the language the content is written in
    source_language_name: str
    content_is_fallback: bool
    # The language the page was first written in (French, or a leader's own language)
    original_language: str = settings.LANGUAGE_CODE

    @property
    def alternates(self):
        """The versions that really are in their language: those deserve an hreflang."""
        return [version for version in self.versions if version.is_translated]

    @property
    def default_alternate(self):
        """The version for visitors whose language the site does not speak (x-default):
        the default language's, else the original's (a story written in Arabic, not yet
        translated into French). The same for every version of the page."""
        by_code = {version.code: version for version in self.alternates}
        return by_code.get(settings.LANGUAGE_CODE) or by_code.get(self.original_language)

    @property
    def source_direction(self):
        return "rtl" if get_language_info(self.source_language)["bidi"] else "ltr"


@dataclass(frozen=True)
class ContentLanguage:
    """The language a piece of content is written in, for its lang/dir and a label."""

    code: str
    name_local: str  # in that language: "العربيّة"
    name_translated: str  # in the reader's language: "arabe"

    @property
    def direction(self):
        return "rtl" if get_language_info(self.code)["bidi"] else "ltr"


def content_language(code):
    """Return the ContentLanguage of the language ``code``."""
    info = get_language_info(code)
    return ContentLanguage(
        code=code, name_local=info["name_local"], name_translated=str(info["name_translated"])
    )


def copied_from_language(page):
    """The ContentLanguage of the page ``page`` is an untranslated copy of (an alias of a
    page in another language: its content is in that language), else None.

    Reads ``page.alias_of.locale``: list pages with ``select_related("alias_of__locale")``
    and this costs no query."""
    if page.alias_of_id is None or page.alias_of.locale_id == page.locale_id:
        return None  # an original, or an alias in its own language (Wagtail's "alias")
    return content_language(page.alias_of.locale.language_code)


def active_locale():
    """Return the Locale of the active language (the default locale if it has none).

    Remembered for the rest of the request (the menu, the footer and every list of links
    ask for it, and each ``Locale.get_active()`` is a query) and kept in the shared cache
    until a locale or page changes (helpers/frame.py)."""

    language = get_language()
    return remember_for_request(
        ("active locale", language),
        lambda: frame.shared(f"locale:{language}", Locale.get_active),
    )


def localize_pages(pages, locale=None, specific=False):
    """Map each page's id to the version the public may see in ``locale`` (default: the
    active language): its translation or untranslated copy there, else the page itself;
    None for a page that is neither live nor public (link to nothing). Two queries, whatever
    the number of pages (plus one per page type with ``specific``)."""
    pages = [page for page in pages if page is not None]
    if not pages:
        return {}
    locale = locale or active_locale()
    private = private_sections()
    queryset = public_pages(
        Page.objects.filter(
            locale=locale, translation_key__in={page.translation_key for page in pages}
        ),
        private=private,
    )
    translations = {
        page.translation_key: page for page in (queryset.specific() if specific else queryset)
    }
    return {
        page.pk: translations.get(page.translation_key)
        or (page if is_public(page, private) else None)
        for page in pages
    }


def page_languages(page, request):
    """Return the PageLanguages of ``page`` as seen from ``request``. Two queries.

    A version whose ``alias_of`` is another live version is an untranslated alias (the
    (translation_key, locale) pair is unique, so such an alias is always in another language).
    A public page offers only the public versions (its HTML may be cached for anyone); a
    private one, that the visitor may see, offers every live version (each asks for its own
    password or login).
    """
    current = get_language()
    live_versions = list(
        Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
    )
    private = private_sections()
    if is_public(page, private):
        live_versions = [version for version in live_versions if not private.covers(version)]
    by_id = {version.pk: version for version in live_versions}
    by_code = {version.locale.language_code: version for version in live_versions}
    source = by_id.get(page.alias_of_id)
    written_in = source or page
    originals = sorted(
        (version for version in live_versions if version.alias_of_id not in by_id),
        key=lambda version: version.pk,
    )
    original = originals[0] if originals else written_in
    # Where a language without a version of its own sends the reader: the default
    # language's translation, else the original (never a copy of it in a third language).
    in_default = by_code.get(settings.LANGUAGE_CODE)
    fallback_page = (
        in_default if in_default is not None and in_default.alias_of_id not in by_id else original
    )

    versions = []
    for code, _name in settings.LANGUAGES:
        version = by_code.get(code)
        url = (version or fallback_page).get_url(request)
        versions.append(
            LanguageVersion(
                code=code,
                name_local=get_language_info(code)["name_local"],
                url=url,
                absolute_url=request.build_absolute_uri(url),
                is_current=code == current,
                is_translated=version is not None and version.alias_of_id not in by_id,
            )
        )
    # A draft being previewed is not among the live versions: ask its locale then.
    source_language = (
        by_id[written_in.pk].locale.language_code
        if written_in.pk in by_id
        else written_in.locale.language_code
    )
    return PageLanguages(
        versions=versions,
        canonical_url=request.build_absolute_uri(written_in.get_url(request)),
        source_language=source_language,
        source_language_name=get_language_info(source_language)["name_local"],
        content_is_fallback=source is not None,
        original_language=original.locale.language_code,
    )


def path_languages(request):
    """Return PageLanguages for a view that is not a Wagtail page (search, errors)."""
    current = get_language()
    path = request.get_full_path()
    urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    versions = [
        LanguageVersion(
            code=code,
            name_local=get_language_info(code)["name_local"],
            url=urls[code],
            absolute_url=request.build_absolute_uri(urls[code]),
            is_current=code == current,
            is_translated=True,
        )
        for code, _name in settings.LANGUAGES
    ]
    return PageLanguages(
        versions=versions,
        canonical_url=request.build_absolute_uri(request.path),
        source_language=current,
        source_language_name=get_language_info(current)["name_local"],
        content_is_fallback=False,
    )
