"""Permissions as data (issue 16): the groups, what the communications team may do and the
story review workflow are made once by data migrations; a deploy's `migrate` grants nothing
again, so a permission staff take back stays taken back."""

import weakref

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db.models.signals import post_migrate

from wagtail.models import GroupPagePermission, Page, Workflow

import pytest

from home.groups import COMMUNICATIONS, LEADERS
from stories.campaign_workflow import campaign_review_workflow
from stories.workflow import ensure_groups, story_review_workflow
from tests.conftest import restore_migrated_groups

pytestmark = pytest.mark.django_db

COMMUNICATIONS_PERMISSIONS = {
    # ways to help besides money (campaigns/migrations/0009_help_permissions.py)
    ("campaigns", "view_need"),
    ("campaigns", "add_need"),
    ("campaigns", "change_need"),
    ("campaigns", "view_helper_details"),
    ("campaigns", "view_helpoffer"),
    ("campaigns", "add_helpoffer"),
    ("campaigns", "change_helpoffer"),
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("stories", "add_proposal"),
    ("stories", "change_proposal"),
    ("stories", "view_proposal"),
    ("workshops", "view_registration"),
    ("workshops", "add_registration"),
    ("workshops", "change_registration"),
    ("workshops", "view_registrant_details"),
}


def permissions(name):
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def page_permissions(name):
    return set(
        GroupPagePermission.objects.filter(
            group__name=name, page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )


@pytest.fixture
def as_deployed():
    """What a deploy runs: the project's own post_migrate handlers only (the tests' restore
    after a flush, tests/conftest.py, is not part of the project)."""
    post_migrate.disconnect(dispatch_uid="tests.restore_migrated_groups")
    yield
    post_migrate.connect(restore_migrated_groups, dispatch_uid="tests.restore_migrated_groups")


def test_the_migrations_make_the_groups_and_the_workflow():
    assert permissions(COMMUNICATIONS) == COMMUNICATIONS_PERMISSIONS  # never "delete"
    assert permissions(LEADERS) == set()  # leaders never reach the admin
    assert page_permissions(COMMUNICATIONS) == {"add_page", "change_page", "publish_page"}
    workflow = Workflow.objects.get(name="Story review")
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [COMMUNICATIONS]
    assert story_review_workflow() == workflow  # found, not made again
    # the leaders' draft campaigns have theirs too, made by stories/migrations/0005
    campaigns = Workflow.objects.get(name="Campaign review")
    task = campaigns.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [COMMUNICATIONS]
    assert campaign_review_workflow() == campaigns
    assert Workflow.objects.filter(name="Campaign review").count() == 1


def test_a_workflow_staff_changed_stays_as_they_set_it(as_deployed):
    """Staff rename the campaign review's task and give it to another group: a deploy's
    migrate and the next submission keep it so."""
    workflow = Workflow.objects.get(name="Campaign review")
    task = workflow.tasks.get().specific
    editors = Group.objects.create(name="Relecteurs de quartier")
    task.groups.set([editors])
    task.name = "Relecture par les éditeurs"
    task.save()

    call_command("migrate", verbosity=0)
    assert campaign_review_workflow() == workflow
    task = workflow.tasks.get().specific
    assert task.name == "Relecture par les éditeurs"
    assert [group.name for group in task.groups.all()] == ["Relecteurs de quartier"]


def test_a_permission_taken_back_stays_taken_back(as_deployed):
    group = Group.objects.get(name=COMMUNICATIONS)
    group.permissions.remove(Permission.objects.get(codename="view_registrant_details"))
    GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").delete()

    call_command("migrate", verbosity=0)  # as every deploy does
    ensure_groups()  # as a leader's account made, or a proposal accepted, does

    assert permissions(COMMUNICATIONS) == COMMUNICATIONS_PERMISSIONS - {
        ("workshops", "view_registrant_details")
    }
    assert page_permissions(COMMUNICATIONS) == {"add_page", "change_page"}


def test_a_group_deleted_comes_back_empty(as_deployed):
    Group.objects.filter(name=LEADERS).delete()
    leaders, communications = ensure_groups()
    assert leaders.name == LEADERS and not leaders.permissions.exists()
    assert communications.permissions.exists()  # untouched


def test_no_handler_of_the_project_grants_on_migrate(as_deployed):
    project = ("stories", "workshops", "home", "campaigns", "donations", "cocity")
    handlers = []
    for entry in post_migrate.receivers:
        reference = entry[1]
        handler = reference() if isinstance(reference, weakref.ReferenceType) else reference
        if handler is not None:
            handlers.append(handler)
    assert any(handler.__module__ == "home.locales" for handler in handlers)  # the list is read
    granting = [
        f"{handler.__module__}.{handler.__qualname__}"
        for handler in handlers
        if handler.__module__.split(".")[0] in project
        and ("group" in handler.__qualname__ or "permission" in handler.__qualname__)
    ]
    assert granting == []


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_tests_find_the_groups_as_migrated():
    """The tests' own restore (tests/conftest.py): a transactional test's flush empties every
    table; the tests after it find the migrations' groups again."""
    call_command("flush", interactive=False, verbosity=0)
    assert permissions(COMMUNICATIONS) == COMMUNICATIONS_PERMISSIONS
    assert Workflow.objects.filter(name="Story review").exists()
    assert Workflow.objects.filter(name="Campaign review").exists()
