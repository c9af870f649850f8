"""Admin → Donations → Tax receipts (donations/receipt_admin.py): the list, its filters and
search, a receipt's page, cancel and reissue, send again, the yearly receipts and the
declaration's figures; the offline gift form's receipt part; Settings → Tax receipt details."""

import datetime
import io
import re

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup
from django_tasks.signals import task_enqueued
from PIL import Image

from donations import tax_receipts
from donations.models import (
    Donation,
    TaxReceipt,
    TaxReceiptKind,
    TaxReceiptSettings,
    TaxReceiptStatus,
)
from tests.donations.receipt_fixtures import (  # noqa: F401
    ADDRESS,
    PNG_1PX,
    offline_gift_with_receipt,
    receipts_on,
)
from tests.donations.test_admin import speaks, staff_client

LIST_URL = reverse("donations_tax_receipts:index")
YEARLY_URL = reverse("donations_tax_receipts:yearly")
ADD_GIFT_URL = reverse("donations_admin:add")
FORBIDDEN = "donations/admin/forbidden.html"
VIEW = "view_taxreceipt"
ISSUE = "issue_taxreceipt"


def url(name, receipt_or_pk):
    pk = getattr(receipt_or_pk, "pk", receipt_or_pk)
    return reverse(f"donations_tax_receipts:{name}", args=[pk])


def settings_url():
    pk = TaxReceiptSettings.load().pk
    return reverse("wagtailsettings:edit", args=["donations", "taxreceiptsettings", pk])


@pytest.fixture
def admin(admin_client, admin_user):
    speaks(admin_user, "en")
    return admin_client


def receipt_for(campaign, cents=5000, **fields):
    gift = offline_gift_with_receipt(campaign, cents=cents, **fields)
    return tax_receipts.issue([gift.pk])


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [tr.get_text(" ", strip=True) for tr in soup.select("#listing-results tbody tr")]


def numbers(response):
    return [row.split()[0] for row in rows(response)]


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def logged(receipt, action):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(TaxReceipt),
        object_id=str(receipt.pk),
        action=action,
    )


def not_found(client, response):
    # LocaleMiddleware sends a 404 under /admin/ on to /fr/admin/…, which is a 404 too
    return response.status_code == 404 or client.get(response["Location"]).status_code == 404


def is_forbidden(response):
    return response.status_code == 403 and FORBIDDEN in [t.name for t in response.templates]


@pytest.fixture
def enqueued():
    """The tasks enqueued during the test: [(task name, args)]."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, list(task_result.args)))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


# --- list, filters, search, details ---------------------------------------------------------


@pytest.mark.django_db
def test_staff_list_filter_search_and_open_a_receipt(
    django_user_model,
    campaign,
    receipts_on,  # noqa: F811
):
    awa = receipt_for(campaign, 5000)
    bruno = receipt_for(
        campaign,
        1500,
        method="cash",
        receipt_name="Bruno Petit",
        donor_email="bruno@example.org",
        donor_name="Bruno",
    )
    yearly_gift = offline_gift_with_receipt(
        campaign, 2000, receipt_name="Chloé Martin", donor_email="chloe@example.org"
    )
    yearly = tax_receipts.issue([yearly_gift.pk], kind=TaxReceiptKind.YEAR)
    old = receipt_for(campaign, 700, receipt_name="Old Gift", donor_email="old@example.org")
    TaxReceipt.objects.filter(pk=old.pk).update(year=2020)
    viewer = staff_client(django_user_model, "viewer", VIEW, "view_donation")

    response = viewer.get(LIST_URL)
    assert response.status_code == 200
    # newest first
    assert numbers(response) == [yearly.number, bruno.number, awa.number, "2020-000004"]
    listed = rows(response)
    assert "Bruno Petit" in listed[1] and "€15" in listed[1]
    assert "Issued" in listed[1] and "Not yet" in listed[1]
    assert "A year's gifts" in listed[0] and "One gift" in listed[1]

    def listed_numbers(**params):
        response = viewer.get(LIST_URL, params)
        assert response.status_code == 200
        return set(numbers(response))

    assert listed_numbers(kind="year") == {yearly.number}
    assert listed_numbers(year="2020") == {"2020-000004"}
    assert listed_numbers(status="cancelled") == set()
    assert listed_numbers(q=bruno.number) == {bruno.number}
    assert listed_numbers(q="petit") == {bruno.number}
    assert listed_numbers(q="chloé") == {yearly.number}
    # emails are searched only by staff who may see donors' emails
    assert listed_numbers(q="bruno@example") == set()
    trusted = staff_client(django_user_model, "trusted", VIEW, "view_donor_details")
    response = trusted.get(LIST_URL, {"q": "bruno@example"})
    assert set(numbers(response)) == {bruno.number}

    page = viewer.get(url("inspect", bruno))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one('[data-field="donor_name"]').get_text(strip=True) == "Bruno Petit"
    address = soup.select_one('[data-field="address"]').get_text(" ", strip=True)
    assert "12 rue des Couronnes" in address and "75020 Paris" in address
    assert not soup.select('[data-field="email"]')  # no donor details permission
    gift = bruno.donations.get()
    assert reverse("donations_admin:inspect", args=[gift.pk]) in page.content.decode()
    assert url("pdf", bruno) in page.content.decode()
    # viewing is not acting
    assert url("reissue", bruno) not in page.content.decode()
    assert url("resend", bruno) not in page.content.decode()
    assert "data-yearly" not in viewer.get(LIST_URL).content.decode()

    page = trusted.get(url("inspect", bruno))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one('[data-field="email"]').get_text(strip=True) == "bruno@example.org"


@pytest.mark.django_db
def test_the_list_reads_30_receipts_in_as_many_queries_as_3(admin, campaign, receipts_on):  # noqa: F811
    for _index in range(3):
        receipt_for(campaign)
    tax_receipts.reissue(TaxReceipt.objects.first())  # a cancelled one, replaced
    admin.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        response = admin.get(LIST_URL)
    assert len(rows(response)) == 4
    for _index in range(26):
        receipt_for(campaign)
    tax_receipts.reissue(TaxReceipt.objects.filter(status=TaxReceiptStatus.ISSUED).first())
    with CaptureQueriesContext(connection) as many:
        response = admin.get(LIST_URL)
    assert len(rows(response)) == 31
    assert sum("Cancelled, replaced by" in row for row in rows(response)) == 2
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_a_receipt_without_email_or_with_erased_details(admin, campaign, receipts_on):  # noqa: F811
    posted = receipt_for(campaign, donor_email="")
    erased = receipt_for(campaign, receipt_name="Zoé Erased", donor_email="zoe@example.org")
    TaxReceipt.objects.filter(pk=erased.pk).update(
        donor_name="", address_line="", donor_email="", purged_at=timezone.now()
    )
    listed = rows(admin.get(LIST_URL))
    assert "(personal data erased)" in listed[0] and "Zoé" not in listed[0]
    assert "No email: post it" in listed[1]

    page = admin.get(url("inspect", posted)).content.decode()
    assert url("resend", posted) not in page and url("reissue", posted) in page
    page = admin.get(url("inspect", erased)).content.decode()
    assert "were erased on" in page
    assert url("reissue", erased) not in page and url("resend", erased) not in page
    response = admin.post(url("reissue", erased), follow=True)
    assert any("personal data were erased" in message for message in messages_of(response))
    assert TaxReceipt.objects.filter(status=TaxReceiptStatus.CANCELLED).count() == 0


@pytest.mark.django_db
def test_unknown_receipts_answer_404(admin):
    for name in ("inspect", "pdf", "reissue", "resend", "history"):
        assert not_found(admin, admin.get(url(name, 999999))), name
    assert not_found(admin, admin.post(url("reissue", 999999)))


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_without_the_permissions_get_the_403_page_and_change_nothing(
    django_user_model,
    campaign,
    receipts_on,  # noqa: F811
    enqueued,
):
    receipt = receipt_for(campaign)
    emailed = timezone.now() - datetime.timedelta(days=1)
    TaxReceipt.objects.filter(pk=receipt.pk).update(emailed_at=emailed)
    outsider = staff_client(django_user_model, "outsider", "view_donation")
    viewer = staff_client(django_user_model, "viewer", VIEW)

    assert LIST_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    results = reverse("donations_tax_receipts:index_results")
    for path in (
        LIST_URL,
        results,
        url("inspect", receipt),
        url("pdf", receipt),
        url("history", receipt),
    ):
        assert is_forbidden(outsider.get(path)), path

    assert LIST_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    assert viewer.get(LIST_URL).status_code == 200
    for client in (outsider, viewer):
        for path in (url("reissue", receipt), url("resend", receipt), YEARLY_URL):
            assert is_forbidden(client.get(path)), path
            assert is_forbidden(client.post(path)), path

    receipt.refresh_from_db()
    assert receipt.status == TaxReceiptStatus.ISSUED and receipt.emailed_at == emailed
    assert TaxReceipt.objects.count() == 1
    assert enqueued == []
    assert not ModelLogEntry.objects.filter(action__startswith="donations.receipt").exists()
    assert Client().get(LIST_URL).status_code == 302  # to the admin's sign-in


# --- cancel and reissue ---------------------------------------------------------------------


@pytest.mark.django_db
def test_reissue_after_correcting_the_name_gives_a_new_number_and_cancels_the_old(
    mailoutbox,
    django_user_model,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
    enqueued,
):
    old = receipt_for(campaign, 5000)
    TaxReceipt.objects.filter(pk=old.pk).update(emailed_at=timezone.now())  # the donor has it
    gift = old.donations.get()
    # corrected where the site does not follow it by itself
    Donation.objects.filter(pk=gift.pk).update(receipt_name="Awa Diallo-Sow")
    clerk = staff_client(django_user_model, "clerk", VIEW, ISSUE)
    user = django_user_model.objects.get(username="clerk")

    page = clerk.get(url("inspect", old))
    assert url("reissue", old) in page.content.decode()
    confirm = clerk.get(url("reissue", old))
    assert confirm.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    assert TaxReceipt.objects.count() == 1  # a GET only asks

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url("reissue", old))
    assert response.status_code == 302
    old.refresh_from_db()
    new = TaxReceipt.objects.get(status=TaxReceiptStatus.ISSUED)
    assert response["Location"] == url("inspect", new)
    assert old.status == TaxReceiptStatus.CANCELLED
    assert (old.cancel_reason, old.cancelled_by) == ("correction", user)
    assert new.number != old.number and new.sequence == old.sequence + 1
    assert new.replaces == old and new.donor_name == "Awa Diallo-Sow"
    assert new.amount_cents == 5000 and new.issued_by == user
    assert ("send_tax_receipt_cancellation", [old.pk]) in enqueued
    assert ("send_tax_receipt", [new.pk]) in enqueued
    # the donor is told: the cancellation, and the new receipt
    assert [message.to for message in mailoutbox] == [["awa@example.org"]] * 2
    assert old.number in mailoutbox[0].subject + mailoutbox[0].body
    assert new.number in " ".join(message.subject + message.body for message in mailoutbox)

    entry = logged(old, "donations.receipt_reissued").get()
    assert entry.user == user and entry.data == {"replaced_by": new.number}
    assert "Awa" not in entry.label and "Awa" not in str(entry.data)
    assert logged(new, "donations.receipt_issued").get().data == {"replaces": old.number}
    history = clerk.get(url("history", old))
    assert history.status_code == 200 and "Cancelled and reissued" in history.content.decode()

    page = BeautifulSoup(clerk.get(url("inspect", old)).content, "html.parser")
    assert page.select_one('[data-field="status"]').get_text(strip=True) == (
        f"Cancelled, replaced by {new.number}"
    )
    assert "Corrected by staff" in page.select_one("[data-cancelled]").get_text(" ", strip=True)
    assert url("reissue", old) not in str(page)
    assert f"Cancelled, replaced by {new.number}" in " ".join(rows(clerk.get(LIST_URL)))

    # a cancelled receipt is not reissued again
    response = clerk.post(url("reissue", old), follow=True)
    assert any("cancelled already" in message for message in messages_of(response))
    assert TaxReceipt.objects.count() == 2


@pytest.mark.django_db
def test_reissue_needs_the_csrf_token(admin_user, campaign, receipts_on):  # noqa: F811
    receipt = receipt_for(campaign)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(url("reissue", receipt)).status_code == 403
    receipt.refresh_from_db()
    assert receipt.status == TaxReceiptStatus.ISSUED and TaxReceipt.objects.count() == 1


@pytest.mark.django_db
def test_reissue_is_refused_while_receipts_are_off(admin, campaign, receipts_on):  # noqa: F811
    receipt = receipt_for(campaign)
    TaxReceiptSettings.objects.update(enabled=False)
    response = admin.post(url("reissue", receipt), follow=True)
    assert any("turned off" in message for message in messages_of(response))
    receipt.refresh_from_db()
    assert receipt.status == TaxReceiptStatus.ISSUED and TaxReceipt.objects.count() == 1


# --- send again -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_again_queues_the_email_and_logs_it(
    mailoutbox,
    admin,
    admin_user,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
    enqueued,
):
    receipt = receipt_for(campaign)
    emailed = timezone.now() - datetime.timedelta(days=3)
    TaxReceipt.objects.filter(pk=receipt.pk).update(emailed_at=emailed)

    assert admin.get(url("resend", receipt)).status_code == 200
    assert enqueued == []
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("resend", receipt))
    assert response.status_code == 302 and response["Location"] == url("inspect", receipt)
    assert enqueued == [("send_tax_receipt", [receipt.pk])]
    receipt.refresh_from_db()
    # cleared so that the email goes out again, and set again once it has
    assert receipt.emailed_at > emailed
    assert [message.to for message in mailoutbox] == [["awa@example.org"]]
    assert receipt.number in mailoutbox[0].subject + mailoutbox[0].body
    entry = logged(receipt, "donations.receipt_resent").get()
    assert entry.user == admin_user
    assert entry.data == {"previously_emailed_at": emailed.isoformat()}

    # a cancelled receipt is not sent again
    tax_receipts.cancel(receipt, reason="correction", notify=False)
    assert url("resend", receipt) not in admin.get(url("inspect", receipt)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("resend", receipt), follow=True)
    assert any("only a valid receipt" in message for message in messages_of(response))
    assert len(enqueued) == 1 and len(mailoutbox) == 1


# --- yearly receipts and the declaration's figures ------------------------------------------


def yearly_gift(campaign, cents, email, name, month=6):
    last_year = timezone.localdate().year - 1
    days_ago = (timezone.localdate() - datetime.date(last_year, month, 15)).days
    return offline_gift_with_receipt(
        campaign,
        cents=cents,
        days_ago=days_ago,
        receipt_yearly=True,
        donor_email=email,
        receipt_name=name,
    )


@pytest.mark.django_db
def test_the_yearly_button_issues_last_years_receipts_once(
    django_user_model,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    last_year = timezone.localdate().year - 1
    yearly_gift(campaign, 3000, "awa@example.org", "Awa Diallo", month=3)
    yearly_gift(campaign, 2000, "awa@example.org", "Awa Diallo", month=9)
    yearly_gift(campaign, 4500, "bruno@example.org", "Bruno Petit")
    clerk = staff_client(django_user_model, "clerk", VIEW, ISSUE)

    listing = clerk.get(LIST_URL)
    assert f"Issue the yearly receipts for {last_year}" in listing.content.decode()
    assert YEARLY_URL in listing.content.decode()
    assert clerk.get(YEARLY_URL).status_code == 200
    assert not TaxReceipt.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(YEARLY_URL, follow=True)
    assert f"2 yearly receipts issued for {last_year}." in messages_of(response)
    receipts = TaxReceipt.objects.order_by("sequence")
    assert [(r.kind, r.amount_cents) for r in receipts] == [("year", 5000), ("year", 4500)]
    assert logged(receipts[0], "donations.receipt_issued").get().data == {"year": last_year}

    # the declaration's figures: valid receipts by the year of the gifts
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f'[data-declaration] tr[data-year="{last_year}"]')
    assert row.select_one("[data-count]").get_text(strip=True) == "2"
    assert "95" in row.select_one("[data-total]").get_text(strip=True)

    response = clerk.post(YEARLY_URL, follow=True)
    assert f"0 yearly receipts issued for {last_year}." in messages_of(response)
    assert TaxReceipt.objects.count() == 2

    # a cancelled receipt leaves the figures
    tax_receipts.cancel(receipts[1], reason="correction", notify=False)
    soup = BeautifulSoup(clerk.get(LIST_URL).content, "html.parser")
    row = soup.select_one(f'[data-declaration] tr[data-year="{last_year}"]')
    assert row.select_one("[data-count]").get_text(strip=True) == "1"


@pytest.mark.django_db
def test_no_yearly_receipt_while_receipts_are_off(admin, campaign, receipts_on):  # noqa: F811
    yearly_gift(campaign, 3000, "awa@example.org", "Awa Diallo")
    TaxReceiptSettings.objects.update(enabled=False)
    listing = admin.get(LIST_URL).content.decode()
    assert "data-receipts-off" in listing and YEARLY_URL not in listing
    response = admin.post(YEARLY_URL, follow=True)
    assert any("turned off" in message for message in messages_of(response))
    assert not TaxReceipt.objects.exists()


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_download_the_pdf(admin, campaign, receipts_on):  # noqa: F811
    pytest.importorskip("donations.receipt_pdf")
    receipt = receipt_for(campaign)
    response = admin.get(url("pdf", receipt))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"recu-fiscal-{receipt.number}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


# --- the offline gift form ------------------------------------------------------------------


def gift_data(campaign, **overrides):
    data = {
        "campaign": str(campaign.translation_key),
        "amount": "80",
        "received_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "offline_method": "cheque",
        "donor_name": "Awa",
        "donor_email": "awa@example.org",
        "display": "name",
        "message": "",
        "evidence": "Chèque n° 77",
        "wants_receipt": "on",
        **ADDRESS,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_an_offline_gift_with_a_receipt_gets_it_issued(
    admin,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    form = admin.get(ADD_GIFT_URL)
    soup = BeautifulSoup(form.content, "html.parser")
    fieldset = soup.select_one("fieldset[data-receipt-fields]")
    assert "Tax receipt" in fieldset.legend.get_text()
    for name in ("wants_receipt", "receipt_yearly", "receipt_name", "postal_code", "country"):
        assert fieldset.select_one(f'[name="{name}"]'), name
    assert not soup.select("[data-receipts-off]")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(ADD_GIFT_URL, gift_data(campaign))
    assert response.status_code == 302
    gift = Donation.objects.get()
    assert gift.wants_receipt and gift.receipt_name == "Awa Diallo"
    receipt = TaxReceipt.objects.get()
    assert list(receipt.donations.all()) == [gift]
    assert (receipt.donor_name, receipt.postal_code, receipt.amount_cents) == (
        "Awa Diallo",
        "75020",
        8000,
    )
    assert receipt.payment_modes == ["cheque"]

    # editing the gift shows its receipt and how to correct it
    edit = reverse("donations_admin:edit", args=[gift.pk])
    page = admin.get(edit).content.decode()
    assert receipt.number in page and url("inspect", receipt) in page
    # a corrected name: the receipt is cancelled and a corrected one issued by itself
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(edit, gift_data(campaign, receipt_name="Awa Diallo-Sow"))
    assert response.status_code == 302
    receipt.refresh_from_db()
    new = TaxReceipt.objects.get(status=TaxReceiptStatus.ISSUED)
    assert receipt.status == TaxReceiptStatus.CANCELLED
    assert (new.amount_cents, new.donor_name, new.replaces) == (8000, "Awa Diallo-Sow", receipt)
    page = admin.get(edit).content.decode()
    assert new.number in page and receipt.number not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing", ["receipt_name", "address_line", "postal_code", "city", "country"]
)
def test_a_receipt_needs_the_name_and_full_address(admin, campaign, receipts_on, missing):  # noqa: F811
    response = admin.post(ADD_GIFT_URL, gift_data(campaign, **{missing: "  "}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {missing}
    message = {
        "receipt_name": "A tax receipt needs the donor's legal name (first name and surname).",
        "address_line": "A tax receipt needs the donor's street address (number and street).",
        "postal_code": "A tax receipt needs the donor's postal code.",
        "city": "A tax receipt needs the donor's city.",
        "country": "A tax receipt needs the donor's country.",
    }[missing]
    with translation.override("fr"):  # the admin answers in the site's default language
        assert errors[missing][0] == gettext(message)
    assert not Donation.objects.exists()


@pytest.mark.django_db
def test_a_gift_without_receipt_needs_no_address(admin, campaign, receipts_on):  # noqa: F811
    blank = dict.fromkeys(ADDRESS, "")
    response = admin.post(ADD_GIFT_URL, gift_data(campaign, wants_receipt=None, **blank))
    assert response.status_code == 302
    assert not Donation.objects.get().wants_receipt
    response = admin.post(
        ADD_GIFT_URL, gift_data(campaign, wants_receipt=None, receipt_yearly="on", **blank)
    )
    assert set(response.context["form"].errors) == {"receipt_yearly"}


@pytest.mark.django_db
def test_the_gift_form_says_when_receipts_are_off(admin, campaign):
    soup = BeautifulSoup(admin.get(ADD_GIFT_URL).content, "html.parser")
    notice = soup.select_one("[data-receipts-off]")
    assert "not issued yet" in notice.get_text(" ", strip=True)
    assert notice.select_one("a")["href"] == settings_url()


# --- Settings → Tax receipt details -----------------------------------------------------------


def image_bytes(image_format, size=(40, 20)):
    """A real, valid image (the fixtures' 1-pixel PNG has a broken checksum)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


def settings_data(**overrides):
    data = {
        "enabled": "on",
        "name": "Les Co-citoyens",
        "identifier": "W751234567",
        "address_line": "3 rue de Belleville",
        "postal_code": "75019",
        "city": "Paris",
        "country": "France",
        "purpose": "Financement participatif de projets de quartier",
        "category": "Œuvre d'intérêt général",
        "sub_category": "Association loi 1901",
        "article": "200",
        "signatory_name": "Fatou Camara",
        "signatory_quality": "Trésorière",
        "signature": SimpleUploadedFile(
            "signature.png", image_bytes("PNG"), content_type="image/png"
        ),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_errors(response):
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.django_db
def test_settings_refuse_turning_receipts_on_with_missing_details(admin):
    assert admin.get(settings_url()).status_code == 200
    response = admin.post(settings_url(), settings_data(identifier="", signatory_name=""))
    assert response.status_code == 200
    errors = form_errors(response)["__all__"]
    assert errors == [
        "Fill in SIREN or RNA number, signatory's name before turning tax receipts on."
    ]
    assert not TaxReceiptSettings.load().enabled
    # the same details, receipts left off: saved
    response = admin.post(
        settings_url(), settings_data(identifier="", signatory_name="", enabled=None)
    )
    assert response.status_code == 302, form_errors(response)
    assert TaxReceiptSettings.load().name == "Les Co-citoyens"
    # complete: turned on, with the signature
    response = admin.post(settings_url(), settings_data())
    assert response.status_code == 302
    current = TaxReceiptSettings.load()
    assert current.enabled and current.signature and current.missing() == []
    assert tax_receipts.receipts_offered()
    # a JPEG is fine too
    jpeg = SimpleUploadedFile("signature.jpeg", image_bytes("JPEG"), content_type="image/jpeg")
    assert admin.post(settings_url(), settings_data(signature=jpeg)).status_code == 302
    assert TaxReceiptSettings.load().signature.name.endswith(".jpeg")
    # the form names the stored signature without linking to it (nothing serves it)
    page = admin.get(settings_url()).content.decode()
    stored = TaxReceiptSettings.load().signature.name
    assert stored.rsplit("/", 1)[-1] in page
    assert not re.search(r'href="[^"]*signatures/', page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("signature.png", b"not an image at all", content_type="image/png"),
        SimpleUploadedFile("signature.pdf", b"%PDF-1.4 fake", content_type="application/pdf"),
        SimpleUploadedFile("signature.gif", b"GIF89a\x01\x00\x01\x00", content_type="image/gif"),
        SimpleUploadedFile("signature.jpg", image_bytes("PNG"), content_type="image/jpeg"),
        SimpleUploadedFile("broken.png", image_bytes("PNG")[:40], content_type="image/png"),
        SimpleUploadedFile(
            "big.png", image_bytes("PNG") + b"\0" * (1024 * 1024), content_type="image/png"
        ),
    ],
    ids=["text", "pdf", "gif", "png-named-jpg", "broken-png", "over-1mb"],
)
def test_settings_refuse_a_signature_that_is_not_a_small_png_or_jpeg(admin, upload):
    response = admin.post(settings_url(), settings_data(signature=upload))
    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["signature"]
    with translation.override("fr"):  # the admin answers in the site's default language
        if upload.name == "big.png":
            expected = gettext(
                "The signature image must be 1 MB or less (this file is %(size)s)."
            ).split("%(size)s")[0]
        else:
            expected = gettext(
                "The signature must be a PNG or JPEG image (a .png, .jpg or .jpeg file)."
            )
    assert expected in errors["signature"][0]
    current = TaxReceiptSettings.load()
    assert not current.enabled and not current.signature


@pytest.mark.django_db
def test_settings_say_which_details_are_missing_and_are_for_staff_allowed(
    admin,
    django_user_model,
    receipts_on,  # noqa: F811
):
    TaxReceiptSettings.objects.update(identifier="", purpose="")
    response = admin.get(settings_url())
    assert (
        "Fill in SIREN or RNA number, object of the association before turning tax receipts on."
        in messages_of(response)
    )
    # keeping the stored signature, and filling the rest in, is enough
    data = settings_data(signature=None)
    response = admin.post(settings_url(), data)
    assert response.status_code == 302
    assert TaxReceiptSettings.load().missing() == []

    viewer = staff_client(django_user_model, "viewer", VIEW, ISSUE)
    assert viewer.get(settings_url()).status_code in (302, 403)
    response = viewer.post(settings_url(), settings_data(enabled=None))
    assert response.status_code in (302, 403)
    assert TaxReceiptSettings.load().enabled
