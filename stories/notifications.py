"""Tell project leaders, in their language, when a story is published or needs changes."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from wagtail.signals import page_published, task_rejected

from django_tasks import task

from home.emails import render_subject, render_text

from .models import StoryPage

PUBLISHED = "published"
CHANGES_REQUESTED = "changes_requested"


@task()
def notify_leader(story_id, event, comment=""):
    """Email the story's owner (a project leader) about ``event``; return True if sent."""
    story = StoryPage.objects.filter(pk=story_id).select_related("owner").first()
    owner = story.owner if story else None
    profile = getattr(owner, "leader_profile", None) if owner else None
    if profile is None or not owner.email:
        return False
    with translation.override(profile.language):
        context = {
            "story": story.get_latest_revision_as_object(),
            "event": event,
            "comment": comment,
            "name": profile.public_name,
            "story_url": story.full_url if event == PUBLISHED else "",
            "space_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("stories:space"),
        }
        subject = render_subject("stories/email/story_subject.txt", context)
        body = render_text("stories/email/story_event.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    return True


def _on_published(sender, instance, **kwargs):
    if isinstance(instance, StoryPage) and instance.alias_of_id is None:
        notify_leader.enqueue(instance.pk, PUBLISHED)


def _on_rejected(sender, instance, user=None, **kwargs):
    page = getattr(instance.workflow_state, "content_object", None)
    if isinstance(page, StoryPage):
        notify_leader.enqueue(page.pk, CHANGES_REQUESTED, instance.get_comment())


def connect():
    page_published.connect(_on_published, dispatch_uid="stories.notify_published")
    task_rejected.connect(_on_rejected, dispatch_uid="stories.notify_rejected")
