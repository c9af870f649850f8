"""Ways to help, on the leaders' side: a leader writes their campaign's needs, sees who
offered (with contacts), withdraws an offer, adds one made in person, and is emailed, in
their language and without the helper's details, when someone offers online."""

from decimal import Decimal

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

import pytest
from bs4 import BeautifulSoup

from campaigns import offers
from campaigns.factories import CampaignPageFactory
from campaigns.needs import HelpOffer, Need, NeedKind, OfferSource, OfferStatus
from home.locales import create_language_aliases
from tests.stories.helpers import make_leader, url

pytestmark = pytest.mark.django_db

NEED = {"kind": "task", "title": "", "language": "", "wanted": "2", "hours": "", "is_open": "on"}


def make_need(campaign, **fields):
    values = {
        "campaign_key": campaign.translation_key,
        "kind": NeedKind.TASK,
        "title": "Construire les bacs",
        "language": "fr",
        "wanted": 1,
        "hours": Decimal("3"),
    }
    values.update(fields)
    return Need.objects.create(**values)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def french_leader(django_user_model, campaign):
    return make_leader(django_user_model, "louis", campaign, language="fr")


@pytest.mark.parametrize(
    ("writer", "language", "title", "direction"),
    [("louis", "fr", "Construire les bacs", "ltr"), ("nadia", "ar", "بناء الأحواض", "rtl")],
)
def test_a_leader_adds_a_need_written_in_their_language(
    client, campaign, leader, french_leader, writer, language, title, direction
):
    author = {"louis": french_leader, "nadia": leader}[writer]
    client.force_login(author)
    # the form proposes the leader's own language, whatever the page's
    form = soup(client.get(url("help_need_new", campaign.pk, language="en")))
    assert form.select_one("select[name=language] option[selected]")["value"] == language
    assert [radio["value"] for radio in form.select("input[name=kind]")] == ["task", "thing"]

    response = client.post(
        url("help_need_new", campaign.pk, language=language),
        {**NEED, "title": title, "language": language, "hours": "1,5"},
    )
    assert response.status_code == 302
    in_reader_language = campaign.get_translations(inclusive=True).get(
        locale__language_code=language
    )
    assert response["Location"] == url("help_needs", in_reader_language.pk, language=language)
    need = Need.objects.get(title=title)
    assert (need.language, need.campaign_key, need.created_by) == (
        language,
        campaign.translation_key,
        author,
    )
    assert (need.wanted, need.hours, need.is_open) == (2, Decimal("1.5"), True)

    page = soup(client.get(url("help_needs", campaign.pk, language=language)))
    assert page.html["dir"] == direction
    assert title in page.select_one(".need__title").get_text()
    # read from a page of another language, the need keeps its own lang and dir
    other = "ar" if language == "fr" else "fr"
    heading = soup(client.get(url("help_needs", campaign.pk, language=other))).select_one(
        ".need__title"
    )
    assert (heading["lang"], heading["dir"]) == (language, direction)


def test_bad_input_shows_the_form_again_with_a_message_never_a_500(client, campaign, leader):
    need = make_need(campaign, wanted=2)
    offers.offer(need, name="Awa", email="awa@example.org", language="fr")
    offers.offer(need, name="Bilal", phone="0612345678", language="fr")
    client.force_login(leader)
    new = url("help_need_new", campaign.pk, language="ar")
    base = {**NEED, "title": "بناء", "language": "ar"}

    response = client.post(new, {**base, "hours": "abc"})
    assert response.status_code == 400
    assert in_language("ar", "Give the hours as a number between 0.5 and 100.") in (
        response.content.decode()
    )
    assert client.post(new, {**base, "wanted": "0"}).status_code == 400
    assert client.post(new, {**base, "wanted": "many"}).status_code == 400
    assert client.post(new, {**base, "kind": "money"}).status_code == 400
    assert client.post(new, {**base, "starts_at": "tomorrow"}).status_code == 400
    assert client.post(new, {}).status_code == 400
    assert Need.objects.count() == 1

    # fewer than the two people already confirmed
    response = client.post(
        url("help_need_edit", need.pk, language="ar"),
        {**NEED, "title": need.title, "language": "fr", "wanted": "1"},
    )
    assert response.status_code == 400
    error = soup(response).select_one(".field-error").get_text()
    assert error == in_language(
        "ar", "%(taken)s are already confirmed: ask fewer only after some withdraw."
    ) % {"taken": 2}
    need.refresh_from_db()
    assert (need.wanted, need.taken) == (2, 2)

    # the in-person offer form: no contact, a quantity out of range
    add = url("help_offer_new", need.pk, language="ar")
    assert client.post(add, {"name": "Chloé", "quantity": "1", "language": "fr"}).status_code == 400
    response = client.post(
        add, {"name": "Chloé", "phone": "0612345678", "quantity": "99", "language": "fr"}
    )
    assert response.status_code == 400
    assert HelpOffer.objects.count() == 2


def test_raising_the_number_wanted_confirms_those_waiting(
    client, campaign, leader, django_capture_on_commit_callbacks
):
    need = make_need(campaign, wanted=1)
    offers.offer(need, name="Awa", phone="0612345678", language="fr")
    waiting = offers.offer(need, name="Bilal", email="bilal@example.org", language="pt")
    assert waiting.status == OfferStatus.WAITLISTED
    client.force_login(leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("help_need_edit", need.pk, language="fr"),
            {**NEED, "title": "Construire les bacs", "language": "fr", "wanted": "3"},
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    need.refresh_from_db()
    assert waiting.status == OfferStatus.CONFIRMED
    assert (need.wanted, need.taken) == (3, 2)
    assert [message.to for message in mail.outbox] == [["bilal@example.org"]]


def test_a_leader_closes_and_reopens_a_need(client, campaign, leader):
    need = make_need(campaign)
    client.force_login(leader)
    assert client.get(f"/fr/help/{need.pk}/").status_code == 200  # the public form
    toggle = url("help_need_open", need.pk, language="fr")
    assert client.get(toggle).status_code == 405  # a link never changes anything

    assert client.post(toggle, {"open": "0"}).status_code == 302
    need.refresh_from_db()
    assert not need.is_open
    assert client.get(f"/fr/help/{need.pk}/").status_code == 302  # back to the campaign
    page = soup(client.get(url("help_needs", campaign.pk, language="fr")))
    assert page.select_one(f"form[action='{toggle}'] input[name=open]")["value"] == "1"

    client.post(toggle, {"open": "1"})
    need.refresh_from_db()
    assert need.is_open


def test_a_leader_sees_the_offers_with_contacts_and_withdraws_one(
    client, campaign, leader, django_capture_on_commit_callbacks
):
    need = make_need(campaign, wanted=1)
    first = offers.offer(
        need,
        name="Awa Diop",
        email="awa@example.org",
        phone="06 12 34 56 78",
        availability="Samedi matin",
        note="J'apporte une pelle",
        language="fr",
    )
    second = offers.offer(need, name="Bilal", email="bilal@example.org", language="ar")
    third = offers.offer(need, name="Chloé", phone="0698765432", language="fr")
    assert [first.status, second.status, third.status] == ["confirmed", "waitlisted", "waitlisted"]
    client.force_login(leader)

    response = client.get(url("help_offers", need.pk, language="fr"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = soup(response)
    text = page.get_text()
    for shown in ["Awa Diop", "awa@example.org", "06 12 34 56 78", "Samedi matin", "une pelle"]:
        assert shown in text, shown
    waiting = [item.get_text() for item in page.select("ol .help-offer__name")]
    assert waiting == ["Bilal", "Chloé"]  # in order

    withdraw = url("help_offer_withdraw", first.pk, language="fr")
    confirm = client.get(withdraw)
    assert confirm.status_code == 200 and "Awa Diop" in confirm.content.decode()
    first.refresh_from_db()
    assert first.status == OfferStatus.CONFIRMED  # asking changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, second.status, third.status) == (
        OfferStatus.WITHDRAWN,
        OfferStatus.CONFIRMED,
        OfferStatus.WAITLISTED,
    )
    assert [message.to for message in mail.outbox] == [["bilal@example.org"]]  # promoted

    html = client.get(url("help_offers", need.pk, language="fr")).content.decode()
    assert "Awa Diop" in html  # still listed, as withdrawn, without a way to reach her
    for hidden in ["awa@example.org", "06 12 34 56 78", "Samedi matin", "une pelle"]:
        assert hidden not in html, hidden
    assert "bilal@example.org" in html
    # withdrawing again is harmless
    assert client.post(withdraw).status_code == 302
    second.refresh_from_db()
    assert second.status == OfferStatus.CONFIRMED


def test_a_leader_adds_an_offer_made_in_person(
    client, campaign, leader, django_capture_on_commit_callbacks
):
    need = make_need(campaign, wanted=2, is_open=False)  # closed online, open to the team
    client.force_login(leader)
    assert client.get(url("help_offer_new", need.pk, language="ar")).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("help_offer_new", need.pk, language="ar"),
            {"name": "Karim", "email": "karim@example.org", "quantity": "2", "language": "ar"},
        )
    assert response.status_code == 302
    item = HelpOffer.objects.get()
    assert (item.status, item.source, item.taken_by, item.quantity) == (
        OfferStatus.CONFIRMED,
        OfferSource.SPACE,
        leader,
        2,
    )
    # the helper is told; the leader who typed it is not told of their own offer
    assert [message.to for message in mail.outbox] == [["karim@example.org"]]


def test_only_the_campaigns_leaders_see_anything(client, campaign, leader, django_user_model):
    need = make_need(campaign)
    item = offers.offer(need, name="Awa", email="awa@example.org", language="fr")
    other_campaign = CampaignPageFactory(parent=campaign.get_parent(), title="Autre campagne")
    create_language_aliases(other_campaign)
    other_leader = make_leader(django_user_model, "lea", other_campaign, language="fr")
    reader = django_user_model.objects.create_user("visitor", "visitor@example.org", "pw")
    pages = [
        url("help_needs", campaign.pk, language="fr"),
        url("help_need_new", campaign.pk, language="fr"),
        url("help_need_edit", need.pk, language="fr"),
        url("help_offers", need.pk, language="fr"),
        url("help_offer_new", need.pk, language="fr"),
        url("help_offer_withdraw", item.pk, language="fr"),
    ]
    posts = [
        (url("help_need_open", need.pk, language="fr"), {"open": "0"}),
        (url("help_offer_withdraw", item.pk, language="fr"), {}),
        (url("help_need_edit", need.pk, language="fr"), {**NEED, "title": "X", "language": "fr"}),
        (url("help_offer_new", need.pk, language="fr"), {"name": "X", "phone": "0612345678"}),
    ]

    def answers(expected):
        for address in pages:
            response = client.get(address)
            assert response.status_code == expected, address
            assert b"awa@example.org" not in response.content
        for address, data in posts:
            assert client.post(address, data).status_code == expected, address

    client.force_login(other_leader)
    assert client.get(url("help_needs", other_campaign.pk, language="fr")).status_code == 200
    answers(404)
    client.force_login(reader)
    answers(403)
    client.logout()
    answers(302)  # to the leaders' login page
    assert client.get(pages[0])["Location"].startswith(url("login", language="fr"))

    need.refresh_from_db()
    item.refresh_from_db()
    assert (need.is_open, need.title, item.status) == (True, "Construire les bacs", "confirmed")
    assert HelpOffer.objects.count() == 1

    # the campaign's own leader, from any language's page of it
    client.force_login(leader)
    arabic = campaign.get_translations().get(locale__language_code="ar")
    assert client.get(url("help_needs", arabic.pk, language="ar")).status_code == 200


def test_an_online_offer_emails_each_leader_in_their_language_without_the_helper(
    client, campaign, leader, french_leader, django_capture_on_commit_callbacks, mailoutbox
):
    need = make_need(campaign, title="Prêter une perceuse", kind=NeedKind.THING, hours=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/help/{need.pk}/",
            {
                "name": "Zoé Martin",
                "email": "zoe@example.org",
                "phone": "0611223344",
                "quantity": "1",
                "availability": "Le soir",
                "note": "Une Bosch",
                "language": "pt",
            },
        )
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"zoe@example.org", "nadia@example.org", "louis@example.org"}
    for address, language in [("nadia@example.org", "ar"), ("louis@example.org", "fr")]:
        message = by_address[address]
        assert message.body.startswith(in_language(language, "Hello,"))
        offers_link = "http://localhost" + url("help_offers", need.pk, language=language)
        assert offers_link in message.body
        assert "Prêter une perceuse" in message.subject
        for private in ["Zoé", "Martin", "zoe@example.org", "0611223344", "Le soir", "Bosch"]:
            assert private not in message.body and private not in message.subject, private
    assert in_language("ar", "Hello,") != in_language("fr", "Hello,")

    client.force_login(leader)
    html = client.get(url("help_offers", need.pk, language="ar")).content.decode()
    assert "Zoé Martin" in html and "zoe@example.org" in html


def test_a_waiting_offer_is_told_as_waiting_and_a_former_leader_is_not_told(
    client, campaign, leader, french_leader, django_capture_on_commit_callbacks, mailoutbox
):
    need = make_need(campaign, wanted=1)
    offers.offer(need, name="Awa", phone="0612345678", language="fr", notify=False)
    french_leader.is_active = False
    french_leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/fr/help/{need.pk}/",
            {"name": "Zoé", "phone": "0611223344", "quantity": "1", "language": "fr"},
        )
    assert [message.to for message in mailoutbox] == [["nadia@example.org"]]
    with translation.override("ar"):
        assert (
            gettext("New offer of help, on the waiting list: %(title)s") % {"title": need.title}
            == mailoutbox[0].subject
        )


def test_the_space_links_each_campaign_to_its_ways_to_help(client, campaign, leader):
    need = make_need(campaign)
    offers.offer(need, name="Awa", phone="0612345678", language="fr")
    client.force_login(leader)
    page = soup(client.get(url("space", language="fr")))
    assert page.select_one(f"a[href='{url('help_needs', campaign.pk, language='fr')}']")
    assert page.select_one(".help-figures") is not None  # 1 person helps


def test_the_offers_page_costs_the_same_queries_whatever_the_number_of_offers(
    client, campaign, leader, django_assert_max_num_queries
):
    need = make_need(campaign, wanted=3)
    client.force_login(leader)
    offers_url = url("help_offers", need.pk, language="fr")
    offers.offer(need, name="Helper 0", phone="0612345678", language="fr", notify=False)
    client.get(offers_url)  # warm up the per-process caches (locales, site)
    with django_assert_max_num_queries(40) as few:
        assert client.get(offers_url).status_code == 200
    for number in range(1, 12):
        item = offers.offer(
            need, name=f"Helper {number}", phone="0612345678", language="fr", notify=False
        )
        if number % 4 == 0:
            offers.withdraw(item)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(offers_url).content.decode()
    assert html.count("Helper ") >= 12
