"""Offering help on a campaign without an account: the form, the waiting list, the emails,
withdrawing by the emailed link, bad input, and what the campaign page shows."""

import datetime
import re
from decimal import Decimal

from django.core import mail, signing
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from campaigns import help_links, offers
from campaigns.factories import CampaignPageFactory
from campaigns.help_forms import NeedForm
from campaigns.needs import HelpFigures, HelpOffer, Need, NeedKind, OfferStatus

pytestmark = pytest.mark.django_db

OFFER = {"name": "Fatou Diallo", "email": "fatou@example.org", "quantity": "1", "language": "ar"}


def make_need(campaign, **fields):
    values = {
        "campaign_key": campaign.translation_key,
        "kind": NeedKind.TASK,
        "title": "Construire les bacs",
        "language": "fr",
        "wanted": 3,
        "hours": Decimal("3"),
    }
    values.update(fields)
    return Need.objects.create(**values)


@pytest.fixture
def need(campaign):
    return make_need(campaign)


def offer_url(need, lang="fr"):
    return f"/{lang}/help/{need.pk}/"


def post(client, need, data, capture, lang="fr"):
    with capture(execute=True):
        return client.post(offer_url(need, lang), data)


def withdraw_path(message):
    return re.search(r"https?://[^/\s]+(/\S+/help/withdraw/\S+/)", message.body).group(1)


def test_an_offer_is_confirmed_and_the_helper_emailed_in_their_language(
    client, need, django_capture_on_commit_callbacks
):
    form_page = client.get(offer_url(need))
    assert form_page.status_code == 200
    assert form_page["X-Robots-Tag"] == "noindex"
    soup = BeautifulSoup(form_page.content, "html.parser")
    assert soup.find("form", method="post").find("input", {"name": "csrfmiddlewaretoken"})
    assert "Construire les bacs" in soup.get_text()

    response = post(client, need, {**OFFER, "quantity": "2"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    item = HelpOffer.objects.get()
    assert item.status == OfferStatus.CONFIRMED and item.quantity == 2
    assert item.campaign_key == need.campaign_key
    need.refresh_from_db()
    assert need.taken == 2

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "fatou@example.org" in page.content.decode()

    (message,) = mail.outbox
    assert message.to == ["fatou@example.org"]
    assert "مرحب" in message.body  # Arabic, the language the helper chose
    assert "Construire les bacs" in message.subject
    assert "Fatou" not in message.body  # nothing the helper typed goes to the address
    assert "/ar/help/withdraw/" in message.body


def test_a_full_need_puts_the_next_offers_on_the_waiting_list_in_turn(
    client, campaign, django_capture_on_commit_callbacks
):
    need = make_need(campaign, wanted=2)
    first = offers.offer(need, name="A", language="fr", quantity=2, phone="0601020304")
    second = offers.offer(need, name="B", language="fr", quantity=2, phone="0601020305")
    need.refresh_from_db()
    assert first.status == OfferStatus.CONFIRMED and need.state == "waitlist"
    assert second.status == OfferStatus.WAITLISTED

    form_page = client.get(offer_url(need)).content.decode()
    assert "Join the waiting list" in form_page or "liste d'attente" in form_page

    response = post(client, need, {**OFFER, "language": "fr"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    third = HelpOffer.objects.get(name="Fatou Diallo")
    assert third.status == OfferStatus.WAITLISTED
    (message,) = mail.outbox
    assert "attente" in message.subject.lower()

    # the waiting list is first come, first served: freeing 1 place moves nobody past B (2)
    need.wanted = 3
    need.save()
    assert offers.fill_from_waiting_list(need) == []
    need.wanted = 5
    need.save()
    promoted = offers.fill_from_waiting_list(need)
    assert [item.name for item in promoted] == ["B", "Fatou Diallo"]


def test_withdrawing_by_the_emailed_link_promotes_the_first_waiting(
    client, campaign, django_capture_on_commit_callbacks
):
    need = make_need(campaign, wanted=1)
    post(client, need, OFFER, django_capture_on_commit_callbacks)
    waiting = {**OFFER, "name": "Léa", "email": "lea@example.org", "language": "fr"}
    post(client, need, waiting, django_capture_on_commit_callbacks)
    later = {**waiting, "name": "Zoé", "email": "zoe@example.org"}
    post(client, need, later, django_capture_on_commit_callbacks)
    assert HelpOffer.objects.get(name="Léa").status == OfferStatus.WAITLISTED
    path = withdraw_path(mail.outbox[0])
    mail.outbox.clear()

    # a mail scanner following the link withdraws nothing
    asked = client.get(path)
    assert asked.status_code == 200
    assert HelpOffer.objects.get(name="Fatou Diallo").status == OfferStatus.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    assert done.status_code == 200
    assert HelpOffer.objects.get(name="Fatou Diallo").status == OfferStatus.WITHDRAWN
    assert HelpOffer.objects.get(name="Léa").status == OfferStatus.CONFIRMED
    assert HelpOffer.objects.get(name="Zoé").status == OfferStatus.WAITLISTED
    need.refresh_from_db()
    assert need.taken == 1
    (message,) = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "/fr/help/withdraw/" in message.body

    # withdrawing twice changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(path)
    assert again.status_code == 200
    need.refresh_from_db()
    assert need.taken == 1 and len(mail.outbox) == 1


def test_bad_input_gets_translated_messages_and_keeps_what_was_typed(client, need):
    response = client.post(
        offer_url(need, "ar"),
        {"name": "فاطمة", "email": "", "phone": "", "quantity": "9", "language": "ar"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "فاطمة" in html  # what was typed stays
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="offer-errors") is not None
    assert not HelpOffer.objects.exists()

    bad_phone = client.post(offer_url(need), {**OFFER, "email": "", "phone": "call me"})
    assert bad_phone.status_code == 400 and not HelpOffer.objects.exists()
    too_long = client.post(offer_url(need), {**OFFER, "note": "x" * 1001})
    assert too_long.status_code == 400 and not HelpOffer.objects.exists()


def test_a_closed_or_past_need_takes_no_offer(client, campaign):
    closed = make_need(campaign, is_open=False)
    assert client.get(offer_url(closed)).status_code == 302
    response = client.post(offer_url(closed), OFFER)
    assert response.status_code == 400
    assert not HelpOffer.objects.exists()
    with pytest.raises(offers.OffersClosed):
        offers.offer(closed, name="A", language="fr", phone="0601020304")

    past = make_need(campaign, starts_at=timezone.now() - datetime.timedelta(hours=1))
    assert past.state == "past"
    assert client.post(offer_url(past), OFFER).status_code == 400
    assert not HelpOffer.objects.exists()


def test_staff_add_to_a_closed_need_but_never_to_a_past_one(campaign, admin_user):
    closed = make_need(campaign, is_open=False, wanted=1)
    item = offers.offer(closed, name="A", language="fr", phone="0601020304", staff=admin_user)
    assert item.status == OfferStatus.CONFIRMED and item.source == "phone"
    past = make_need(campaign, starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(offers.OffersClosed):
        offers.offer(past, name="B", language="fr", phone="0601020305", staff=admin_user)


def test_unknown_needs_and_campaigns_the_public_may_not_see_are_404(client, campaign, need):
    assert client.get("/fr/help/999999/").status_code == 404
    campaign.unpublish()
    assert client.get(offer_url(need)).status_code == 404
    assert client.post(offer_url(need), OFFER).status_code == 404


def test_tampered_and_expired_links_are_refused_with_a_400(client, campaign):
    need = make_need(campaign, starts_at=timezone.now() + datetime.timedelta(days=2))
    item = offers.offer(need, name="A", language="fr", phone="0601020304")
    token = help_links.withdraw_token(item)
    assert client.get(f"/fr/help/withdraw/{token}x/").status_code == 400
    assert client.get(f"/fr/help/offer/{token}/").status_code == 400  # another salt
    Need.objects.filter(pk=need.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    expired = signing.dumps(
        {"o": item.pk, "e": int(timezone.now().timestamp()) - 10},
        salt=help_links.WITHDRAW_SALT,
        compress=True,
    )
    response = client.post(f"/fr/help/withdraw/{expired}/")
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == OfferStatus.CONFIRMED


def test_the_campaign_page_shows_needs_and_people_who_help(client, campaign):
    task = make_need(campaign, wanted=4, hours=Decimal("2.5"))
    thing = make_need(campaign, kind=NeedKind.THING, title="Prêter une perceuse", hours=None)
    arabic = make_need(campaign, title="ورشة طلاء", language="ar", wanted=2, hours=None)
    offers.offer(task, name="A", language="fr", quantity=2, email="a@example.org")
    offers.offer(task, name="A again", language="fr", quantity=1, email="A@example.org")
    offers.offer(thing, name="B", language="fr", quantity=1, phone="06 01 02 03 04")
    offers.offer(arabic, name="C", language="fr", quantity=1, phone="0601020305")
    offers.offer(arabic, name="D", language="fr", quantity=2, phone="0601020306")  # waits

    figures = HelpFigures.for_campaign(campaign.translation_key)
    # A counts once (with the people they bring), B and C once each
    assert figures.people == 4
    assert figures.hours == Decimal("7.5")
    assert figures.things == 1

    html = client.get(campaign.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find(id="help")
    assert section is not None
    assert "Construire les bacs" in section.get_text()
    figures_line = soup.select_one(".funding-panel .help-figures").get_text(" ", strip=True)
    assert "4" in figures_line and "7,5" in figures_line
    links = [a["href"] for a in section.select(".need__action a")]
    assert offer_url(task) in links and offer_url(thing) in links
    written_in_arabic = section.find(lang="ar")
    assert written_in_arabic is not None and written_in_arabic["dir"] == "rtl"
    assert soup.select_one(".funding-panel a[href='#help']") is not None

    # a withdrawal is on the page at once (the campaign's cache tag is purged)
    offers.withdraw(HelpOffer.objects.get(name="B"))
    html = client.get(campaign.url).content.decode()
    assert BeautifulSoup(html, "html.parser").select_one(".help-figures") is not None
    assert HelpFigures.for_campaign(campaign.translation_key).things == 0


def test_a_campaign_without_needs_shows_no_section(client, campaign):
    soup = BeautifulSoup(client.get(campaign.url).content, "html.parser")
    assert soup.find(id="help") is None
    assert soup.select_one(".help-figures") is None
    assert soup.select_one("a[href='#help']") is None


def test_the_need_form_reads_hours_as_text_and_keeps_confirmed_places(campaign, admin_user):
    form = NeedForm(
        data={
            "kind": "task",
            "title": "Peindre",
            "language": "fr",
            "wanted": "3",
            "hours": "1,5",
            "is_open": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("1.5")
    for bad in ("abc", "0", "1e9", "NaN"):
        form = NeedForm(
            data={"kind": "task", "title": "P", "language": "fr", "wanted": "3", "hours": bad}
        )
        assert not form.is_valid() and "hours" in form.errors, bad

    need = make_need(campaign, wanted=3)
    offers.offer(need, name="A", language="fr", quantity=2, phone="0601020304")
    need.refresh_from_db()
    form = NeedForm(
        instance=need,
        data={"kind": "task", "title": "P", "language": "fr", "wanted": "1", "hours": ""},
    )
    assert not form.is_valid() and "wanted" in form.errors


def test_a_flood_of_offers_gets_a_429_with_when_to_retry(client, need, settings):
    settings.HELP_OFFER_POSTS_PER_IP = (3, 600)
    for _attempt in range(3):
        assert client.post(offer_url(need), {**OFFER, "email": ""}).status_code == 400
    flood = client.post(offer_url(need, "en"), OFFER)
    assert flood.status_code == 429 and int(flood["Retry-After"]) >= 1
    assert "Too many attempts" in flood.content.decode()
    assert not HelpOffer.objects.exists()


def test_needs_no_longer_taking_offers_show_after_the_open_ones_if_answered(client, campaign):
    past = make_need(campaign, title="Nettoyage du square", wanted=2)
    offers.offer(past, name="A", language="fr", phone="0601020304")
    Need.objects.filter(pk=past.pk).update(starts_at=timezone.now() - datetime.timedelta(days=1))
    make_need(campaign, title="Jamais répondu", is_open=False)
    make_need(campaign, title="Arroser", sort_order=5)
    soup = BeautifulSoup(client.get(campaign.url).content, "html.parser")
    titles = [h.get_text(strip=True) for h in soup.select("#help .need__title")]
    assert titles == ["Arroser", "Nettoyage du square"]
    assert "need--past" in soup.select("#help .need")[1]["class"]
    assert not soup.select("#help .need--past .need__action")


def test_the_campaign_listing_finds_campaigns_looking_for_help(client, campaign, home_page):
    index = campaign.get_parent().specific
    other = CampaignPageFactory(parent=index, title="Sans besoin")
    listing = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert listing.find("select", {"name": "help"}) is None  # no need anywhere: no filter

    make_need(campaign, title="Arroser")
    make_need(other, title="Fini", starts_at=timezone.now() - datetime.timedelta(days=1))
    listing = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert listing.find("select", {"name": "help"}) is not None
    both = listing.get_text()
    assert campaign.title in both and "Sans besoin" in both
    wanted = client.get(index.url, {"help": "wanted"}).content.decode()
    assert campaign.title in wanted and "Sans besoin" not in wanted
    # an unknown value is ignored, never an error
    assert "Sans besoin" in client.get(index.url, {"help": "<x>"}).content.decode()
