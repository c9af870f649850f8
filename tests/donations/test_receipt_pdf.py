"""The tax receipt's PDF (form 2041-RD, Cerfa 11580*05): every mention of the form, from
what is copied on the receipt, one flattened A4 page, the signature embedded, nothing
fetched from the network."""

import ctypes
import datetime
import re
import socket

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from donations import ledger, receipt_demo, tax_receipts
from donations.models import (
    Donation,
    ReceiptCounter,
    TaxReceipt,
    TaxReceiptKind,
    TaxReceiptSettings,
    TaxReceiptStatus,
)
from donations.receipt_pdf import (
    TEMPLATE,
    amount_in_words,
    receipt_context,
    render_receipt,
    signature_data_uri,
)
from helpers.pdf import FONT_STACK
from tests.donations.receipt_fixtures import (  # noqa: F401
    ADDRESS,
    PNG_1PX,
    offline_gift_with_receipt,
    receipts_on,
)
from tests.donations.receipt_mentions import (
    missing_mentions,
    page_count,
    pdf_text,
    right_to_left,
)


def image_count(pdf_bytes):
    """How many image objects the PDF's pages draw."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return sum(
            len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5)))
            for page in document
        )
    finally:
        document.close()


def fonts_drawing(pdf_bytes, chars):
    """{character: names of the fonts that draw it} for ``chars`` on the PDF's first page."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        textpage = document[0].get_textpage()
        fonts = {}
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            if char in chars:
                size = pdfium_c.FPDFText_GetFontInfo(textpage, index, None, 0, None)
                name = ctypes.create_string_buffer(size)
                pdfium_c.FPDFText_GetFontInfo(textpage, index, name, size, None)
                fonts.setdefault(char, set()).add(name.value.decode().split("+")[-1])
        return fonts
    finally:
        document.close()


def has_form_fields(pdf_bytes):
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return document.init_forms() is not None and document.get_formtype() != 0
    finally:
        document.close()


def paris_day(day):
    return day.strftime("%d/%m/%Y")


def gift_receipt(campaign, django_capture_on_commit_callbacks, **fields):
    """A gift recorded by staff and its own receipt, issued as the ledger issues it."""
    with django_capture_on_commit_callbacks(execute=True):
        gift = offline_gift_with_receipt(campaign, **fields)
    return gift, tax_receipts.valid_receipt_of(gift)


def card_gift(campaign, cents, paid_at, **fields):
    values = {**ADDRESS, "donor_email": "awa@example.org", **fields}
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name="Awa",
        provider="demo",
        language="fr",
        wants_receipt=True,
        **values,
    )
    ledger.transition(donation.pk, ledger.PAID, payment_id=f"pi-{donation.pk}", paid_at=paid_at)
    donation.refresh_from_db()
    return donation


@pytest.mark.parametrize(
    ("cents", "words"),
    [
        (120_550, "mille deux cent cinq euros et cinquante centimes"),
        (15_000, "cent cinquante euros"),
        (100, "un euro"),
        (8_000, "quatre-vingts euros"),
        (7_101, "soixante et onze euros et un centime"),
        (1, "un centime"),
        (100_000_000, "un million d'euros"),
    ],
)
def test_the_amount_in_words(cents, words):
    assert amount_in_words(cents) == words


def test_a_gift_receipt_by_cheque_holds_every_mention_of_the_form(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    gift, receipt = gift_receipt(
        campaign, django_capture_on_commit_callbacks, cents=15_000, method="cheque", days_ago=4
    )
    assert receipt.kind == TaxReceiptKind.GIFT

    pdf = render_receipt(receipt)

    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    assert missing_mentions(receipt, pdf) == []
    text = pdf_text(pdf)
    assert receipt.number == "2026-000001" or re.fullmatch(r"\d{4}-000001", receipt.number)
    assert f"Numéro d'ordre du reçu {receipt.number}" in text
    assert "***150,00 €***" in text and "cent cinquante euros" in text
    assert f"Date du versement ou du don : {paris_day(gift.received_on)}" in text
    assert "☒ Chèque" in text
    assert "☐ Remise d'espèces" in text and "☐ Virement, prélèvement, carte bancaire" in text
    assert "☒ 200 du CGI" in text and "☐ 978 du CGI" in text
    assert "W751234567" in text and "3 rue de Belleville" in text and "75019" in text
    assert "Awa Diallo" in text and "12 rue des Couronnes" in text and "75020" in text
    assert "Trésorière" in text and "Fatou Camara" in text
    assert "Reçu récapitulatif annuel" not in text and "ANNULÉ" not in text
    # flattened: no form field, nothing to edit; the signature is drawn
    assert b"/AcroForm" not in pdf and not has_form_fields(pdf)
    assert image_count(pdf) == 1
    # the boxes and the euro sign are drawn with fonts that have them
    fonts = fonts_drawing(pdf, "☒☐€")
    assert set(fonts) == {"☒", "☐", "€"}
    for char in "☒☐€":
        assert fonts[char] <= {"DejaVu-Sans", "DejaVu-Sans-Mono-Bold", "Noto-Sans-Symbols2"}, fonts


def test_a_yearly_receipt_says_the_period_and_every_payment_mode(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        card = card_gift(campaign, 70_550, now - datetime.timedelta(days=1), receipt_yearly=True)
        cash = offline_gift_with_receipt(
            campaign, cents=50_000, method="cash", days_ago=40, receipt_yearly=True
        )
    # yearly gifts get no receipt of their own
    assert not TaxReceipt.objects.exists()
    receipt = tax_receipts.issue([card.pk, cash.pk], kind=TaxReceiptKind.YEAR)

    pdf = render_receipt(receipt)

    assert page_count(pdf) == 1
    assert missing_mentions(receipt, pdf) == []
    text = pdf_text(pdf)
    assert "***1 205,50 €***" in text
    assert "mille deux cent cinq euros et cinquante centimes" in text
    assert "Reçu récapitulatif annuel" in text
    first, last = cash.received_on, tax_receipts.gift_date(card)
    assert f"du {paris_day(first)} au {paris_day(last)}" in text
    assert "☒ Remise d'espèces" in text and "☒ Virement, prélèvement, carte bancaire" in text
    assert "☐ Chèque" in text


def test_a_receipt_prints_the_details_copied_when_it_was_issued(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _gift, receipt = gift_receipt(campaign, django_capture_on_commit_callbacks)
    receipts_on.address_line = "99 avenue Gambetta"
    receipts_on.postal_code = "75020"
    receipts_on.signatory_name = "Jeanne Martin"
    receipts_on.signatory_quality = "Présidente"
    receipts_on.article = "200+978"
    receipts_on.save()

    receipt.refresh_from_db()
    text = pdf_text(render_receipt(receipt))

    assert "3 rue de Belleville" in text and "75019" in text
    assert "99 avenue Gambetta" not in text
    assert "Fatou Camara" in text and "Trésorière" in text
    assert "Jeanne Martin" not in text and "Présidente" not in text
    assert "☐ 978 du CGI" in text

    # a receipt issued now prints the new details, article 978 ticked too
    _gift, later = gift_receipt(
        campaign, django_capture_on_commit_callbacks, receipt_name="Hugo Petit"
    )
    later_pdf = render_receipt(later)
    later_text = pdf_text(later_pdf)
    assert missing_mentions(later, later_pdf) == []
    assert "99 avenue Gambetta" in later_text and "Jeanne Martin" in later_text
    assert "☒ 200 du CGI" in later_text and "☒ 978 du CGI" in later_text


def test_a_cancelled_receipt_says_so_and_names_its_replacement(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    gift, first = gift_receipt(campaign, django_capture_on_commit_callbacks, cents=8_000)
    gift.refunded_cents = 3_000
    with django_capture_on_commit_callbacks(execute=True):
        ledger.save_offline(gift)
    first.refresh_from_db()
    replacement = tax_receipts.valid_receipt_of(gift)
    assert first.status == TaxReceiptStatus.CANCELLED and replacement.replaces == first

    text = pdf_text(render_receipt(first))
    assert "ANNULÉ" in text and "don remboursé" in text
    assert f"remplacé par le reçu n° {replacement.number}" in text
    assert "***80,00 €***" in text  # what it said, unchanged

    new_pdf = render_receipt(replacement)
    new_text = pdf_text(new_pdf)
    assert missing_mentions(replacement, new_pdf) == []
    assert "ANNULÉ" not in new_text and "***50,00 €***" in new_text
    assert f"Ce reçu remplace le reçu n° {first.number}" in new_text

    # cancelled with no money left: no replacement to name
    with django_capture_on_commit_callbacks(execute=True):
        ledger.mark_returned(gift.pk, user=None, returned_on=gift.received_on)
    replacement.refresh_from_db()
    assert replacement.status == TaxReceiptStatus.CANCELLED
    text = pdf_text(render_receipt(replacement))
    assert "ANNULÉ" in text and "remplacé par" not in text


@pytest.mark.parametrize(
    ("script", "name"),
    [("arabic", "مريم حسن"), ("chinese", "陈丽"), ("latin", "Zoé Lefèvre-Nguyễn")],
)
def test_a_donor_name_in_any_script_is_printed(
    script,
    name,
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _gift, receipt = gift_receipt(campaign, django_capture_on_commit_callbacks, receipt_name=name)
    pdf = render_receipt(receipt)
    text = pdf_text(pdf)
    assert missing_mentions(receipt, pdf) == []
    # the name's words, right after its label (a right-to-left name's words come out of
    # the PDF in the order they are drawn)
    printed = text.split("Nom, prénoms : ", 1)[1].split(" Adresse", 1)[0]
    assert sorted(printed.split()) == sorted(name.split())
    if not right_to_left(name):
        assert name in text
    # an Arabic or Chinese name is drawn with its script's font (Noto Sans Arabic, CJK)
    script_font = {"arabic": "Arabic", "chinese": "CJK"}.get(script)
    if script_font:
        fonts = fonts_drawing(pdf, name.replace(" ", ""))
        assert set(fonts) == set(name.replace(" ", ""))
        assert all(script_font in font for names in fonts.values() for font in names), fonts
    # no character fell back to the missing-glyph box
    html = render_to_string(TEMPLATE, {"pdf_font_stack": FONT_STACK, **receipt_context(receipt)})
    direction = "rtl" if name == "مريم حسن" else "ltr"
    assert f'<bdi dir="{direction}" class="donor-name">{name}</bdi>' in html


def test_the_longest_details_still_fit_on_one_page(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    words = "projets de quartier solidaires culturels et éducatifs pour les habitants "
    receipts_on.purpose = (words * 10)[:600].strip()
    receipts_on.category = ("Œuvre d'intérêt général à caractère social et culturel " * 12)[:600]
    receipts_on.name = ("Association des habitantes et habitants " * 5)[:200].strip()
    receipts_on.save()
    long = {
        "receipt_name": ("Marie-Christine Anne-Sophie de La Tour d'Auvergne " * 3)[:150].strip(),
        "address_line": ("Résidence des Lilas bâtiment B escalier 4 appartement 1207 " * 4)[:200],
        "city": ("Saint-Germain-des-Prés-sur-Marne " * 3)[:100].strip(),
        "receipt_yearly": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        gifts = [
            offline_gift_with_receipt(campaign, cents=cents, method=method, days_ago=days, **long)
            for cents, method, days in [(99_999_99, "cash", 30), (1_50, "cheque", 2)]
        ]
        gifts.append(card_gift(campaign, 12_34, timezone.now(), **long))
    first = tax_receipts.issue([gift.pk for gift in gifts], kind=TaxReceiptKind.YEAR)
    second = tax_receipts.reissue(first)
    first.refresh_from_db()

    for receipt in (first, second):
        pdf = render_receipt(receipt)
        assert page_count(pdf) == 1, receipt.number
        assert missing_mentions(receipt, pdf) == []
    assert "ANNULÉ" in pdf_text(render_receipt(first))


def test_a_missing_signature_file_leaves_the_signature_out(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _gift, receipt = gift_receipt(campaign, django_capture_on_commit_callbacks)
    default_storage.delete(receipt.issuer["signature"])

    pdf = render_receipt(receipt)

    assert image_count(pdf) == 0
    assert missing_mentions(receipt, pdf) == []


def test_only_a_png_or_jpeg_signature_is_embedded():
    png = default_storage.save("private/signatures/test-sig.png", ContentFile(PNG_1PX))
    fake = default_storage.save("private/signatures/test-fake.png", ContentFile(b"<svg/>"))
    try:
        assert signature_data_uri(png).startswith("data:image/png;base64,iVBOR")
        assert signature_data_uri(fake) is None
        assert signature_data_uri("../../etc/passwd") is None
        assert signature_data_uri("private/signatures/gone.png") is None
    finally:
        default_storage.delete(png)
        default_storage.delete(fake)


def test_the_receipt_loads_nothing_from_the_network(
    campaign,
    receipts_on,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    _gift, receipt = gift_receipt(campaign, django_capture_on_commit_callbacks)
    html = render_to_string(TEMPLATE, {"pdf_font_stack": FONT_STACK, **receipt_context(receipt)})
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources and all(source.startswith("data:image/png;base64,") for source in sources)
    assert "url(" not in html and "@import" not in html

    def refuse(*args, **kwargs):
        raise AssertionError("the receipt opened a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    pdf = render_receipt(receipt)
    assert image_count(pdf) == 1


def test_the_demo_issues_its_receipts_once_and_resets_them(demo_site):
    current = TaxReceiptSettings.load()
    assert tax_receipts.receipts_offered() and current.identifier == "W751000000"
    assert current.signature.name.startswith("private/")
    receipts = list(TaxReceipt.objects.order_by("year", "sequence"))
    assert [(r.donor_name, r.amount_cents, r.status, r.payment_modes) for r in receipts] == [
        ("Hélène Marchand", 8_000, TaxReceiptStatus.ISSUED, ["cheque"]),
        ("Karim Benali", 12_000, TaxReceiptStatus.CANCELLED, ["cash"]),
        ("Karim Benali", 8_000, TaxReceiptStatus.ISSUED, ["cash"]),
    ]
    assert receipts[2].replaces == receipts[1] and receipts[1].cancel_reason == "refund"
    for receipt in receipts:
        pdf = render_receipt(receipt)
        assert page_count(pdf) == 1 and missing_mentions(receipt, pdf) == []
        assert image_count(pdf) == 1  # the demo signature
    assert f"remplacé par le reçu n° {receipts[2].number}" in pdf_text(render_receipt(receipts[1]))

    # built again: nothing new
    gifts = Donation.objects.count()
    receipt_demo.build(None)
    assert TaxReceipt.objects.count() == 3 and Donation.objects.count() == gifts

    # load_demo --reset: the campaigns' gifts go first, then their receipts and counters
    ledger.erase_campaigns([receipts[0].donations.get().campaign_key])
    receipt_demo.reset()
    assert not TaxReceipt.objects.exists() and not ReceiptCounter.objects.exists()
