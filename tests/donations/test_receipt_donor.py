"""Tax receipts as the donor sees them (issue 13, item 3): the giving form's receipt fields,
the emails (receipt with its PDF, cancellation, what the confirmation promises), the signed
download and address links and their pages."""

import datetime
import re
import time
from html import unescape

from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from campaigns.models import CampaignPage, FundingRule
from donations import ledger, receipt_emails, receipt_links, tax_receipts
from donations.models import Donation, DonationStatus, TaxReceipt, TaxReceiptStatus
from donations.tasks import send_donation_confirmation
from tests.donations.receipt_fixtures import (  # noqa: F401
    ADDRESS,
    offline_gift_with_receipt,
    receipts_on,
)
from tests.donations.receipt_mentions import pdf_text, required_mentions

RECEIPT_WORDS = re.compile(r"receipt|certificate|tax|reçu|fiscal|impôt|إيصال|ضريب", re.I)
LINK = re.compile(r"https?://\S+")
FORM_ADDRESS = {
    "receipt_name": "Awa Diallo",
    "address_line": "12 rue des Couronnes",
    "postal_code": "75020",
    "city": "Paris",
    "country": "France",
}


@pytest.fixture(autouse=True)
def _language_kept():
    """The test client's requests activate their page's language: put it back after each
    test, so that the next file's reverse() gives the French addresses it expects."""
    language = translation.get_language()
    yield
    translation.activate(language)


def donate_url(campaign, lang="fr"):
    with translation.override(lang):
        return reverse("donations:donate", args=[campaign.translation_key])


def gift(**overrides):
    return {
        "amount_choice": "custom",
        "custom_amount": "5,50",
        "donor_name": "",
        "donor_email": "awa@example.org",
        "display": "anonymous",
        "message": "",
        "consent": "on",
        **overrides,
    }


def main_of(body):
    return body[body.index("<main") : body.index("</main>")]


def give_and_pay(client, campaign, lang="fr", **fields):
    """Give on the form and pay on the demo checkout; return (gift, thank-you response)."""
    checkout = client.post(donate_url(campaign, lang), gift(**fields))
    assert checkout.status_code == 302, checkout.content.decode()[:3000]
    paid = client.post(checkout["Location"], {"action": "pay"})
    assert paid.status_code == 302
    donation = Donation.objects.get(uuid=paid["Location"].rstrip("/").rsplit("/", 1)[-1])
    return donation, client.get(paid["Location"])


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def links_in(message):
    return LINK.findall(message.body)


def address_token_of(url):
    return url.rstrip("/").rsplit("/", 1)[-1]


def thanks_body(response):
    return unescape(response.content.decode())


def summary_links(body):
    summary = re.search(r'<div [^>]*id="giving-errors".*?</div>', body, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="(#[^"]+)"', summary.group(0))


def field_error(body, name):
    found = re.search(rf'id="id_{name}_error">(.*?)</span></span>', body, re.S)
    return unescape(found.group(1)) if found else ""


def hold(campaign):
    CampaignPage.objects.filter(translation_key=campaign.translation_key).update(
        funding_rule=FundingRule.ALL_OR_NOTHING
    )


# --- the giving form ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_without_receipts_the_form_says_no_receipt_word(client, campaign, lang):
    body = client.get(donate_url(campaign, lang)).content.decode()
    assert not RECEIPT_WORDS.search(main_of(body))
    assert "wants_receipt" not in body
    # and a receipt asked for by hand is not kept
    client.post(donate_url(campaign, lang), gift(wants_receipt="on", **FORM_ADDRESS))
    donation = Donation.objects.get()
    assert not donation.wants_receipt and donation.receipt_name == ""


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_with_receipts_the_form_offers_one_with_labelled_fields(
    client,
    campaign,
    receipts_on,  # noqa: F811
    lang,
):
    body = client.get(donate_url(campaign, lang)).content.decode()
    fieldset = re.search(r'<fieldset class="giving-receipt".*?</fieldset>', body, re.S).group(0)
    with translation.override(lang):
        assert f">{gettext('Tax receipt')}</legend>" in fieldset
        assert gettext("I want a tax receipt") in unescape(fieldset)
        assert gettext("One receipt for all my gifts of the year, in January") in unescape(fieldset)
        assert gettext(
            "You can also give your address later: the confirmation email has a link."
        ) in unescape(fieldset)
    autocomplete = {
        "receipt_name": "name",
        "address_line": "street-address",
        "postal_code": "postal-code",
        "city": "address-level2",
        "country": "country-name",
    }
    for name, value in autocomplete.items():
        field = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', fieldset).group(0)
        assert f'autocomplete="{value}"' in field, field
        assert f'<label for="id_{name}">' in fieldset
        assert "hidden" not in field  # every field shows without JavaScript
    assert 'value="France"' in re.search(r'<input[^>]*id="id_country"[^>]*>', fieldset).group(0)
    assert "hidden" not in re.search(r'<div [^>]*id="giving-receipt-details"[^>]*>', body).group(0)
    # before the consent, as the errors are listed
    assert body.index('id="id_wants_receipt"') < body.index('id="id_consent"')


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_receipt_needs_an_email_said_next_to_it(client, campaign, receipts_on, lang):  # noqa: F811
    response = client.post(donate_url(campaign, lang), gift(donor_email="", wants_receipt="on"))
    assert response.status_code == 400
    assert not Donation.objects.exists()
    body = response.content.decode()
    with translation.override(lang):
        message = gettext("Give your email: the tax receipt is sent to it.")
    assert message in field_error(body, "donor_email")
    assert summary_links(body) == ["#id_donor_email"]


@pytest.mark.django_db
def test_a_half_given_address_is_an_error_on_each_missing_field(client, campaign, receipts_on):  # noqa: F811
    partial = {**FORM_ADDRESS, "postal_code": "", "city": ""}
    response = client.post(donate_url(campaign), gift(wants_receipt="on", **partial))
    assert response.status_code == 400
    assert not Donation.objects.exists()
    body = response.content.decode()
    assert summary_links(body) == ["#id_postal_code", "#id_city"]
    with translation.override("fr"):
        assert gettext("Give the city too, or leave the address empty for now.") in field_error(
            body, "city"
        )
    # what was typed stays
    assert 'value="12 rue des Couronnes"' in body and 'value="Awa Diallo"' in body
    field = re.search(r'<input[^>]*id="id_postal_code"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field and "id_postal_code_error" in field


@pytest.mark.django_db
def test_a_french_postal_code_has_five_digits(client, campaign, receipts_on):  # noqa: F811
    response = client.post(
        donate_url(campaign), gift(wants_receipt="on", **{**FORM_ADDRESS, "postal_code": "750"})
    )
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == ["#id_postal_code"]
    ok = client.post(
        donate_url(campaign), gift(wants_receipt="on", **{**FORM_ADDRESS, "postal_code": "75 020"})
    )
    assert ok.status_code == 302
    assert Donation.objects.get().postal_code == "75020"
    abroad = {**FORM_ADDRESS, "postal_code": "1000", "city": "Bruxelles", "country": "Belgique"}
    assert client.post(donate_url(campaign), gift(wants_receipt="on", **abroad)).status_code == 302


@pytest.mark.django_db
def test_the_receipt_fields_are_saved_on_the_gift_and_only_with_the_box(
    client,
    campaign,
    receipts_on,  # noqa: F811
):
    client.post(donate_url(campaign), gift(wants_receipt="on", receipt_yearly="on", **FORM_ADDRESS))
    saved = Donation.objects.get()
    assert saved.wants_receipt and saved.receipt_yearly and saved.has_receipt_address
    assert {name: getattr(saved, name) for name in FORM_ADDRESS} == FORM_ADDRESS
    Donation.objects.all().delete()
    # the box unticked: what was typed in the address is not kept
    client.post(donate_url(campaign), gift(receipt_yearly="on", **FORM_ADDRESS))
    saved = Donation.objects.get()
    assert not saved.wants_receipt and not saved.receipt_yearly and saved.receipt_name == ""
    Donation.objects.all().delete()
    # the address left for later (the country alone, filled in by default, is no address)
    client.post(donate_url(campaign), gift(wants_receipt="on", country="France"))
    saved = Donation.objects.get()
    assert saved.wants_receipt and not saved.has_receipt_address and saved.country == ""


@pytest.mark.django_db
def test_the_other_rules_of_the_form_still_hold_with_receipts(client, campaign, receipts_on):  # noqa: F811
    response = client.post(donate_url(campaign), gift(display="name", donor_email=""))
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == ["#id_donor_name"]
    response = client.post(donate_url(campaign), gift(donor_email="", wants_news="on"))
    assert summary_links(response.content.decode()) == ["#id_donor_email"]
    # no email needed without a receipt or news
    assert client.post(donate_url(campaign), gift(donor_email="")).status_code == 302


@pytest.mark.django_db
def test_the_receipt_name_is_never_shown_with_the_gift(client, campaign, receipts_on):  # noqa: F811
    receipt_name = "Aminata Receiptname"
    give_and_pay(
        client,
        campaign,
        wants_receipt="on",
        donor_name="Awa",
        display="name",
        **{**FORM_ADDRESS, "receipt_name": receipt_name},
    )
    page = client.get(campaign.url).content.decode()
    assert "Awa" in page and receipt_name not in page
    assert "12 rue des Couronnes" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"receipt_name": "A" * 5000},
        {"address_line": "x" * 100_000},
        {"postal_code": ["75020", "75019"]},
        {"city": "\x00Paris"},
        {"wants_receipt": "maybe", "country": "F" * 101},
        {"receipt_yearly": ["on", "on"], "receipt_name": "Awa\nDiallo"},
    ],
)
def test_bad_receipt_input_is_a_form_error_never_a_500(client, campaign, receipts_on, bad):  # noqa: F811
    data = gift(**{"wants_receipt": "on", **FORM_ADDRESS, **bad})
    response = client.post(donate_url(campaign), data)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        saved = Donation.objects.get()
        assert "\n" not in saved.receipt_name and len(saved.receipt_name) <= 150


# --- a paid gift's receipt: email, PDF, link ------------------------------------------------


@pytest.mark.django_db
def test_a_paid_gift_with_an_address_gets_its_receipt_by_email_with_the_pdf_and_link(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        donation, thanks = give_and_pay(client, campaign, wants_receipt="on", **FORM_ADDRESS)
    receipt = TaxReceipt.objects.get()
    assert list(receipt.donations.all()) == [donation]
    assert receipt.amount_cents == 550 and receipt.emailed_at is not None
    # paid, not yet issued when the page showed (the receipt follows on commit)
    with translation.override("fr"):
        soon = gettext(
            "Your tax receipt is emailed to you in a few minutes, in a separate email (a PDF "
            "to keep: the tax office may ask for it)."
        )
        said = gettext(
            "Your tax receipt n° %(number)s is emailed to you (a PDF to keep: the tax office "
            "may ask for it)."
        ) % {"number": receipt.number}
    assert soon in unescape(main_of(thanks.content.decode()))
    with translation.override("fr"):
        again = client.get(reverse("donations:thanks", args=[donation.uuid]))
    assert said in unescape(main_of(again.content.decode()))

    confirmation, sent = mail.outbox
    with translation.override("fr"):
        assert gettext("Your tax receipt is sent to you now, in a separate email.") in (
            confirmation.body
        )
    assert sent.to == ["awa@example.org"] and receipt.number in sent.subject
    assert "5,50" in sent.body and receipt.number in sent.body
    (name, content, mimetype), *_ = sent.attachments
    assert (name, mimetype) == (f"recu-fiscal-{receipt.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    (link,) = links_in(sent)
    assert link.startswith("http://testserver/fr/donate/tax-receipt/")

    response = client.get(path_of(link))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="recu-fiscal-{receipt.number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    text = pdf_text(response.content)
    missing = [mention for mention in required_mentions(receipt) if mention not in text]
    assert not missing, missing

    # sending again sends nothing
    assert receipt_emails.send_receipt(receipt.pk) is False
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_receipt_email_is_in_the_donors_language(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
    lang,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        give_and_pay(client, campaign, lang, wants_receipt="on", **FORM_ADDRESS)
    receipt = TaxReceipt.objects.get()
    assert receipt.language == lang
    sent = mail.outbox[-1]
    with translation.override(lang):
        subject = gettext("Your tax receipt n° %(number)s") % {"number": receipt.number}
    assert sent.subject == subject
    assert f"/{lang}/donate/tax-receipt/" in links_in(sent)[0]


@pytest.mark.django_db
def test_a_tampered_or_wrong_token_is_a_404_saying_so(client, campaign, receipts_on):  # noqa: F811
    gift_row = offline_gift_with_receipt(campaign)
    receipt = tax_receipts.issue([gift_row.pk])
    url = receipt_links.download_url(receipt)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    with translation.override("fr"):
        message = gettext("This link does not work")
    assert client.get("/fr/donate/tax-receipt/%00/").status_code in (400, 404)
    for bad in (
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        token.replace(":", ";", 1),
        "x" * 5000,
        receipt_links.address_token(gift_row),  # another link's token
    ):
        response = client.get(f"/fr/donate/tax-receipt/{bad}/")
        assert response.status_code == 404, bad
        assert message in response.content.decode()
    # and the download token is no address token either
    response = client.get(f"/fr/donate/tax-receipt/address/{token}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_cancelled_receipt_answers_410_with_its_replacement(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gift_row = offline_gift_with_receipt(campaign, cents=5000, language="ar")
    (old,) = TaxReceipt.objects.all()
    old_url = receipt_links.download_url(old)
    assert old_url.startswith("/ar/")
    gift_row.refunded_cents = 2000
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift_row)
    old.refresh_from_db()
    new = TaxReceipt.objects.get(status=TaxReceiptStatus.ISSUED)
    assert old.status == TaxReceiptStatus.CANCELLED and new.replaces == old

    response = client.get(old_url)
    assert response.status_code == 410
    assert response["X-Robots-Tag"] == "noindex"
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in body or 'lang="ar"' in body
    with translation.override("ar"):
        assert gettext("Receipt n° %(number)s replaces it.") % {"number": new.number} in body
    link = re.search(r'<a class="button button--primary" href="([^"]+)" download>', body).group(1)
    assert link == receipt_links.download_url(new)
    assert client.get(link)["Content-Type"] == "application/pdf"

    # the emails: the first receipt, its cancellation (naming the new one), the new receipt
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 3, subjects
    cancellation = next(m for m in mail.outbox if not m.attachments)
    assert old.number in cancellation.body and new.number in cancellation.body
    old.refresh_from_db()
    assert old.cancellation_emailed_at is not None
    assert receipt_emails.send_cancellation(old.pk) is False
    assert len(mail.outbox) == 3

    # refunded in full: cancelled, nothing replaces it
    with django_capture_on_commit_callbacks(execute=True):
        ledger.mark_returned(gift_row.pk, user=None, returned_on=gift_row.received_on)
    response = client.get(receipt_links.download_url(new))
    assert response.status_code == 410
    with translation.override("ar"):
        assert gettext("No receipt replaces it.") in response.content.decode()
    last = mail.outbox[-1]
    assert new.number in last.body and not last.attachments


@pytest.mark.django_db
def test_emails_go_once_and_only_with_an_address(campaign, receipts_on):  # noqa: F811
    mail.outbox.clear()
    gift_row = offline_gift_with_receipt(campaign, donor_email="")
    receipt = tax_receipts.issue([gift_row.pk])
    assert receipt_emails.send_receipt(receipt.pk) is False
    assert receipt_emails.send_cancellation(receipt.pk) is False
    assert not mail.outbox
    # a receipt cancelled before its email went out: neither is sent
    other = offline_gift_with_receipt(campaign, donor_email="b@example.org")
    second = tax_receipts.issue([other.pk])
    tax_receipts.cancel(second, reason="correction", notify=False)
    assert receipt_emails.send_receipt(second.pk) is False
    assert receipt_emails.send_cancellation(second.pk) is False
    assert not mail.outbox


# --- giving the address later ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_receipt_asked_without_address_comes_through_the_signed_link(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        donation, thanks = give_and_pay(client, campaign, wants_receipt="on")
    assert not TaxReceipt.objects.exists()
    (confirmation,) = mail.outbox
    with translation.override("fr"):
        asked = gettext(
            "To get your tax receipt, give the name and postal address it is made out to, "
            "on this page:"
        )
    assert asked in confirmation.body
    (link,) = [url for url in links_in(confirmation) if "/tax-receipt/address/" in url]
    assert receipt_links.load_gift(address_token_of(link)) == donation
    # the thank-you page has the link too
    (on_page,) = re.findall(r'href="(/fr/donate/tax-receipt/address/[^"]+)"', thanks_body(thanks))
    assert receipt_links.load_gift(address_token_of(on_page)) == donation

    page = client.get(path_of(link))
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert 'name="receipt_name"' in page.content.decode()
    assert 'name="donor_email"' not in page.content.decode()  # the gift has one
    bad = client.post(path_of(link), {**FORM_ADDRESS, "city": ""})
    assert bad.status_code == 400
    assert summary_links(bad.content.decode()) == ["#id_city"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path_of(link), FORM_ADDRESS)
    assert done.status_code == 302
    receipt = TaxReceipt.objects.get()
    assert receipt.donor_name == "Awa Diallo" and list(receipt.donations.all()) == [donation]
    sent = mail.outbox[-1]
    assert sent.attachments and receipt.number in sent.subject
    after = client.get(done["Location"])
    body = after.content.decode()
    assert receipt_links.download_url(receipt) in body and 'name="receipt_name"' not in body
    # posting again changes nothing on an issued receipt
    client.post(path_of(link), {**FORM_ADDRESS, "receipt_name": "Autre Nom"})
    donation.refresh_from_db()
    assert donation.receipt_name == "Awa Diallo"
    assert TaxReceipt.objects.count() == 1


@pytest.mark.django_db
def test_a_donor_who_did_not_ask_may_still_ask(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        donation, _ = give_and_pay(client, campaign, donor_email="")
    assert not mail.outbox  # no email: no confirmation
    with translation.override("fr"):
        donation_page = client.get(reverse("donations:thanks", args=[donation.uuid]))
    (url,) = re.findall(
        r'href="(/fr/donate/tax-receipt/address/[^"]+)"', thanks_body(donation_page)
    )
    assert receipt_links.load_gift(address_token_of(url)) == donation
    form = client.get(url).content.decode()
    assert 'name="donor_email"' in form  # the receipt is sent to it
    missing_email = client.post(url, FORM_ADDRESS)
    assert missing_email.status_code == 400
    assert summary_links(missing_email.content.decode()) == ["#id_donor_email"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**FORM_ADDRESS, "donor_email": "late@example.org"})
    donation.refresh_from_db()
    assert donation.wants_receipt and donation.donor_email == "late@example.org"
    receipt = TaxReceipt.objects.get()
    assert mail.outbox[-1].to == ["late@example.org"] and receipt.emailed_at


@pytest.mark.django_db
def test_the_address_page_says_when_a_held_or_yearly_receipt_comes(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    hold(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        donation, _ = give_and_pay(client, campaign, wants_receipt="on")
    url = receipt_links.address_url(donation)
    saved = client.post(url, FORM_ADDRESS)
    assert saved.status_code == 302 and not TaxReceipt.objects.exists()
    body = unescape(client.get(saved["Location"]).content.decode())
    with translation.override("fr"):
        assert gettext("Your name and address are saved.") in body
        assert (
            gettext(
                "Your tax receipt will be emailed to you once the campaign succeeds (it is all "
                "or nothing: if it does not reach its goal, your gift is refunded)."
            )
            in body
        )
    saved = client.post(url, {**FORM_ADDRESS, "receipt_yearly": "on"})
    body = unescape(client.get(saved["Location"]).content.decode())
    year = tax_receipts.gift_date(donation).year
    with translation.override("fr"):
        assert (
            gettext(
                "One tax receipt for all your gifts of %(year)s will be emailed to you in "
                "January %(january)s."
            )
            % {"year": year, "january": year + 1}
            in body
        )


@pytest.mark.django_db
def test_an_expired_or_forged_address_link_is_a_clear_404(
    client,
    campaign,
    receipts_on,  # noqa: F811
    monkeypatch,
):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=1000, donor_email="a@example.org"
    )
    ledger.transition(donation.pk, DonationStatus.PAID)
    fresh = receipt_links.address_url(donation)
    assert client.get(fresh).status_code == 200
    # a link signed 401 days ago
    real_time = time.time
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: real_time() - 401 * 24 * 3600)
        old = receipt_links.address_url(donation)
    assert old != fresh
    with monkeypatch.context() as patch:  # 399 days ago still works
        patch.setattr(time, "time", lambda: real_time() - 399 * 24 * 3600)
        recent = receipt_links.address_url(donation)
    assert client.get(recent).status_code == 200
    with translation.override("fr"):
        message = gettext("This link does not work")
    for url in (old, fresh[:-3] + "xx/", "/fr/donate/tax-receipt/address/%20/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert message in response.content.decode()
        assert client.post(url, FORM_ADDRESS).status_code == 404
    forged = signing.dumps(str(donation.uuid), salt="another-salt")
    assert client.get(f"/fr/donate/tax-receipt/address/{forged}/").status_code == 404


@pytest.mark.django_db
def test_the_address_page_of_a_refunded_gift_or_with_receipts_off(client, campaign, receipts_on):  # noqa: F811
    donation = ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=1000)
    url = receipt_links.address_url(donation)
    assert client.get(url).status_code == 404  # not paid
    ledger.transition(donation.pk, DonationStatus.PAID)
    assert client.get(url).status_code == 200
    receipts_on.enabled = False
    receipts_on.save()
    response = client.get(url)
    assert response.status_code == 404
    with translation.override("fr"):
        assert gettext("No tax receipt for this gift") in response.content.decode()


@pytest.mark.django_db
def test_the_address_form_is_rate_limited(client, campaign, receipts_on, settings):  # noqa: F811
    settings.DONATION_RATE_LIMIT = (1, 60)
    hold(campaign)  # the receipt waits: the form stays
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=1000, donor_email="a@example.org"
    )
    ledger.transition(donation.pk, DonationStatus.PAID)
    url = receipt_links.address_url(donation)
    assert client.post(url, FORM_ADDRESS).status_code == 302
    limited = client.post(url, {**FORM_ADDRESS, "city": "Montreuil"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    donation.refresh_from_db()
    assert donation.city == "Paris"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"receipt_name": "A" * 5000},
        {"postal_code": ["1", "2"]},
        {"donor_email": "x" * 400},
        {"receipt_yearly": "\x00"},
        {},
    ],
)
def test_bad_input_on_the_address_page_is_never_a_500(client, campaign, receipts_on, bad):  # noqa: F811
    donation = ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=1000)
    ledger.transition(donation.pk, DonationStatus.PAID)
    response = client.post(receipt_links.address_url(donation), {**FORM_ADDRESS, **bad})
    assert response.status_code in (302, 400)


# --- what the confirmation email promises ---------------------------------------------------


def confirmation_of(donation):
    mail.outbox.clear()
    assert send_donation_confirmation.call(donation.pk)
    return mail.outbox[-1].body


def paid_gift(campaign, **fields):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=2500,
        donor_email="awa@example.org",
        **fields,
    )
    ledger.transition(donation.pk, DonationStatus.PAID)
    return donation


def linked_gift(body):
    (url,) = re.findall(r"http://testserver/fr/donate/tax-receipt/address/\S+", body)
    return receipt_links.load_gift(address_token_of(url))


def fr(msgid, **values):
    with translation.override("fr"):
        return gettext(msgid) % values if values else gettext(msgid)


@pytest.mark.django_db
def test_the_confirmation_says_nothing_of_receipts_when_there_are_none(campaign):
    body = confirmation_of(paid_gift(campaign, wants_receipt=True, **ADDRESS))
    assert not RECEIPT_WORDS.search(body)


@pytest.mark.django_db
def test_the_confirmation_says_exactly_what_happens_to_the_receipt(campaign, receipts_on):  # noqa: F811
    soon = confirmation_of(paid_gift(campaign, wants_receipt=True, **ADDRESS))
    assert fr("Your tax receipt is sent to you now, in a separate email.") in soon

    yearly_gift = paid_gift(campaign, wants_receipt=True, receipt_yearly=True, **ADDRESS)
    year = tax_receipts.gift_date(yearly_gift).year
    assert fr(
        "One tax receipt for all your gifts of %(year)s will be emailed to you in January "
        "%(january)s.",
        year=year,
        january=year + 1,
    ) in confirmation_of(yearly_gift)

    without_address = paid_gift(campaign, wants_receipt=True)
    body = confirmation_of(without_address)
    assert (
        fr(
            "To get your tax receipt, give the name and postal address it is made out to, on this "
            "page:"
        )
        in body
    )
    assert linked_gift(body) == without_address

    not_asked = paid_gift(campaign)
    body = confirmation_of(not_asked)
    assert (
        fr(
            "You can still ask for a tax receipt, to deduct this gift from your income tax in "
            "France:"
        )
        in body
    )
    assert linked_gift(body) == not_asked

    issued = paid_gift(campaign, wants_receipt=True, **ADDRESS)
    receipt = tax_receipts.issue_for_gift(issued.pk)
    assert fr(
        "Your tax receipt n° %(number)s is sent to you in a separate email.",
        number=receipt.number,
    ) in confirmation_of(issued)

    hold(campaign)
    assert fr(
        "Your tax receipt will be emailed to you once the campaign succeeds (it is all or "
        "nothing: if it does not reach its goal, your gift is refunded)."
    ) in confirmation_of(paid_gift(campaign, wants_receipt=True, **ADDRESS))


@pytest.mark.django_db
def test_past_the_first_hour_the_thank_you_page_no_longer_links_the_receipt_form(
    client,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A thank-you address stays in a shared computer's history: an hour after the payment,
    only the emailed link may attach a receipt (and a name and address) to the gift."""
    with django_capture_on_commit_callbacks(execute=True):
        with_email, _ = give_and_pay(client, campaign, wants_receipt="on")
        without_email, _ = give_and_pay(client, campaign, donor_email="")
    address_link = r'href="/fr/donate/tax-receipt/address/'
    for gift in (with_email, without_email):
        page = client.get(reverse("donations:thanks", args=[gift.uuid]), HTTP_ACCEPT_LANGUAGE="fr")
        assert re.search(address_link, thanks_body(page))
    Donation.objects.filter(pk__in=[with_email.pk, without_email.pk]).update(
        paid_at=timezone.now() - datetime.timedelta(hours=1, minutes=1)
    )
    page = client.get(reverse("donations:thanks", args=[with_email.uuid]))
    body = thanks_body(page)
    assert not re.search(address_link, body)
    with translation.override("fr"):
        told = gettext(
            "To get your tax receipt, give the name and postal address it is made out to. "
            "The confirmation email has this link too."
        )
        heading = gettext("Your tax receipt")
    assert told in unescape(body)
    page = client.get(reverse("donations:thanks", args=[without_email.uuid]))
    body = thanks_body(page)
    assert not re.search(address_link, body)
    assert heading not in unescape(body)  # no email, no link: nothing to promise
