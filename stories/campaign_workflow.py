"""The "Campaign review" workflow: a leader submits the draft campaign they wrote from their
space; the "Communications" group reviews it in the Wagtail admin (comment, request changes,
approve — approval publishes it, and its language copies with it)."""

from django.utils.translation import gettext_noop

from wagtail.models import WorkflowState

from .workflow import group_review_workflow

WORKFLOW_NAME = gettext_noop("Campaign review")
TASK_NAME = gettext_noop("Campaign review by the communications team")


def campaign_review_workflow():
    """The "Campaign review" workflow with its group-approval task for the reviewers."""
    return group_review_workflow(WORKFLOW_NAME, TASK_NAME)


def submit_campaign(page, user):
    """Send the draft campaign ``page`` (its latest revision) to the reviewers: start the
    workflow, or resume it after changes were requested. Do nothing while it is in review.

    (``workflow.start`` rather than Wagtail's CreatePageAction, which needs an admin form.)"""
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        if page.latest_revision_id is None:
            page.save_revision(user=user)
        # Explicitly this workflow: the page tree's own (Wagtail's "Moderators approval" on
        # the root) is for staff's edits in the admin.
        campaign_review_workflow().start(page, user)
    elif workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user)
