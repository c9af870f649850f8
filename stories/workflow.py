"""The "Story review" workflow and the two groups around it.

Project leaders (group "Project leaders") write drafts from their front-end space and submit
them; the "Communications" group reviews them in Wagtail (comment, request changes, approve —
approval publishes). Set up on `migrate` and whenever a story listing is published.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_noop

from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signals import page_published

LEADERS_GROUP = "Project leaders"
REVIEWERS_GROUP = "Communications"
WORKFLOW_NAME = gettext_noop("Story review")
TASK_NAME = gettext_noop("Review by the communications team")


def ensure_groups(**kwargs):
    """Create the leaders' and reviewers' groups (idempotent); return (leaders, reviewers)."""
    leaders, _created = Group.objects.get_or_create(name=LEADERS_GROUP)
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    # Idempotent, and tolerant of a database where permissions or the root page are not
    # there yet (post_migrate runs app by app; a test flush empties every table).
    # Reviewers reach the admin and, once a story is published, translate it with
    # wagtail-localize ("Translate this page").
    reviewers.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="wagtail_localize", codename="submit_translation"
        ),
        # They triage project proposals (stories/proposal_admin.py)
        *Permission.objects.filter(
            content_type__app_label="stories",
            codename__in=["add_proposal", "change_proposal", "view_proposal"],
        ),
    )
    root = Page.get_first_root_node()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=["add_page", "change_page", "publish_page"],
        ):
            GroupPagePermission.objects.get_or_create(
                group=reviewers, page=root, permission=permission
            )
    return leaders, reviewers


def group_review_workflow(name, task_name):
    """The workflow called ``name`` (created once) with its one group-approval task
    ``task_name`` for the reviewers."""
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is not None:
        return workflow
    _leaders, reviewers = ensure_groups()
    task = GroupApprovalTask.objects.create(name=task_name)
    task.groups.set([reviewers])
    workflow = Workflow.objects.create(name=name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def story_review_workflow():
    """The "Story review" workflow with its group-approval task for the reviewers."""
    return group_review_workflow(WORKFLOW_NAME, TASK_NAME)


def assign_to_story_listing(page):
    """Make stories under ``page`` (a story listing) go through the review workflow."""
    WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": story_review_workflow()})


def _on_publish(sender, instance, **kwargs):
    from .models import StoryIndexPage

    if isinstance(instance, StoryIndexPage):
        assign_to_story_listing(instance)


def connect(app_config):
    # every app's post_migrate, so the reviewers get permissions created by later apps
    post_migrate.connect(ensure_groups, dispatch_uid="stories.ensure_groups")
    page_published.connect(_on_publish, dispatch_uid="stories.assign_workflow")
