"""The thank-you page means something (issue 13): the campaign's new total, sharing links
that work without JavaScript, and no promise of a receipt that does not exist."""

import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Locale

import pytest

from donations import ledger
from donations.models import Donation, DonationStatus
from donations.tasks import send_donation_confirmation
from helpers.money import format_money
from home.locales import create_language_aliases
from stories.factories import StoryIndexPageFactory, StoryPageFactory

LANGUAGES = ["fr", "ar", "en", "pt", "zh-hans"]
# Words of a receipt promise, in the English msgids and as they read in French
RECEIPT_WORDS = re.compile(r"receipt|certificate|tax|reçu|fiscal|impôt", re.I)


def give_and_pay(client, campaign, lang, cents_typed="5,50", **fields):
    """Give on the form and pay on the demo checkout; return the thank-you page's response."""
    with translation.override(lang):
        url = reverse("donations:donate", args=[campaign.translation_key])
    form = {
        "amount_choice": "custom",
        "custom_amount": cents_typed,
        "display": "anonymous",
        "consent": "on",
        **fields,
    }
    checkout = client.post(url, form)
    assert checkout.status_code == 302
    thanks = client.post(checkout["Location"], {"action": "pay"})
    assert thanks.status_code == 302
    return client.get(thanks["Location"])


def share_hrefs(body):
    section = re.search(r'<section class="giving-share".*?</section>', body, re.S)
    assert section, "the thank-you page offers no way to pass the campaign on"
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', section.group(0))]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_thank_you_page_shows_the_new_total(client, campaign, lang):
    ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=1000)
    before = ledger.tally(campaign.translation_key)
    response = give_and_pay(client, campaign, lang)
    assert response.status_code == 200
    raised, donors = ledger.tally(campaign.translation_key)
    assert (raised, donors) == (before[0] + 550, before[1] + 1)
    body = response.content.decode()
    progress = re.search(r'<div class="progress">.*?</div>', body, re.S).group(0)
    assert f"<strong>{format_money(raised, lang)}</strong>" in progress
    assert f'value="{raised * 100 // campaign.goal_cents}"' in progress


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_share_links_are_well_formed_and_url_encoded(client, campaign, lang):
    body = give_and_pay(client, campaign, lang).content.decode()
    with translation.override(lang):
        campaign_url = campaign.localized.get_full_url()
    whatsapp, sms, email = share_hrefs(body)
    assert whatsapp.startswith("https://wa.me/?text=")
    assert sms.startswith("sms:?&body=")
    assert email.startswith("mailto:?subject=")
    for href in (whatsapp, sms, email):
        encoded = href.split("=", 1)[1]
        assert not re.search(r"[ :/?&“”]", encoded.split("&body=")[-1]), href  # all encoded
    message = unquote(whatsapp.removeprefix("https://wa.me/?text="))
    assert campaign_url in message and campaign.title in message
    assert unquote(sms.removeprefix("sms:?&body=")) == message
    query = parse_qs(urlsplit(email).query)
    assert query["body"] == [message] and campaign.title in query["subject"][0]
    copy = re.search(r'<input type="text" id="giving-share-url"[^>]*>', body).group(0)
    assert f'value="{campaign_url}"' in copy and "readonly" in copy
    assert re.search(r'<label for="giving-share-url">', body)
    # the copy button is an enhancement: hidden until the script shows it
    assert re.search(r"<button [^>]*data-copy=\"giving-share-url\"[^>]*hidden", body)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_and_no_email_promises_a_receipt(client, campaign, lang):
    mail.outbox.clear()
    response = give_and_pay(client, campaign, lang, donor_email="awa@example.org")
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert not RECEIPT_WORDS.search(main), main
    donation = Donation.objects.get()
    assert donation.status == DonationStatus.PAID
    send_donation_confirmation.call(donation.pk)
    assert mail.outbox, "no confirmation email"
    assert not RECEIPT_WORDS.search(mail.outbox[-1].body + mail.outbox[-1].subject)
    with translation.override(lang):
        form = client.get(reverse("donations:donate", args=[campaign.translation_key]))
    form_body = form.content.decode()
    form_main = form_body[form_body.index("<main") : form_body.index("</main>")]
    assert not RECEIPT_WORDS.search(form_main)
    with translation.override(lang):
        for msgid in (
            "For your receipt and tax certificate, and the campaign's news if you ask for it. "
            "Never shown, never shared.",
            # (a template's "%" is "%%" in the catalogue, and rendered as "%")
            "Your tax receipt will follow. 66 %% of your gift can be deducted from your income "
            "tax in France.",
        ):
            sentence = gettext(msgid).replace("%%", "%")
            assert sentence not in body + form_body + mail.outbox[-1].body


@pytest.mark.django_db
def test_a_gift_still_being_confirmed_promises_no_email_to_a_donor_who_gave_none(client, campaign):
    with translation.override("fr"):
        url = reverse("donations:donate", args=[campaign.translation_key])
    form = {"amount_choice": "25", "display": "anonymous", "consent": "on"}
    client.post(url, form)
    donation = Donation.objects.get()
    with translation.override("fr"):
        body = client.get(reverse("donations:thanks", args=[donation.uuid])).content.decode()
        promise = gettext(
            "Your payment of %(amount)s is being confirmed by the bank. You will get an email "
            "as soon as it is done."
        ) % {"amount": format_money(2500)}
    assert donation.status == DonationStatus.PENDING
    assert promise not in body
    assert "giving-share" not in body  # nothing to pass on before the gift is paid


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_thank_you_page_shows_the_campaigns_stories(client, campaign, home_page, lang):
    index = StoryIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    story = StoryPageFactory(parent=index, title="Le jardin a ouvert", campaign=campaign)
    create_language_aliases(story)
    elsewhere = StoryPageFactory(parent=index, title="Une autre histoire")
    create_language_aliases(elsewhere)
    draft = StoryPageFactory(
        parent=index, title="Pas encore publiée", campaign=campaign, live=False
    )

    body = give_and_pay(client, campaign, lang).content.decode()
    with translation.override(lang):
        assert gettext("Stories from this project") in body
    copy = story.get_translation(Locale.objects.get(language_code=lang))
    assert f'href="{copy.url}"' in body  # the story, in the donor's language
    assert elsewhere.title not in body and draft.title not in body
