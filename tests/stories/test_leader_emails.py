"""Review emails for leaders: the project's own, in their language, linking to the space;
never Wagtail's moderation emails; "published" once per page, not per translation."""

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation

import pytest

from stories.models import StoryIndexPage, StoryPage
from stories.notifications import (
    CHANGES_REQUESTED,
    NOTIFICATION_FLAGS,
    PUBLISHED,
    notify_leader,
)
from stories.workflow import LEADERS_GROUP, assign_to_story_listing, ensure_groups
from tests.stories.helpers import make_leader, story_data, url

COMMENT = "Ajoutez le nombre de visiteurs, s'il vous plaît."


def french(msgid, title="Le jardin ouvre"):
    with translation.override("fr"):
        text = translation.gettext(msgid) % {"title": title}
    assert text != msgid % {"title": title}  # translated
    return text


def write_and_submit(client, leader, campaign, language):
    for index in StoryIndexPage.objects.all():  # as publishing a listing does
        assign_to_story_listing(index)
    client.force_login(leader)
    data = story_data(campaign, language=language, consent="", title="Le jardin ouvre")
    assert client.post(url("story_new", language=language), data).status_code == 302
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    assert client.post(url("story_submit", story.pk, language=language)).status_code == 302
    return story


def reject_in_admin(client, reviewer, story, comment):
    """The reviewer requests changes from the Wagtail admin, as they would in a browser."""
    client.force_login(reviewer)
    task_state = story.current_workflow_state.current_task_state
    action = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "reject", task_state.pk])
    response = client.post(action, {"comment": comment})
    assert response.status_code in (200, 302), response.content.decode()[:300]
    story.refresh_from_db()
    assert story.current_workflow_state.status == "needs_changes"


@pytest.mark.django_db
def test_changes_requested_then_published_french_leader(
    client, django_user_model, campaign, story_index, reviewer, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "awa", campaign, language="fr")
    story = write_and_submit(client, leader, campaign, "fr")
    assert StoryPage.objects.filter(alias_of=story).count() == 4  # the language copies
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reject_in_admin(client, reviewer, story, COMMENT)
    to_leader = [message for message in mail.outbox if leader.email in message.to]
    assert len(to_leader) == 1, [m.subject for m in mail.outbox]
    (message,) = to_leader
    assert message.subject == french("Changes requested on your story “%(title)s”")
    assert COMMENT in message.body
    assert "http://testserver/fr/space/" in message.body
    assert "/admin/" not in message.body

    # The leader fixes and resubmits; the reviewer approves (which publishes).
    client.force_login(leader)
    client.post(
        url("story_edit", story.pk, language="fr"),
        {**story_data(campaign, language="fr", consent="", title="Le jardin ouvre"), "submit": "1"},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state = story.current_workflow_state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    story.refresh_from_db()
    assert story.live
    to_leader = [message for message in mail.outbox if leader.email in message.to]
    assert [m.subject for m in to_leader] == [french("Your story “%(title)s” is published")]
    assert "http://testserver/fr/space/" in to_leader[0].body
    assert "/admin/" not in to_leader[0].body
    # Wagtail sent nothing of its own to the leader (its "approved" email would be here).
    assert not any("Auto-Submitted" in m.extra_headers for m in to_leader)


@pytest.mark.django_db
def test_arabic_leader_gets_arabic_email_with_arabic_space_link(
    client, leader, campaign, reviewer, django_capture_on_commit_callbacks
):
    story = write_and_submit(client, leader, campaign, "ar")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state = story.current_workflow_state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "reject", comment="أضيفوا الصور")
    (message,) = mail.outbox
    assert message.to == [leader.email]
    assert "أضيفوا الصور" in message.body and "http://testserver/ar/space/" in message.body
    with translation.override("ar"):
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Nadia"}
    assert greeting in message.body


@pytest.mark.django_db
def test_published_once_per_story_not_per_translation(
    client, django_user_model, campaign, story_index, reviewer, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "awa", campaign, language="fr")
    story = write_and_submit(client, leader, campaign, "fr")
    with django_capture_on_commit_callbacks(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    published = [m for m in mail.outbox if leader.email in m.to]
    assert len(published) == 1  # not one more for each of the 4 language copies

    # A reviewer translates it into English with wagtail-localize and publishes it.
    mail.outbox.clear()
    english_locale = Locale.objects.get(language_code="en")
    client.force_login(reviewer)
    with translation.override("en"):
        response = client.post(
            f"/admin/localize/submit/page/{story.pk}/", {"locales": [english_locale.pk]}
        )
    assert response.status_code == 302
    job = Translation.objects.get(source__object_id=story.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        job.save_target(user=reviewer, publish=True)
    english = story.get_translation(english_locale)
    assert english.live and english.alias_of_id is None
    assert [m for m in mail.outbox if leader.email in m.to] == []

    # Staff republishing it after a small fix: no email.
    with django_capture_on_commit_callbacks(execute=True):
        story.refresh_from_db()
        story.save_revision(user=reviewer).publish(user=reviewer)
    assert [m for m in mail.outbox if leader.email in m.to] == []

    # The leader edits it and a new review approves it: told again, once.
    client.force_login(leader)
    data = story_data(campaign, language="fr", consent="", title="Le jardin ouvre")
    client.post(url("story_edit", story.pk, language="fr"), {**data, "submit": "1"})
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    assert len([m for m in mail.outbox if leader.email in m.to]) == 1


@pytest.mark.django_db
def test_any_page_a_leader_owns_gets_the_generic_email(
    django_user_model, campaign, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "awa", campaign, language="fr")
    campaign.owner = leader
    campaign.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.save_revision(user=leader).publish()
    (message,) = mail.outbox
    assert message.to == [leader.email]
    with translation.override("fr"):
        expected = translation.gettext("Published on the site: “%(title)s”") % {
            "title": campaign.title
        }
    assert message.subject == expected
    assert "http://testserver/fr/space/" in message.body and "/admin/" not in message.body
    assert notify_leader.call(campaign.pk, CHANGES_REQUESTED, "x") is True

    # A page owned by someone who is not a leader, or a copy: nothing.
    other = campaign.get_translations().filter(alias_of__isnull=False).first()
    if other is not None:
        assert notify_leader.call(other.pk, PUBLISHED) is False
    campaign.owner = django_user_model.objects.create_user("staff", "staff@example.org")
    campaign.save()
    assert notify_leader.call(campaign.pk, PUBLISHED) is False


@pytest.mark.django_db
def test_leaders_never_get_wagtail_notifications(django_user_model, campaign, story_index):
    # Someone with a profile that asked for every notification becomes a leader.
    user = django_user_model.objects.create_user("later", "later@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    assert all(getattr(profile, flag) for flag in NOTIFICATION_FLAGS)

    ensure_groups()
    Group.objects.get(name=LEADERS_GROUP).user_set.add(user)
    profile.refresh_from_db()
    assert NOTIFICATION_FLAGS and not any(getattr(profile, flag) for flag in NOTIFICATION_FLAGS)

    # Turning a flag back on does not stick, and a new leader starts silenced.
    profile.rejected_notifications = True
    profile.save()
    profile.refresh_from_db()
    assert not profile.rejected_notifications
    leader = make_leader(django_user_model, "nadia", campaign)
    assert not any(getattr(UserProfile.get_for_user(leader), f) for f in NOTIFICATION_FLAGS)
