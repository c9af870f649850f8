"""Keep Wagtail locales in step with settings.LANGUAGES, and every tree in step with French."""

from django.conf import settings

from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, create_aliases_for_new_page, synchronize_tree


def ensure_locales(**kwargs):
    """Create a Locale for each language in WAGTAIL_CONTENT_LANGUAGES and make every
    non-default locale sync its page tree from the default one. Idempotent; returns nothing.

    Connected to post_migrate, so a fresh database and a newly added language are both
    covered by `manage.py migrate`.
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


def sync_all_trees():
    """Create an alias in every synced locale for each default-locale page that lacks one."""
    page_index = PageIndex.from_database().sort_by_tree_position()
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
        synchronize_tree(sync.sync_from, sync.locale, page_index=page_index)


def create_language_aliases(page: Page):
    """Create an alias of a newly created page in every locale that syncs from its locale,
    so that it is reachable (in its own language, with a notice) in every language.

    The admin does this through wagtail-localize's `after_create_page` hook; code that
    creates pages (demo data, factories) calls this instead.
    """
    create_aliases_for_new_page(page)
