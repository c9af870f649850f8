"""The "Story review" workflow and the two groups around it.

Project leaders (group "Project leaders") write drafts from their front-end space and submit
them; the "Communications" group reviews them in Wagtail (comment, request changes, approve —
approval publishes). The groups, what the reviewers may do and the workflow are made once by
a data migration (stories/migrations/0004_groups_and_review_workflow.py): nothing grants a
permission again, so what staff change in the admin stays as they set it. A story listing
published is put under the workflow.
"""

from django.utils.translation import gettext_noop

from wagtail.models import (
    GroupApprovalTask,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signals import page_published

from home.groups import COMMUNICATIONS as REVIEWERS_GROUP
from home.groups import LEADERS as LEADERS_GROUP
from home.groups import group

from .models import StoryIndexPage

WORKFLOW_NAME = gettext_noop("Story review")
TASK_NAME = gettext_noop("Review by the communications team")


def ensure_groups():
    """The leaders' and reviewers' groups (made, without any permission, if staff deleted
    them): (leaders, reviewers). Grants nothing: the data migration did, once."""
    return group(LEADERS_GROUP), group(REVIEWERS_GROUP)


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
    if isinstance(instance, StoryIndexPage):
        assign_to_story_listing(instance)


def connect(app_config):
    page_published.connect(_on_publish, dispatch_uid="stories.assign_workflow")
