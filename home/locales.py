"""Keep Wagtail locales in step with settings.LANGUAGES, and every tree in step with French.

wagtail-localize mirrors the French tree into every other locale (LocaleSynchronization):
a French page gets an alias (an untranslated copy, shown with a notice) in each language. A
page written in another language (a story a leader wrote in Arabic, campaign news in
English…) gets the same: an alias in every other locale, under that locale's version of its
parent, each following the original directly (``alias_of`` is the original, never another
alias), so Wagtail publishes them with it and wagtail-localize turns one into a translation
when someone translates the original.
"""

from django.conf import settings
from django.db.models import Count

from wagtail import hooks
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, create_aliases_for_new_page, synchronize_tree


def ensure_locales(**kwargs):
    """Create a Locale for each language in WAGTAIL_CONTENT_LANGUAGES, make every
    non-default locale sync its page tree from the default one, and give the pages written
    in another language their missing copies (alias_other_language_pages). Idempotent;
    returns nothing.

    Connected to post_migrate, so a fresh database, a newly added language and the pages
    written in another language before they had copies are all covered by
    `manage.py migrate`.
    """
    default = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    synced = set(LocaleSynchronization.objects.values_list("locale_id", flat=True))
    missing = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale = Locale.objects.get_or_create(language_code=code)[0]
        if locale != default and locale.pk not in synced:
            missing.append(LocaleSynchronization(locale=locale, sync_from=default))
    # bulk_create skips the post_save signal that would copy Wagtail's placeholder
    # "Welcome" page into every locale; trees are synced by sync_all_trees() instead.
    LocaleSynchronization.objects.bulk_create(missing)
    alias_other_language_pages()


def sync_all_trees():
    """Create an alias in every synced locale for each page that lacks one: the pages that
    exist in the default locale through wagtail-localize, then the pages written in another
    language (alias_other_language_pages)."""
    default = Locale.get_default()
    page_index = PageIndex.from_database().sort_by_tree_position()
    # wagtail-localize would copy a page written in Arabic from its French *alias*, making
    # an alias of an alias (shown as "written in French"): those are aliased from their
    # original below instead.
    in_default_locale = PageIndex([entry for entry in page_index if default.pk in entry.locales])
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
        synchronize_tree(sync.sync_from, sync.locale, page_index=in_default_locale)
    alias_other_language_pages()


def create_language_aliases(page: Page):
    """Create an alias of a newly created page in every other language, so that it is
    reachable (in its own language, with a notice) everywhere. Returns nothing.

    A page in the default locale is copied into every locale that syncs from it, its
    missing parents too (wagtail-localize). A page written in another language is copied
    into every locale where its parent has a version (translation or alias), as
    ``alias_of`` the page itself; a locale where the parent has none is left out.

    The admin does this through the `after_create_page` hooks (wagtail-localize's and
    the one below); code that creates pages (the leaders' space, demo data, tests) calls
    this instead.
    """
    if page.alias_of_id is not None:
        return
    if page.locale_id == Locale.get_default().pk:
        create_aliases_for_new_page(page)
    else:
        _alias_into_other_locales(page)


@hooks.register("after_create_page")
def alias_page_written_in_another_language(request, page):
    """A page created in the admin in a non-default locale gets its copies too
    (wagtail-localize's own hook only copies pages of the locale other locales sync from)."""
    if page.alias_of_id is None and page.locale_id != Locale.get_default().pk:
        _alias_into_other_locales(page)


def _alias_into_other_locales(page):
    """Alias ``page`` under its parent's version in every locale where the page has no
    version yet. Returns the aliases created."""
    parent = page.get_parent()
    if parent is None or parent.is_root():
        return []  # a language's home page: each locale has its own
    present = Page.objects.filter(translation_key=page.translation_key).values("locale_id")
    parents = (
        Page.objects.filter(translation_key=parent.translation_key)
        .exclude(locale_id__in=present)
        .select_related("locale")
        .order_by("locale__language_code")
    )
    # The content a copy starts with: the live one, or the draft (Wagtail's own rule when
    # copying for translation); the copy goes live when the page is published.
    source = page.specific if page.live else page.get_latest_revision_as_object()
    return [
        source.create_alias(
            parent=translated_parent,
            update_slug=find_available_slug(translated_parent, page.slug),
            update_locale=translated_parent.locale,
            reset_translation_key=False,
        )
        for translated_parent in parents
    ]


def alias_other_language_pages():
    """Give every page written in a non-default language (no version of it in the default
    locale but copies) its missing aliases, parents before children. Idempotent: one query
    when nothing is missing. Returns the number of aliases created."""
    default = Locale.get_default()
    locale_count = Locale.objects.count()
    in_default = Page.objects.filter(locale=default, alias_of__isnull=True)
    incomplete = (
        Page.objects.exclude(translation_key__in=in_default.values("translation_key"))
        .filter(depth__gt=2)
        .values("translation_key")
        .annotate(versions=Count("pk"))
        .filter(versions__lt=locale_count)
        .values("translation_key")
    )
    originals = {}
    for page in Page.objects.filter(translation_key__in=incomplete, alias_of__isnull=True).order_by(
        "pk"
    ):
        # Translated later into another language too: the first version is the original.
        originals.setdefault(page.translation_key, page)
    in_tree_order = sorted(originals.values(), key=lambda page: (page.depth, page.path))
    return sum(len(_alias_into_other_locales(page)) for page in in_tree_order)
