"""Site search: what a visitor types, made safe for the database search backends, then
found in whole words *and* in parts of words, and shown as result items.

Quotes. Wagtail's database backend passes each word to SQLite's FTS5 inside double quotes
without escaping them, so a word holding a `"` is a syntax error there (a 500 on `?q="…`);
on PostgreSQL every word is quoted properly. Quotes mean nothing to a plain-text search, so
they become spaces on every database.

Parts of words. The backend (SQLite FTS5, PostgreSQL tsvector) matches whole tokens: Chinese
is written without spaces, so "花园" is not a token of "社区共享花园项目介绍"; Arabic attaches
the article and one-letter words to the next word, so "حديقة" is not a token of "الحديقة".
``find_pages`` therefore adds, after the backend's ranked results, the pages whose indexed
text (Wagtail's IndexEntry: title and body, the same text the backend searches) or search
description *contains* every word of the query. For Arabic, each word is first stripped of a
leading article or one-letter proclitic (``arabic_stem``), so "الحديقة" also finds "حديقة".
Both parts go through the same "pages the public may see" queryset, and together they give
at most SEARCH_RESULTS_MAX pages.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model
from wagtail.models import Page

from helpers.i18n import content_language

from .models import HomePage, ListingPage, StandardPage

SEARCH_SYNTAX = str.maketrans({'"': " "})

# Results of one search, all result pages together (the backend's best first): a visitor
# refines a search long before reading a hundred results, and the cost stays bounded.
SEARCH_RESULTS_MAX = 100
# Words of a query matched inside other words (the rest only by the backend)
PARTIAL_WORDS_MAX = 8

# The plain-text columns of Wagtail's IndexEntry, per database: PostgreSQL keeps tsvectors
# in title/body and their text in title_text/body_text; SQLite keeps the text in title/body.
INDEX_TEXT_COLUMNS = {
    "postgresql": ("title_text", "body_text"),
    "sqlite": ("title", "body"),
}

ARABIC = re.compile(r"[\u0600-\u06ff]")
# The article, possibly after "and"/"so" (و/ف) and "with"/"like" (ب/ك): ال، وال، فال، بال،
# وبال… — and لل ("for the", the alif of ال dropped after ل).
ARABIC_ARTICLE = re.compile(r"^[وف]?(?:[بك]?ال|لل)")
# One-letter proclitics without an article: و (and), ف (so), ب (with), ل (for)
ARABIC_PROCLITIC = re.compile(r"^[وفبل]")


def search_terms(query):
    """``query`` with its words separated by single spaces and no double quotes ("" when
    nothing searchable is left)."""
    return " ".join(query.translate(SEARCH_SYNTAX).split())


def arabic_stem(word):
    """``word`` without a leading Arabic article or one-letter proclitic, else ``word``.

    "الحديقة", "والحديقة", "للحديقة" and "وحديقة" all give "حديقة". The article goes when at
    least 2 letters remain, a lone proclitic only when at least 4 remain: many short words
    begin with و/ب/ل/ف ("ورشة", workshop, stays whole). A wrong cut only widens the search
    (the stem is part of the word), and the backend's whole-word results still come first.
    """
    for pattern, kept in ((ARABIC_ARTICLE, 2), (ARABIC_PROCLITIC, 4)):
        match = pattern.match(word)
        if match and len(word) - match.end() >= kept:
            return word[match.end() :]
    return word


def partial_words(terms):
    """The words of ``terms`` (from search_terms) to look for inside the pages' text:
    Arabic words stemmed, at most PARTIAL_WORDS_MAX; [] when fewer than 2 characters in all
    (one Latin letter is in nearly every page)."""
    words = [arabic_stem(word) if ARABIC.search(word) else word for word in terms.split()]
    words = list(dict.fromkeys(words))[:PARTIAL_WORDS_MAX]
    return words if sum(len(word) for word in words) >= 2 else []


def _contains_words(words, join=and_):
    """Q on pages: each of ``words`` (any of them with ``join=or_``) is in the page's indexed
    title or body or in its search description (case-insensitive where the script has
    cases)."""
    title, body = INDEX_TEXT_COLUMNS.get(connection.vendor, INDEX_TEXT_COLUMNS["sqlite"])
    return reduce(
        join,
        (
            Q(**{f"index_entries__{title}__icontains": word})
            | Q(**{f"index_entries__{body}__icontains": word})
            | Q(search_description__icontains=word)
            for word in words
        ),
    )


def find_pages(pages, terms, limit=SEARCH_RESULTS_MAX, operator=None, order_by_relevance=True):
    """The ids of the pages of ``pages`` (a Page queryset, already public and in the
    reader's language) matching ``terms``: the backend's ranked results first, then pages
    containing every word of ``terms`` (any word if ``operator`` is "or"; partial words, see
    the module docstring), those with the words in their title before the others, no page
    twice; at most ``limit``. Without ``order_by_relevance`` the backend keeps the queryset's
    order (and refuses one on fields it has not indexed).

    Two queries. Raises DatabaseError if the backend refuses the words, FilterFieldError or
    OrderByFieldError if it cannot filter or order ``pages`` as asked.
    """
    found = pages.search(terms, operator=operator, order_by_relevance=order_by_relevance)
    ranked = [page.pk for page in found[:limit]]
    words = partial_words(terms)
    if not words or len(ranked) >= limit:
        return ranked
    join = or_ if operator == "or" else and_
    title = INDEX_TEXT_COLUMNS.get(connection.vendor, INDEX_TEXT_COLUMNS["sqlite"])[0]
    in_title = reduce(join, (Q(**{f"index_entries__{title}__icontains": w}) for w in words))
    partial = (
        pages.filter(_contains_words(words, join))
        .exclude(pk__in=ranked)
        .annotate(
            in_title=Case(
                When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("in_title", "path")
        .values_list("pk", flat=True)
        .distinct()
    )
    return ranked + list(partial[: limit - len(ranked)])


@dataclass
class SearchResult:
    """One result as "components/result_item.html" shows it."""

    page: Page  # the specific page
    type_label: str  # "Campaign", "Story"… in the reader's language
    date: date | datetime | None
    summary: str
    image: object = None  # a Wagtail image with its renditions prefetched, or None
    language: object = None  # helpers.i18n.ContentLanguage of an untranslated copy, or None


def _is_site_page(page):
    """True for the site's own pages (home, listings, standard pages), whose kind and date
    say nothing to a visitor."""

    return isinstance(page, (HomePage, ListingPage, StandardPage)) or type(page) is Page


def _type_label(page):
    """What kind of page ``page`` is, for a reader: its model's name ("Campaign", "Story",
    "Workshop", "Campaign news"), or "Page" for the site's own pages."""
    if _is_site_page(page):
        return _("Page")
    return capfirst(type(page)._meta.verbose_name)


def _date(page):
    """When the result happens or happened: a workshop's start, a story's or news item's
    date, else when the page was first published; None for the site's own pages."""
    if _is_site_page(page):
        return None
    for name in ("starts_at", "date"):
        value = getattr(page, name, None)
        if isinstance(value, (date, datetime)):
            return value
    return page.first_published_at


def _summary(page):
    """A short text: the search description, else the page's summary or introduction, else
    the start of a news item."""
    for name in ("search_description", "summary", "introduction"):
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            return value
    excerpt = getattr(page, "excerpt", None)
    return excerpt() if callable(excerpt) else ""


def search_results(page_ids, language_code):
    """The SearchResults of the pages ``page_ids`` (from find_pages), in that order, for
    readers of ``language_code`` (the pages' language).

    Queries: one for the pages, one per page type among them, one for the languages of
    untranslated copies, two for the images and their renditions — whatever the number of
    results.
    """
    pages = Page.objects.filter(pk__in=page_ids).specific()
    by_id = {page.pk: page for page in pages}
    ordered = [by_id[pk] for pk in page_ids if pk in by_id]
    image_ids = {getattr(page, "hero_image_id", None) for page in ordered} - {None}
    images = (
        {
            image.pk: image
            for image in get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions()
        }
        if image_ids
        else {}
    )
    copied = {page.alias_of_id for page in ordered if page.alias_of_id}
    source_languages = (
        dict(Page.objects.filter(pk__in=copied).values_list("pk", "locale__language_code"))
        if copied
        else {}
    )
    results = []
    for page in ordered:
        source = source_languages.get(page.alias_of_id)
        results.append(
            SearchResult(
                page=page,
                type_label=_type_label(page),
                date=_date(page),
                summary=_summary(page),
                image=images.get(getattr(page, "hero_image_id", None)),
                language=content_language(source) if source and source != language_code else None,
            )
        )
    return results
