"""Nothing private comes out of the JSON API, whatever one asks for.

Every attempt in LEAK_ATTEMPTS runs against a site holding drafts, a private page, a leader's
story in review (with its photo), donations and workshop registrations, each marked with a
word that must never appear in a response.
"""

import json

from wagtail.models import Locale, PageViewRestriction

import pytest

from campaigns.factories import CampaignPageFactory
from donations import ledger
from home.factories import ImageFactory, StandardPageFactory
from home.locales import create_language_aliases
from stories.models import StoryPage
from tests.api.helpers import walk
from tests.stories.helpers import make_leader, photo, story_data, url
from workshops.factories import WorkshopPageFactory
from workshops.registrations import register

SECRETS = [
    "SECRET",  # titles of drafts, private pages, a story in review, revisions
    "secret-donor@example.org",
    "Secret Donor",
    "nadia@example.org",  # a project leader's email
    "Secret Registrant",
    "registrant@example.org",
    "0612345678",
]


@pytest.fixture
def private_site(client, django_user_model, home_page, campaign, story_index, workshop_index):
    """A site with every kind of thing the API must not show."""
    index = campaign.get_parent()
    draft = CampaignPageFactory(parent=index, title="SECRET draft campaign", live=False)

    campaign.title = "SECRET unpublished change"
    campaign.save_revision()  # a draft revision of a live page

    private = StandardPageFactory(parent=home_page, title="SECRET private page")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    private_child = StandardPageFactory(parent=private, title="SECRET private child")
    # Restricted after its copies in the other languages were made: they are private too
    later = StandardPageFactory(parent=home_page, title="SECRET restricted later")
    create_language_aliases(later)
    PageViewRestriction.objects.create(
        page=later, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    later_copy = later.get_translation(Locale.objects.get(language_code="ar"))

    leader = make_leader(django_user_model, "nadia", campaign)
    client.force_login(leader)
    response = client.post(
        url("story_new"), story_data(campaign, title="SECRET story in review", photo_1=photo())
    )
    assert response.status_code == 302
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    assert client.post(url("story_submit", story.pk)).status_code == 302
    client.logout()
    story_photo = story.get_latest_revision_as_object().body[-1].value["images"][0]["image"]

    ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=5_000,
        offline_method="cheque",
        donor_name="Secret Donor",
        donor_email="secret-donor@example.org",
        message="SECRET message",
        display="name",
    )
    workshop = WorkshopPageFactory(parent=workshop_index, title="Atelier public")
    register(
        workshop,
        name="Secret Registrant",
        email="registrant@example.org",
        phone="0612345678",
        seats=1,
        language="fr",
        needs="SECRET needs",
        notify=False,
    )
    return {
        "draft": draft.pk,
        "campaign": campaign.pk,
        "private": private.pk,
        "private_child": private_child.pk,
        "private_copy": later_copy.pk,
        "story": story.pk,
        "story_path": story.get_url(),
        "photo": story_photo.pk,
        "workshop": workshop.pk,
    }


LEAK_ATTEMPTS = [
    ("draft campaign by id", "pages/{draft}/", {}),
    ("show_drafts", "pages/", {"show_drafts": "1"}),
    ("drafts by type", "pages/", {"type": "campaigns.CampaignPage", "fields": "*"}),
    ("live page, newer draft", "pages/{campaign}/", {"fields": "*"}),
    ("revision parameter", "pages/{campaign}/", {"revision": "latest"}),
    ("private page", "pages/{private}/", {}),
    ("private child", "pages/{private_child}/", {}),
    ("copy of a private page", "pages/{private_copy}/", {}),
    ("private pages in listing", "pages/", {"type": "home.StandardPage", "limit": "50"}),
    ("story in review by id", "pages/{story}/", {}),
    ("stories listing", "pages/", {"type": "stories.StoryPage", "fields": "*"}),
    ("story in review by path", "pages/find/", {"html_path": "{story_path}"}),
    ("search", "pages/", {"search": "SECRET"}),
    ("every page", "pages/", {"limit": "50", "fields": "*"}),
    ("leaders field", "pages/{campaign}/", {"fields": "leaders"}),
    ("owner field", "pages/{campaign}/", {"fields": "owner"}),
    ("donor field", "pages/{campaign}/", {"fields": "donor_email"}),
    ("donations field", "pages/{campaign}/", {"fields": "donations,recent_donations"}),
    ("donation type", "pages/", {"type": "donations.Donation"}),
    ("user type", "pages/", {"type": "auth.User"}),
    ("registrations", "pages/{workshop}/", {"fields": "*"}),
    ("registrations field", "pages/{workshop}/", {"fields": "registrations"}),
    ("images", "images/", {"fields": "*", "limit": "50"}),
    ("story photo by id", "images/{photo}/", {}),
    ("documents", "documents/", {"fields": "*"}),
    ("nested owner", "pages/{campaign}/", {"fields": "_,owner(*)"}),
]


# Asking for a hidden object by its id or address: it does not exist for the API
NOT_FOUND = {
    "draft campaign by id",
    "private page",
    "private child",
    "copy of a private page",
    "story in review by id",
    "story in review by path",
    "story photo by id",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name,path,params", LEAK_ATTEMPTS, ids=[a[0] for a in LEAK_ATTEMPTS])
def test_leak_attempt_returns_nothing_private(client, private_site, name, path, params):
    path = path.format(**private_site)
    params = {key: value.format(**private_site) for key, value in params.items()}
    response = client.get(f"/api/v2/{path}", params)

    assert response.status_code in (200, 400, 404), response.status_code
    if name in NOT_FOUND:
        assert response.status_code == 404, name
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, f"{name}: {secret!r} in {text[:500]}"
    body = json.loads(text)
    if response.status_code == 200 and "items" in body:
        ids = {item["id"] for item in body["items"]}
        hidden = {
            private_site[key]
            for key in ("draft", "private", "private_child", "private_copy", "story")
        }
        if path.startswith("images/"):
            hidden = {private_site["photo"]}
        assert not ids & hidden, name
    keys = set(walk(body))
    assert not keys & {"leaders", "owner", "donor_name", "donor_email", "email", "phone"}, name


@pytest.mark.django_db
def test_live_page_shows_its_published_version_only(client, private_site, campaign):
    response = client.get(f"/api/v2/pages/{private_site['campaign']}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Jardin des Couronnes"


@pytest.mark.django_db
def test_images_of_public_pages_are_listed(client, home_page):
    """The other side of the leak test: an image used by a live page is in the API."""
    used, unused = ImageFactory(title="used"), ImageFactory(title="unused")
    StandardPageFactory(
        parent=home_page,
        title="Avec image",
        body=[("image", {"image": used, "alt_text": "Une image", "caption": ""})],
    )
    response = client.get("/api/v2/images/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [used.pk]
    assert client.get(f"/api/v2/images/{unused.pk}/").status_code == 404
