"""The giving form without traps (issue 13): amounts typed as people write them, read exactly
in every language; anonymous by default; errors next to their field and in a linked summary;
email only when needed; the donation block's amounts carried over."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import pytest

from donations.forms import CUSTOM, DonationForm
from donations.models import Donation, DonationStatus
from helpers.money import format_money
from home.factories import StandardPageFactory
from home.locales import create_language_aliases

LANGUAGES = ["fr", "ar", "en", "pt", "zh-hans"]
TYPED = [  # what a donor types in "Other amount" → cents
    ("5,50", 550),
    ("5.50", 550),
    ("5 €", 500),
    ("1 000", 100000),
    ("1\u00a0000", 100000),  # no-break space between thousands (fr, pt)
    ("1\u202f000", 100000),  # narrow no-break space (what Babel writes in French)
    ("1,000", 100000),  # en, zh-hans
    ("€12.50", 1250),
    ("12,5", 1250),
    ("٥٫٥٠", 550),  # Arabic-Indic digits and decimal separator
    ("5 euros", 500),
    ("5€50", 550),  # the euro sign where the decimal point goes, as written in France
]
GARBAGE = ["abc", "5,5,5", "1e3", "NaN", "--5", "12.345.67", "0.001", "5 $", "½"]


def donate_url(campaign, lang):
    with translation.override(lang):
        return reverse("donations:donate", args=[campaign.translation_key])


def gift(**overrides):
    """A valid anonymous gift: no name, no email."""
    return {
        "amount_choice": "25",
        "custom_amount": "",
        "donor_name": "",
        "donor_email": "",
        "display": "anonymous",
        "message": "",
        "consent": "on",
        **overrides,
    }


def summary_links(body):
    """The hrefs of the error summary's links."""
    summary = re.search(r'<div [^>]*id="giving-errors".*?</div>', body, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="(#[^"]+)"', summary.group(0))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("typed", "cents"), TYPED)
def test_an_amount_typed_as_people_write_it_is_read_exactly(lang, typed, cents):
    with translation.override(lang):
        form = DonationForm(gift(amount_choice=CUSTOM, custom_amount=typed))
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_cents"] == cents


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_five_fifty_typed_reaches_the_checkout_as_five_fifty(client, campaign, lang):
    response = client.post(
        donate_url(campaign, lang), gift(amount_choice=CUSTOM, custom_amount="5,50")
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.amount_cents == 550
    checkout = client.get(response["Location"])
    assert format_money(550, lang) in checkout.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("typed", GARBAGE)
def test_garbage_comes_back_with_a_translated_error_next_to_the_field(
    client, campaign, lang, typed
):
    response = client.post(
        donate_url(campaign, lang), gift(amount_choice=CUSTOM, custom_amount=typed)
    )
    assert response.status_code == 400
    assert not Donation.objects.exists()
    body = response.content.decode()
    with translation.override(lang):
        message = gettext("Enter an amount in euros, for example 1 500 or 12,50.")
    error = re.search(
        r'<span class="field-errors" id="id_custom_amount_error">(.*?)</span></span>', body, re.S
    )
    assert error and message in error.group(1), body
    assert 'aria-invalid="true"' in re.search(r"<input[^>]*id_custom_amount[^>]*>", body).group(0)
    assert "#id_custom_amount" in summary_links(body)


@pytest.mark.django_db
def test_a_typed_amount_wins_over_a_suggested_one_left_chosen(client, campaign):
    """Without JavaScript, typing in "Other amount" does not choose it: what was typed is meant."""
    client.post(donate_url(campaign, "fr"), gift(amount_choice="25", custom_amount="7,25"))
    assert Donation.objects.get().amount_cents == 725


@pytest.mark.django_db
def test_the_amount_is_a_text_field_never_a_number_input(client, campaign):
    body = client.get(donate_url(campaign, "fr")).content.decode()
    field = re.search(r"<input[^>]*id=\"id_custom_amount\"[^>]*>", body).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field
    assert 'type="number"' not in body


@pytest.mark.django_db
def test_anonymous_is_chosen_first_and_a_gift_without_name_goes_through(client, campaign):
    body = client.get(donate_url(campaign, "fr")).content.decode()
    checked = re.findall(r'<input type="radio" name="display" value="(\w+)"[^>]*checked', body)
    assert checked == ["anonymous"]
    response = client.post(donate_url(campaign, "fr"), gift())
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.donor_name, donation.display, donation.donor_email) == ("", "anonymous", "")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_showing_the_name_without_one_is_an_error_next_to_it_and_in_the_summary(
    client, campaign, lang
):
    response = client.post(donate_url(campaign, lang), gift(display="name"))
    assert response.status_code == 400
    assert not Donation.objects.exists()
    body = response.content.decode()
    with translation.override(lang):
        message = gettext("Give a name to show, or choose to give anonymously.")
    error = re.search(r'id="id_donor_name_error">(.*?)</span></span>', body, re.S)
    assert error and message in error.group(1)
    field = re.search(r"<input[^>]*id=\"id_donor_name\"[^>]*>", body).group(0)
    assert 'aria-invalid="true"' in field and "id_donor_name_error" in field
    assert summary_links(body) == ["#id_donor_name"]
    summary = re.search(r'<div [^>]*id="giving-errors"[^>]*>', body).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert message in body[body.index('id="giving-errors"') : body.index('class="donation-form"')]


@pytest.mark.django_db
def test_every_error_of_the_summary_links_to_a_field_of_the_page(client, campaign):
    response = client.post(
        donate_url(campaign, "fr"),
        {"amount_choice": "", "display": "", "donor_email": "pas-une-adresse"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    links = summary_links(body)
    assert set(links) == {"#id_amount_choice_0", "#id_display_0", "#id_donor_email", "#id_consent"}
    for link in links:
        assert f'id="{link[1:]}"' in body, link


@pytest.mark.django_db
def test_email_is_optional_unless_the_donor_asks_for_news(client, campaign):
    assert client.post(donate_url(campaign, "fr"), gift()).status_code == 302
    response = client.post(donate_url(campaign, "fr"), gift(wants_news="on"))
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("fr"):
        message = gettext("Give your email to receive the campaign's news.")
    error = re.search(r'id="id_donor_email_error">(.*?)</span></span>', body, re.S)
    assert error and message in error.group(1)
    assert summary_links(body) == ["#id_donor_email"]
    ok = client.post(donate_url(campaign, "fr"), gift(wants_news="on", donor_email="a@example.org"))
    assert ok.status_code == 302
    assert Donation.objects.filter(status=DonationStatus.PENDING).count() == 2


@pytest.mark.django_db
def test_the_consent_links_to_the_privacy_notice(client, campaign, home_page):
    privacy = StandardPageFactory(parent=home_page, title="Confidentialité", slug="confidentialite")
    create_language_aliases(privacy)
    body = client.get(donate_url(campaign, "ar")).content.decode()
    label = re.search(r'<label for="id_consent">(.*?)</label>', body, re.S).group(1)
    assert re.search(r'<a href="/ar/confidentialite/"', label), label


@pytest.fixture
def page_with_block(home_page, campaign):
    page = StandardPageFactory(parent=home_page, title="Nos projets")
    page.body = [
        (
            "donation",
            {
                "campaign": campaign,
                "heading": "Soutenez le jardin",
                "text": "",
                "preset_amounts": [5, 15, 40],
                "allow_custom_amount": True,
                "button_label": "Donner",
            },
        )
    ]
    page.save_revision().publish()
    create_language_aliases(page)
    return page


def block_buttons(body):
    form = re.search(r'<form method="get"[^>]*class="donation-block__form".*?</form>', body, re.S)
    assert form, "no donation block form"
    return form.group(0)


@pytest.mark.django_db
def test_the_block_amounts_carry_over_to_the_donate_page_preselected(
    client, page_with_block, campaign
):
    block = block_buttons(client.get(page_with_block.url).content.decode())
    assert 'name="presets" value="5,15,40"' in block
    assert 'name="amount" value=""' in block  # "Another amount"
    url = donate_url(campaign, "fr")
    body = client.get(url, {"amount": "15", "presets": "5,15,40"}).content.decode()
    offered = re.findall(r'name="amount_choice" value="(\w+)"', body)
    assert offered == ["5", "15", "40", CUSTOM]
    checked = re.findall(r'name="amount_choice" value="(\w+)"[^>]*checked', body)
    assert checked == ["15"]
    assert 'name="presets" value="5,15,40"' in body  # and the form posts them back
    response = client.post(url, gift(amount_choice="5", presets="5,15,40"))
    assert response.status_code == 302 and Donation.objects.get().amount_cents == 500


@pytest.mark.django_db
def test_another_amount_in_the_block_opens_the_field_ready_to_type(client, campaign):
    body = client.get(
        donate_url(campaign, "fr"), {"amount": "", "presets": "5,15"}
    ).content.decode()
    assert re.findall(r'name="amount_choice" value="(\w+)"[^>]*checked', body) == [CUSTOM]
    field = re.search(r"<input[^>]*id=\"id_custom_amount\"[^>]*>", body).group(0)
    assert "autofocus" in field


@pytest.mark.django_db
def test_a_block_without_another_amount_offers_none(client, campaign):
    url = donate_url(campaign, "fr")
    body = client.get(url, {"amount": "15", "presets": "5,15", "other": "0"}).content.decode()
    assert "id_custom_amount" not in body
    assert re.findall(r'name="amount_choice" value="(\w+)"', body) == ["5", "15"]


@pytest.mark.django_db
@pytest.mark.parametrize("presets", ["", "abc", "0,10", "10,10", "1,2,3,4,5,6,7", "99999"])
def test_unusable_suggested_amounts_fall_back_to_the_defaults(client, campaign, presets):
    body = client.get(donate_url(campaign, "fr"), {"presets": presets}).content.decode()
    assert re.findall(r'name="amount_choice" value="(\w+)"', body) == [
        "10",
        "25",
        "50",
        "100",
        CUSTOM,
    ]


@pytest.mark.django_db
def test_a_cancelled_gift_of_five_fifty_is_offered_again_as_five_fifty(client, campaign):
    client.post(donate_url(campaign, "fr"), gift(amount_choice=CUSTOM, custom_amount="5,50"))
    donation = Donation.objects.get()
    with translation.override("fr"):
        cancelled = reverse("donations:cancelled", args=[donation.uuid])
    body = client.get(cancelled).content.decode()
    retry = re.search(r'href="([^"]*\?amount=[^"]*)"', body).group(1)
    form = client.get(retry.replace("&amp;", "&")).content.decode()
    field = re.search(r"<input[^>]*id=\"id_custom_amount\"[^>]*>", form).group(0)
    assert 'value="5,50"' in field
