"""What a tax receipt's PDF must say (form 2041-RD, ../shared/reference/recu-fiscal.md §1),
as text extracted from the PDF: used by the PDF tests and by the browser tests of the
receipts' download link.

Both sides are compared with their whitespace collapsed (``normalise``): a PDF's text comes
back with line breaks where the layout wrapped, and with the no-break spaces of French
typography."""

import unicodedata
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium

from donations.receipt_pdf import amount_in_words, framed_amount, gift_period
from donations.tax_receipts import PAYMENT_MODE_LABELS

TITLE = (
    "Reçu des dons et versements effectués par les particuliers au titre des articles 200 "
    "et 978 du code général des impôts"
)
AMOUNT_SENTENCE = (
    "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à "
    "réduction d'impôt, la somme de :"
)
CERTIFICATION = (
    "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent "
    "droit à la réduction d'impôt prévue à l'article :"
)
PARIS = ZoneInfo("Europe/Paris")
TICKED = "☒"
UNTICKED = "☐"


def normalise(text):
    """``text`` with every run of whitespace (line breaks, no-break spaces) as one space."""
    return " ".join(text.split())


def pdf_text(pdf_bytes):
    """The text of every page of the PDF ``pdf_bytes``, whitespace collapsed."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        # PDFium gives a hyphen where a line broke after it as U+FFFE, the words joined
        return normalise(" ".join(pages).replace("\ufffe", "-"))
    finally:
        document.close()


def page_count(pdf_bytes):
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return len(document)
    finally:
        document.close()


def right_to_left(text):
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def as_extracted(text):
    """``text`` as mentions to look for: itself, or each of its words when it is written
    right to left (PDFium gives the words of a right-to-left line in the order they are
    drawn, left to right, each word in reading order). Arabic words with a lam-alef
    ligature may also come back with those two letters swapped: test with names without."""
    if right_to_left(text):
        return text.split()
    return [text]


def required_mentions(receipt):
    """Every mention the PDF of ``receipt`` must show, as its extracted text holds it
    (whitespace collapsed): compare with ``m in pdf_text(pdf)``."""
    issuer = receipt.issuer
    mentions = [
        TITLE,
        "2041-RD",
        "N° 11580*05",
        "Numéro d'ordre du reçu",
        receipt.number,
        # A. the association
        "Organisme bénéficiaire des dons et versements",
        "Nom ou dénomination",
        issuer["name"],
        "Numéro SIREN ou RNA",
        issuer["identifier"],
        issuer["address_line"],
        issuer["postal_code"],
        issuer["city"],
        issuer["country"],
        "Objet",
        issuer["purpose"],
        f"{TICKED} {issuer['category']}",
        # B. the donor
        "Donateur",
        "Nom, prénoms",
        *as_extracted(receipt.donor_name),
        *as_extracted(receipt.address_line),
        receipt.postal_code,
        *as_extracted(receipt.city),
        receipt.country,
        # C. the gift
        AMOUNT_SENTENCE,
        framed_amount(receipt.amount_cents),
        amount_in_words(receipt.amount_cents),
        "Date du versement ou du don",
        gift_period(receipt),
        CERTIFICATION,
        f"{TICKED} 200 du CGI",
        f"{TICKED if issuer.get('article') == '200+978' else UNTICKED} 978 du CGI",
        "Forme du don",
        f"{TICKED} Déclaration de don manuel",
        "Nature du don",
        f"{TICKED} Numéraire",
        "mode de versement",
        # D. date and signature
        "Date et signature",
        receipt.issued_at.astimezone(PARIS).strftime("%d/%m/%Y"),
        issuer["signatory_name"],
        issuer["signatory_quality"],
        # the form's footnotes
        "article 1740 A du code général des impôts",
        "article L. 80 C du livre des procédures fiscales",
    ]
    if issuer.get("sub_category"):
        mentions.append(f"{TICKED} {issuer['sub_category']}")
    for mode in sorted({PAYMENT_MODE_LABELS[mode] for mode in receipt.payment_modes}):
        mentions.append(f"{TICKED} {mode}")
    if receipt.kind == "year":
        mentions.append("Reçu récapitulatif annuel")
    return [normalise(mention) for mention in mentions if mention]


def missing_mentions(receipt, pdf_bytes):
    """The required mentions that the PDF's text lacks (empty when it has them all)."""
    text = pdf_text(pdf_bytes)
    return [mention for mention in required_mentions(receipt) if mention not in text]
