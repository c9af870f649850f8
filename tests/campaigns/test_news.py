"""Campaign news: a leader writes it from the space, the team reviews and publishes it, it
shows on the campaign page and is emailed once to each donor who asked, in their language."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Locale, Page, WorkflowState

import pytest

from campaigns.factories import CampaignNewsPageFactory
from campaigns.news import CampaignNewsPage, NewsDelivery
from campaigns.news_emails import send_news
from donations import ledger
from donations.forms import DonationForm
from donations.models import Donation, DonationStatus
from donations.unsubscribe import unsubscribe_token
from helpers.demo import translate
from home.locales import create_language_aliases
from tests.stories.helpers import make_leader, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(django_user_model, campaign):
    return make_leader(django_user_model, "nadia", campaign, language="fr")


class EnglishTable(dict):
    """A translator who writes "[en] " before every string."""

    def get(self, key, default=None):
        return f"[en] {key}"


def give(campaign, email, language, wants_news=True, pay=True, cents=2500):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name="",
        donor_email=email,
        display="anonymous",
        message="",
        language=language,
        wants_news=wants_news,
        provider="demo",
    )
    if pay:
        ledger.transition(donation.pk, DonationStatus.PAID, payment_id=f"demo-{donation.uuid}")
    return donation


def space_url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(f"stories:{name}", args=args)


def news_data(campaign, **overrides):
    return {
        "language": "fr",
        "campaign": str(campaign.translation_key),
        "title": "Les bacs sont posés",
        "text": "Samedi, vingt voisins ont posé les bacs.\n\nMerci à vous !",
        **overrides,
    }


def write_and_publish(client, leader, reviewer, campaign, capture, **data):
    """The leader writes and submits news; the reviewer approves it (publishes). Returns it."""
    client.force_login(leader)
    response = client.post(space_url("news_new"), {**news_data(campaign, **data), "submit": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    news = CampaignNewsPage.objects.get(
        owner=leader, title=data.get("title", "Les bacs sont posés"), alias_of__isnull=True
    )
    for block in news.get_latest_revision_as_object().body:
        if block.block_type == "image":  # the leader's photos are private until published
            assert block.value["image"].file.name.startswith("private/")
    assert news.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    with capture(execute=True):
        news.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    news.refresh_from_db()
    assert news.live
    return news


def news_emails():
    return [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]


def test_donors_who_asked_get_the_news_once_in_their_language(
    client, leader, reviewer, campaign, django_capture_on_commit_callbacks
):
    give(campaign, "fatima@example.org", "ar")
    give(campaign, "Fatima@Example.org", "ar")  # the same donor twice: one email
    give(campaign, "jean@example.org", "en")
    give(campaign, "jean@example.org", "fr")  # latest gift in French: French
    give(campaign, "nonews@example.org", "fr", wants_news=False)
    give(campaign, "unpaid@example.org", "fr", pay=False)
    mail.outbox.clear()

    news = write_and_publish(
        client,
        leader,
        reviewer,
        campaign,
        django_capture_on_commit_callbacks,
        photo_1=photo(),
        alt_1="Des bacs de terre",
        consent="on",
    )
    (image_block,) = [block for block in news.body if block.block_type == "image"]
    image = image_block.value["image"]
    image.refresh_from_db()
    assert not image.file.name.startswith("private/")  # public once the news is published
    emails = news_emails()
    assert sorted(m.to[0] for m in emails) == ["fatima@example.org", "jean@example.org"]
    by_address = {m.to[0]: m for m in emails}
    french, arabic = by_address["jean@example.org"], by_address["fatima@example.org"]
    assert "Les bacs sont posés" in french.subject
    assert "Samedi, vingt voisins ont posé les bacs." in french.body
    assert "Des bacs de terre" in french.body
    assert "not been translated" not in french.body
    # no Arabic translation yet: the original, said in Arabic (the catalogue's words)
    assert "Samedi, vingt voisins" in arabic.body
    with translation.override("ar"):
        assert "/ar/" in arabic.body
    for message in emails:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
        assert link in message.body
        other = "jean" if "fatima" in message.to[0] else "fatima"
        assert other not in message.body  # no other donor named
    assert NewsDelivery.objects.filter(news_key=news.translation_key).count() == 2
    assert news.get_parent().specific.pk == campaign.pk

    # publishing again, or a translation, sends nothing more
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision(user=reviewer).publish()
    with django_capture_on_commit_callbacks(execute=True):
        translate(news, "en", EnglishTable())
    assert news_emails() == []
    assert send_news.call(news.pk) == 0  # the task run again: nobody twice

    # the translation is what an English reader gets now (the task run by hand for a new donor)
    give(campaign, "sam@example.org", "en")
    assert send_news.call(news.pk) == 1
    (english,) = news_emails()
    assert "[en] Samedi, vingt voisins" in english.body
    assert "not been translated" not in english.body


def test_a_news_written_in_arabic_reaches_french_donors_with_a_notice(
    client, django_user_model, reviewer, campaign, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "amal", campaign, language="ar")
    give(campaign, "claire@example.org", "fr")
    give(campaign, "salma@example.org", "ar")
    mail.outbox.clear()
    news = write_and_publish(
        client,
        leader,
        reviewer,
        campaign,
        django_capture_on_commit_callbacks,
        language="ar",
        title="زرعنا الحديقة",
        text="جاء عشرون جارًا.",
    )
    assert news.locale.language_code == "ar"
    assert news.get_parent().translation_key == campaign.translation_key
    emails = {m.to[0]: m for m in news_emails()}
    assert set(emails) == {"claire@example.org", "salma@example.org"}
    assert "جاء عشرون جارًا." in emails["salma@example.org"].body
    claire = emails["claire@example.org"]
    assert "جاء عشرون جارًا." in claire.body
    with translation.override("fr"):
        notice = gettext(
            "This news has not been translated into your language yet: here it is in its "
            "original language (%(language)s)."
        )
    assert notice.split("(")[0].strip()[:20] in claire.body
    # shown on the Arabic campaign page
    arabic_campaign = Page.objects.get(
        translation_key=campaign.translation_key, locale__language_code="ar"
    )
    assert "زرعنا الحديقة" in client.get(arabic_campaign.url).content.decode()


def test_unsubscribed_donors_get_no_more_news(
    client, leader, reviewer, campaign, django_capture_on_commit_callbacks
):
    give(campaign, "leo@example.org", "fr")
    give(campaign, "mia@example.org", "fr")
    token = unsubscribe_token("LEO@example.org", campaign.translation_key)
    link = reverse("donations:news_unsubscribe", args=[token])
    # a GET (a mail scanner opening the link) changes nothing
    page = client.get(link)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Donation.objects.get(donor_email="leo@example.org").wants_news
    # the mail client's one-click POST, without session or CSRF token
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Donation.objects.get(donor_email="leo@example.org").wants_news
    mail.outbox.clear()
    write_and_publish(client, leader, reviewer, campaign, django_capture_on_commit_callbacks)
    assert [m.to for m in news_emails()] == [["mia@example.org"]]


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "W10:1abc:forged"])
def test_a_forged_unsubscribe_link_answers_400_translated(client, campaign, token):
    give(campaign, "leo@example.org", "fr")
    forged = unsubscribe_token("leo@example.org", campaign.translation_key)[:-3] + "abc"
    for value in (token, forged):
        with translation.override("ar"):
            link = reverse("donations:news_unsubscribe", args=[value])
        for method in (client.get, client.post):
            response = method(link)
            assert response.status_code == 400
            assert 'lang="ar"' in response.content.decode()
    assert Donation.objects.get(donor_email="leo@example.org").wants_news


def test_the_news_checkbox_is_unticked_and_needs_an_email(client, campaign):
    form = DonationForm()
    assert form["wants_news"].initial in (None, False)
    with translation.override("fr"):
        url = reverse("donations:donate", args=[campaign.translation_key])
    html = client.get(url).content.decode()
    box = re.search(r'<input[^>]*name="wants_news"[^>]*>', html).group(0)
    assert "checked" not in box
    data = {
        "amount_choice": "25",
        "donor_name": "Awa",
        "donor_email": "",
        "display": "name",
        "consent": "on",
        "wants_news": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'id="id_donor_email_error">(.*?)</span></span>', page, re.S).group(1)
    with translation.override("fr"):
        assert translation.gettext("Give your email to receive the campaign's news.") in error
    # with an email, the wish is recorded on the gift
    response = client.post(url, {**data, "donor_email": "awa@example.org"})
    assert response.status_code == 302
    assert Donation.objects.get(donor_email="awa@example.org").wants_news
    response = client.post(url, {**data, "donor_email": "bob@example.org", "wants_news": ""})
    assert not Donation.objects.get(donor_email="bob@example.org").wants_news


def test_leaders_see_only_their_news_never_copies_nor_donors(
    client, django_user_model, leader, campaign
):
    client.force_login(leader)
    response = client.post(space_url("news_new"), news_data(campaign))
    assert response.status_code == 302
    news = CampaignNewsPage.objects.get(owner=leader, alias_of__isnull=True)
    copies = CampaignNewsPage.objects.filter(alias_of=news)
    assert copies.count() == len(Locale.objects.all()) - 1
    give(campaign, "secret-donor@example.org", "fr")
    space = client.get(space_url("space")).content.decode()
    assert space.count("<h3><bdi>Les bacs sont posés</bdi></h3>") == 1
    assert "secret-donor@example.org" not in space
    # A translation (here: the English copy turned into one, as wagtail-localize does) is the
    # reviewers' work: not listed either.
    english = copies.get(locale__language_code="en")
    Page.objects.filter(pk=english.pk).update(alias_of=None, title="The planters are in")
    space = client.get(space_url("space")).content.decode()
    assert space.count("<h3><bdi>Les bacs sont posés</bdi></h3>") == 1
    assert "The planters are in" not in space
    for copy in [*copies, english]:
        for name in ["news_edit", "news_preview"]:
            response = client.get(space_url(name, copy.pk))
            assert response.status_code == 302
            assert response["Location"] == space_url(name, news.pk)
        assert client.post(space_url("news_submit", copy.pk))["Location"] == space_url(
            "news_submit", news.pk
        )
    other = make_leader(django_user_model, "bruno", None, language="fr")
    client.force_login(other)
    assert client.get(space_url("news_edit", news.pk)).status_code == 404
    assert client.get(space_url("news_preview", news.pk)).status_code == 404
    assert client.post(space_url("news_new"), news_data(campaign)).status_code == 400


def test_bad_input_keeps_what_was_typed(client, leader, campaign):
    client.force_login(leader)
    response = client.post(
        space_url("news_new"), news_data(campaign, title="", photo_1=photo(), alt_1="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Samedi, vingt voisins" in page
    assert 'name="kept_1"' in page and 'value=""' not in re.search(
        r'<input[^>]*name="kept_1"[^>]*>', page
    ).group(0)
    assert not CampaignNewsPage.objects.exists()


def test_campaign_page_queries_do_not_grow_with_news(
    client, campaign, django_assert_max_num_queries
):
    def add_news(count):
        for _ in range(count):
            news = CampaignNewsPageFactory(parent=campaign)
            create_language_aliases(news)

    add_news(2)
    client.get(campaign.url)
    with django_assert_max_num_queries(200) as captured:
        client.get(campaign.url)
    few = len(captured.captured_queries)
    add_news(8)
    with django_assert_max_num_queries(few) as captured:
        html = client.get(campaign.url).content.decode()
    assert html.count("campaign-news__item") == 3
    assert "?news=all#news" in html
    with django_assert_max_num_queries(few):
        html = client.get(campaign.url + "?news=all").content.decode()
    assert html.count("campaign-news__item") == 10


@override_settings(LANGUAGE_CODE="fr")
def test_news_pages_render_in_every_language(client, campaign):
    news = CampaignNewsPageFactory(parent=campaign, title="Première récolte")
    create_language_aliases(news)
    for copy in CampaignNewsPage.objects.filter(translation_key=news.translation_key):
        response = client.get(copy.url)
        assert response.status_code == 200
        assert "Première récolte" in response.content.decode()


def test_changes_requested_reach_the_leader_in_their_language_and_show_in_the_space(
    client, django_user_model, reviewer, campaign, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, "amal", campaign, language="ar")
    client.force_login(leader)
    client.post(space_url("news_new", language="ar"), {**news_data(campaign), "submit": "1"})
    news = CampaignNewsPage.objects.get(owner=leader, alias_of__isnull=True)
    assert client.get(space_url("news_edit", news.pk)).status_code == 409  # in review
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news.current_workflow_state.current_task_state.specific.reject(
            user=reviewer, comment="Ajoutez la date de la fête"
        )
    (message,) = [m for m in mail.outbox if m.to == [leader.email]]
    assert "Ajoutez la date de la fête" in message.body
    assert "/ar/space/" in message.body and "/admin/" not in message.body
    space = client.get(space_url("space", language="ar")).content.decode()
    assert "Ajoutez la date de la fête" in space and "status--changes_requested" in space
    # the leader fixes it and sends it again
    response = client.post(
        space_url("news_edit", news.pk, language="ar"),
        {"title": "Les bacs sont posés", "text": "La fête est samedi.", "submit": "1"},
    )
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "La fête est samedi." in str(news.get_latest_revision_as_object().body.raw_data)
    assert not news_emails()  # nothing goes to donors before it is published


def test_a_copy_on_the_campaign_page_is_marked_with_the_language_of_its_text(client, campaign):
    news = CampaignNewsPageFactory(parent=campaign, title="Première récolte")
    create_language_aliases(news)
    arabic_campaign = Page.objects.get(
        translation_key=campaign.translation_key, locale__language_code="ar"
    )
    html = client.get(arabic_campaign.url).content.decode()
    assert '<h3 class="card__title" lang="fr" dir="ltr">' in html
    assert 'lang="fr" dir="ltr">Les premiers bacs sont posés.</p>' in html
    assert 'lang="fr"' not in client.get(campaign.url).content.decode().split('id="news"')[1]
