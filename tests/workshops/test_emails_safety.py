"""Emails carry no stranger's text and read as plain text (issue 10, finding 10).

- The registration confirmation goes to an address nobody verified: it carries nothing the
  registrant typed (the name could be a message to a third party), only the association's
  own words, the workshop and the links.
- Names and titles lose their line breaks; subjects are one line (a story title with a line
  break made the leader's notification fail with BadHeaderError).
- Subjects are plain text: "L'atelier d'Awa & co", not "L&#x27;atelier d&#x27;Awa &amp; co".
"""

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

import pytest

from donations import ledger
from donations.tasks import send_donation_confirmation
from stories.factories import StoryPageFactory
from stories.models import StoryPage
from stories.notifications import PUBLISHED, notify_leader
from tests.stories.helpers import make_leader, photo, story_data, url
from workshops import registrations
from workshops.models import Registration
from workshops.tasks import send_registration_email

pytestmark = pytest.mark.django_db

TITLE = "L'atelier d'Awa & co <3"
RELAY = "Mallory\r\nYour parcel is waiting: pay at https://evil.example/\r\n"


def subject(language, message, title):
    """The subject expected, from the catalogue (its no-break spaces included)."""
    with translation.override(language):
        return gettext(message) % {"title": title}


@pytest.fixture
def titled_workshop(workshop):
    workshop.title = TITLE
    workshop.save_revision().publish()
    return workshop


def register(client, workshop, data, capture):
    with capture(execute=True):
        return client.post(f"/fr/workshops/{workshop.pk}/register/", data)


def test_the_confirmation_carries_nothing_the_registrant_typed(
    client, titled_workshop, registration_data, django_capture_on_commit_callbacks
):
    data = {**registration_data, "name": RELAY, "language": "fr", "accessibility_needs": "Bonjour"}
    response = register(client, titled_workshop, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.subject == subject("fr", "Registration confirmed: %(title)s", TITLE)
    assert "Bonjour," in message.body  # greeted, without the name
    for typed in ("Mallory", "evil.example", "parcel", "Bonjour\n"):
        assert typed not in message.body
    assert TITLE in message.body


def test_names_lose_their_line_breaks(
    client, titled_workshop, registration_data, django_capture_on_commit_callbacks
):
    data = {**registration_data, "name": "  Fatou\r\n\tDiop \n"}
    register(client, titled_workshop, data, django_capture_on_commit_callbacks)
    assert Registration.objects.get().name == "Fatou Diop"


def test_subjects_are_one_line_even_when_a_title_has_line_breaks(
    client, workshop, registration_data, django_capture_on_commit_callbacks
):
    workshop.title = "Atelier\r\nBcc: everyone@example.org"
    workshop.save_revision().publish()
    data = {**registration_data, "language": "fr"}
    register(client, workshop, data, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == subject(
        "fr", "Registration confirmed: %(title)s", "Atelier Bcc: everyone@example.org"
    )
    assert message.message()["Bcc"] is None


def test_waiting_list_and_promotion_subjects_are_plain_text(
    titled_workshop, django_capture_on_commit_callbacks
):
    titled_workshop.capacity = 1
    titled_workshop.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        first = registrations.register(
            titled_workshop, name="A", seats=1, language="en", email="a@example.org"
        )
        registrations.register(
            titled_workshop, name="B", seats=1, language="en", email="b@example.org"
        )
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel(first)
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"Registration confirmed: {TITLE}",
        f"Waiting list: {TITLE}",
        f"A seat is free for you: {TITLE}",
    ]
    assert send_registration_email.call(first.pk, "confirmed") is False  # cancelled since


def test_a_story_title_with_line_breaks_is_notified_in_one_plain_line(
    django_user_model,
    campaign,
    story_index,
):
    leader = make_leader(django_user_model, "awa", campaign, language="fr")
    story = StoryPageFactory(
        parent=story_index, title="L'histoire\r\nd'Awa & co", owner=leader, live=True
    )
    assert notify_leader.call(story.pk, PUBLISHED) is True
    (message,) = mail.outbox
    assert message.subject == subject(
        "fr", "Your story “%(title)s” is published", "L'histoire d'Awa & co"
    )


def test_story_titles_lose_their_line_breaks(
    client,
    django_user_model,
    campaign,
    story_index,
):
    leader = make_leader(django_user_model, "awa", campaign)
    client.force_login(leader)
    data = story_data(campaign, title="افتتاح\r\nالحديقة", photo_1=photo())
    assert client.post(url("story_new"), data).status_code == 302
    assert StoryPage.objects.get(owner=leader, alias_of__isnull=True).title == "افتتاح الحديقة"


def test_the_donation_confirmation_subject_is_plain_text(campaign):
    campaign.title = TITLE
    campaign.save_revision().publish()
    donation = ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=2_000,
        offline_method="cash",
        donor_email="don@example.org",
        language="fr",
    )
    mail.outbox.clear()
    assert send_donation_confirmation.call(donation.pk) is True
    (message,) = mail.outbox
    assert message.subject == subject("fr", "Thank you for your gift to %(title)s", TITLE)
