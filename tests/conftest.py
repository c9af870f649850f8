"""Fixtures shared by every test folder."""

import importlib
import io

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.utils import translation

from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

import pytest

from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory, DistrictFactory
from helpers.visibility import forget_request
from home.factories import HomePageFactory
from home.locales import create_language_aliases
from stories.factories import StoryIndexPageFactory
from stories.workflow import REVIEWERS_GROUP, ensure_groups
from tests.fakes.stripe_server import FakeStripe
from tests.stories.helpers import make_leader
from workshops.factories import WorkshopIndexPageFactory, WorkshopPageFactory

DEMO_FIXTURE = "demo_site"
SHARED_DEMO = pytest.StashKey()


def uses_demo(item):
    return DEMO_FIXTURE in getattr(item, "fixturenames", ())


class SharedDemo:
    """One `load_demo` build for all the tests that use the demo site.

    The demo is built in an outer transaction; each test's own transaction (pytest-django's
    `db`) nests in it as a savepoint and is rolled back as usual, so every test sees the demo
    exactly as built. After the last of these tests (they run one after the other, see
    pytest_collection_modifyitems), the outer transaction is rolled back too: the tests
    that follow find the empty database that the migrations left.
    """

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None

    @property
    def active(self):
        return self.atomic is not None

    def open(self):
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase does: durable blocks may nest
            atomic.__enter__()
            self.atomic = atomic
            try:
                call_command("load_demo", stdout=io.StringIO())
            except BaseException:
                self.close()
                raise

    def check(self):
        """Fail the test if the shared build is gone (a test closed the connection…)."""
        if not connection.atomic_blocks or connection.atomic_blocks[0] is not self.atomic:
            self.atomic = None
            pytest.fail(
                "The shared demo transaction was lost: did an earlier test using "
                f"`{DEMO_FIXTURE}` close the database connection or end its transaction?",
                pytrace=False,
            )

    def close(self):
        atomic, self.atomic = self.atomic, None
        if atomic is None:
            return
        with self.blocker.unblock():
            if connection.atomic_blocks and connection.atomic_blocks[0] is atomic:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that use the demo site first, one after the other, so that they share
    one build (pytest-django has already put the database tests first; the sort is stable)."""
    for item in items:
        if uses_demo(item) and (
            is_transactional(item) or {"transactional_db", "live_server"} & set(item.fixturenames)
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: `{DEMO_FIXTURE}` lives in a transaction that a transactional "
                "test would flush; build the demo in the test instead"
            )
    items.sort(key=lambda item: not uses_demo(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last test of the demo run, drop the shared demo."""
    try:
        return (yield)
    finally:
        shared = item.config.stash.get(SHARED_DEMO, None)
        if shared is not None and shared.active and (nextitem is None or not uses_demo(nextitem)):
            shared.close()


@pytest.fixture(scope="session")
def _shared_demo(request, django_db_setup, django_db_blocker):
    """The demo, built once in a transaction that outlives the tests (see SharedDemo).

    Session-scoped so that it is set up before any test's own transaction begins."""
    shared = SharedDemo(django_db_blocker)
    request.config.stash[SHARED_DEMO] = shared
    shared.open()
    yield shared
    shared.close()


@pytest.fixture
def demo_site(_shared_demo, db):
    """The demo site of `manage.py load_demo`: changes a test makes are rolled back.

    Returns the live pages (every language)."""
    if _shared_demo.active:
        _shared_demo.check()
    else:
        # The shared build is gone (tests reordered by a plugin…): build one for this test,
        # inside its transaction.
        call_command("load_demo", stdout=io.StringIO())
    return Page.objects.live().filter(depth__gte=2)


@pytest.fixture(autouse=True)
def _no_request_memo():
    """helpers.visibility remembers the private sections until the request ends; a test that
    leaves a streamed response unread never ends its request: start each test without."""
    forget_request()
    yield
    forget_request()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counts never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request through the test client
    leaves its language active in the thread, which a later test would inherit."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- after a flush, the groups as the migrations leave them ------------------------------

# The groups, their permissions and the story review workflow are data the migrations make
# once (stories/migrations/0004, workshops/migrations/0004); nothing in the project grants
# them again, on purpose. A transactional test's flush empties every table, which no
# deployment ever does: the tests that follow get that data back as a freshly migrated
# database has it. A `migrate` (its post_migrate carries a plan) is left alone, so that the
# tests of tests/stories/test_permissions_as_data.py see what a deploy does.
PERMISSION_MIGRATIONS = (
    # a permission wagtail-localize's migration makes (the reviewers ask for translations)
    (
        "wagtail_localize.migrations.0006_create_submit_translation_permission",
        "create_submit_translation_permission",
    ),
    ("stories.migrations.0004_groups_and_review_workflow", "groups_and_workflow"),
    ("stories.migrations.0005_campaign_review_workflow", "campaign_review_workflow"),
    ("workshops.migrations.0004_registration_permissions", "grant"),
    ("campaigns.migrations.0009_help_permissions", "grant"),
)


def restore_migrated_groups(sender, plan=None, **kwargs):
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if plan is not None or sender is not with_models[-1]:  # once, after every app's own
        return
    for module, function in PERMISSION_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


def _connect_restore():
    post_migrate.connect(restore_migrated_groups, dispatch_uid="tests.restore_migrated_groups")


_connect_restore()


def speaks(user, language):
    """Set the admin language of ``user`` (the Wagtail admin follows the user's profile)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def admin(admin_client, admin_user):
    """A superuser's admin client whose labels read in English, whatever the catalogues
    (a test module wanting another language defines its own ``admin``)."""
    speaks(admin_user, "en")
    return admin_client


# The site most tests stand on, shared by every folder: a French home page mirrored in every
# language, a live campaign, a story listing, a workshop listing and a workshop, a district,
# a leader and a reviewer, and the fake Stripe server.

WEBHOOK_SECRET = "whsec_test_cocity"


@pytest.fixture
def home_page(db):
    """A French home page as the site root, mirrored in every language."""
    # After a transactional test's flush, the root page and the default site that migrations
    # create are gone (the locales come back with post_migrate): make them again.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": page}
    )
    create_language_aliases(page)
    return page


@pytest.fixture
def campaign(home_page):
    """A live campaign (goal 1 000 €) under a campaign listing, in every language."""
    index = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    page = CampaignPageFactory(parent=index, title="Jardin des Couronnes")
    create_language_aliases(page)
    return page


@pytest.fixture
def stripe_server(settings):
    """The fake Stripe API on loopback, with the site configured to use it."""
    with FakeStripe(hold_seconds=3) as server:
        settings.PAYMENT_BACKEND = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_cocity"
        settings.STRIPE_API_BASE = server.url
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_TIMEOUT = 1
        yield server


@pytest.fixture
def story_index(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    return index


@pytest.fixture
def district(db):
    return DistrictFactory(locale=Locale.objects.get(language_code="fr"), code="75020")


@pytest.fixture
def leader(django_user_model, campaign, story_index):
    return make_leader(django_user_model, "nadia", campaign)


@pytest.fixture
def reviewer(django_user_model):
    ensure_groups()
    user = django_user_model.objects.create_user("camille", "camille@example.org", "pw")
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return user


@pytest.fixture
def workshop_index(home_page):
    index = WorkshopIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    return index


@pytest.fixture
def workshop(workshop_index):
    """A workshop in a week with 20 seats, in every language."""
    page = WorkshopPageFactory(parent=workshop_index, title="Atelier des idées")
    create_language_aliases(page)
    return page
