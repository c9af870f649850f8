"""Review emails for project leaders: any page a leader owns, in the leader's language.

The API (stories, campaign news and campaign pages all use it):

- A page is a leader's when its ``owner`` is an active member of the "Project leaders" group
  with a ``LeaderProfile``; language copies (aliases) are never anyone's: nothing is sent
  for them. Code that creates a page for a leader sets ``owner=leader``; nothing else to do.
- ``CHANGES_REQUESTED`` is sent when a reviewer rejects a workflow task on such a page
  (signal ``task_rejected``), with the reviewer's comment.
- ``PUBLISHED`` is sent when such a page is published (signal ``page_published``) for the
  first time or on a review's approval (not when staff republish it after a fix), once per
  page: only for the original, never for its translations (other non-alias pages of the same
  ``translation_key`` created after it) nor its aliases.
- ``notify_leader.enqueue(page_id, event, comment="")`` queues one email by hand; run now
  with ``notify_leader.call(...)``; it returns True if an email was sent.
- Each email is in ``LeaderProfile.language`` and links only to the leader's space (never
  to the admin). Its subject and body come from ``<app>/email/<model_name>_subject.txt`` and
  ``<app>/email/<model_name>_event.txt`` when they exist (stories: ``storypage_*``), else from
  the generic ``stories/email/page_subject.txt`` / ``page_event.txt``; context: ``page`` (latest
  revision), ``event``, ``comment``, ``name``, ``space_url``.

Wagtail's own moderation emails (submitted, approved, rejected, comments) never go to
leaders: every Wagtail notification path reads the recipient's ``UserProfile``
``*_notifications`` flags, and ``silence_wagtail_notifications`` keeps them all off for
leaders, whenever a profile is saved, a user joins the group, or the database is migrated.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import BooleanField
from django.db.models.signals import m2m_changed, post_migrate, pre_save
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page, WorkflowState
from wagtail.signals import page_published, task_rejected
from wagtail.users.models import UserProfile

from helpers.email_retry import email_task
from helpers.emails import render_subject, render_text

from .access import is_leader, originals
from .workflow import LEADERS_GROUP

PUBLISHED = "published"
CHANGES_REQUESTED = "changes_requested"


def page_leader(page):
    """The project leader who owns ``page`` (a non-alias page), or None."""
    if page is None or page.alias_of_id is not None or page.owner_id is None:
        return None
    owner = page.owner
    if getattr(owner, "leader_profile", None) is None or not is_leader(owner):
        return None
    return owner


def is_original(page):
    """True unless ``page`` is an alias or a translation of an earlier page."""
    return originals(Page.objects.filter(pk=page.pk)).exists()


def space_url():
    """The absolute address of the leaders' space, in the active language."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("stories:space")


def _templates(page, kind):
    meta = page._meta
    return select_template(
        [f"{meta.app_label}/email/{meta.model_name}_{kind}.txt", f"stories/email/page_{kind}.txt"]
    ).template.name


@email_task()
def notify_leader(page_id, event, comment=""):
    """Email the leader who owns page ``page_id`` about ``event`` (PUBLISHED or
    CHANGES_REQUESTED); return True if an email was sent, False if the page is gone or not
    a leader's, or the leader has no email address."""
    page = Page.objects.filter(pk=page_id).select_related("owner").first()
    owner = page_leader(page)
    if owner is None or not owner.email:
        return False
    page = page.specific
    profile = owner.leader_profile
    with translation.override(profile.language):
        context = {
            "page": page.get_latest_revision_as_object(),
            "event": event,
            "comment": comment,
            "name": profile.public_name,
            "space_url": space_url(),
        }
        subject = render_subject(_templates(page, "subject"), context)
        body = render_text(_templates(page, "event"), context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    return True


def after_review(page, revision):
    """True if ``page`` is published for the first time, or because a review approved
    ``revision`` (not when staff republish it after a small fix)."""
    if page.first_published_at is not None and page.first_published_at == page.last_published_at:
        return True
    return (
        revision is not None
        and WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_APPROVED, current_task_state__revision=revision)
        .exists()
    )


def _on_published(sender, instance, revision=None, **kwargs):
    if (
        page_leader(instance) is not None
        and is_original(instance)
        and after_review(instance, revision)
    ):
        notify_leader.enqueue(instance.pk, PUBLISHED)


def _on_rejected(sender, instance, user=None, **kwargs):
    page = getattr(instance.workflow_state, "content_object", None)
    if isinstance(page, Page) and page_leader(page) is not None:
        notify_leader.enqueue(page.pk, CHANGES_REQUESTED, instance.get_comment())


# Wagtail's own moderation emails


NOTIFICATION_FLAGS = [
    field.name
    for field in UserProfile._meta.get_fields()
    if isinstance(field, BooleanField) and field.name.endswith("_notifications")
]


def _silence_profile(sender, instance, **kwargs):
    """Before a UserProfile is saved (Wagtail creates one on first use): a leader's keeps
    every notification flag off."""
    if instance.user_id and _in_leaders_group(instance.user_id):
        for flag in NOTIFICATION_FLAGS:
            setattr(instance, flag, False)


def _in_leaders_group(user_id):
    return get_user_model().objects.filter(pk=user_id, groups__name=LEADERS_GROUP).exists()


def silence_wagtail_notifications(users=None):
    """Turn off every Wagtail notification flag of ``users`` (default: every leader) that
    are leaders, creating their profiles if needed."""
    leaders = get_user_model().objects.filter(groups__name=LEADERS_GROUP)
    if users is not None:
        leaders = leaders.filter(pk__in=[getattr(user, "pk", user) for user in users])
    for user in leaders:
        UserProfile.get_for_user(user).save()  # _silence_profile sets the flags


def _on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add":
        return
    if reverse:  # group.user_set.add(...)
        if instance.name == LEADERS_GROUP:
            silence_wagtail_notifications(pk_set)
    else:  # user.groups.add(...)
        silence_wagtail_notifications([instance.pk])


def _on_migrated(sender, **kwargs):
    if sender.name == "stories":
        silence_wagtail_notifications()


def connect():
    page_published.connect(_on_published, dispatch_uid="stories.notify_published")
    task_rejected.connect(_on_rejected, dispatch_uid="stories.notify_rejected")
    pre_save.connect(_silence_profile, sender=UserProfile, dispatch_uid="stories.silence_profile")
    m2m_changed.connect(
        _on_groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="stories.silence_new_leaders",
    )
    post_migrate.connect(_on_migrated, dispatch_uid="stories.silence_leaders")
