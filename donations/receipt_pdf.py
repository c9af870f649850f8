"""The PDF of a tax receipt (reçu fiscal, form 2041-RD, Cerfa 11580*05): one A4 page,
flattened (no form field), always in French — the form exists only in French, so its legal
wording is written in French in the template and never goes through the catalogues.

Everything it prints is what was COPIED onto the receipt when it was issued (the donor's
name and address, the amount, the dates, the payment modes, and the association's details
in ``receipt.issuer``), never the current settings: a receipt reads the same years later.
The signature image is read from private storage (the file named in the issuer snapshot)
and embedded as a ``data:`` URI; it is never served by address. A missing file leaves the
signature out rather than failing. Every mention of the form is listed in
../shared/reference/recu-fiscal.md §1; docs/tax-receipts.md tells staff what the PDF holds.
"""

import base64
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from num2words import num2words

from helpers.pdf import BASE_URL, FONT_STACK, local_fetcher, text_direction

from .models import TaxReceiptCancelReason, TaxReceiptKind, TaxReceiptStatus
from .tax_receipts import PAYMENT_MODE_LABELS

TEMPLATE = "donations/tax_receipt.html"
# Tried in turn until the receipt fits on one page (long objects, names and addresses).
DENSITIES = ("regular", "compact", "tight")
PARIS = ZoneInfo("Europe/Paris")
# A signature larger than this is not an image staff meant to upload: left out.
SIGNATURE_MAX_BYTES = 2_000_000

# The boxes of the form, in its order; the ones that apply are ticked.
FORMS_OF_GIFT = ["Acte authentique", "Acte sous seing privé", "Déclaration de don manuel", "Autres"]
FORM_OF_GIFT = "Déclaration de don manuel"
NATURES_OF_GIFT = [
    "Numéraire",
    "Titres de sociétés cotés",
    "Abandon exprès de revenus ou de produits",
    "Frais engagés par les bénévoles, dont ils renoncent expressément au remboursement",
    "Autres",
]
NATURE_OF_GIFT = "Numéraire"
# « Mode de versement »: one box per label (card and transfer share the third).
PAYMENT_MODE_BOXES = ["Remise d'espèces", "Chèque", "Virement, prélèvement, carte bancaire"]
CANCEL_REASONS = {
    TaxReceiptCancelReason.REFUND: "don remboursé",
    TaxReceiptCancelReason.CORRECTION: "reçu corrigé",
}


def format_euros(cents):
    """``cents`` as the form writes an amount: ``1 205,50 €`` (always two decimals,
    narrow no-break space between thousands, no-break space before the sign)."""
    euros, rest = divmod(int(cents), 100)
    return f"{euros:,}".replace(",", "\u202f") + f",{rest:02d}\xa0€"


def framed_amount(cents):
    """The amount in figures framed by asterisks, as computer-made receipts print it."""
    return f"***{format_euros(cents)}***"


def amount_in_words(cents):
    """The amount « en toutes lettres », in French: 120550 → « mille deux cent cinq euros
    et cinquante centimes », 15000 → « cent cinquante euros »."""
    cents = int(cents)
    euros, rest = divmod(cents, 100)
    words = num2words(Decimal(cents) / 100, lang="fr", to="currency", currency="EUR")
    if rest == 0:
        words = words.split(" et zéro centime")[0]
    if euros == 0:
        words = words.split(" et ", 1)[1] if " et " in words else words
    # « un million d'euros », « deux milliards d'euros »
    for big in ("million", "millions", "milliard", "milliards"):
        words = words.replace(f"{big} euros", f"{big} d'euros")
    return words


def format_date(day):
    return day.strftime("%d/%m/%Y")


def gift_period(receipt):
    """What « Date du versement ou du don » says: one date, or the period of a yearly
    receipt (« du 12/03/2026 au 05/11/2026 »)."""
    first, last = receipt.first_gift_on, receipt.last_gift_on
    if first == last:
        return format_date(first)
    return f"du {format_date(first)} au {format_date(last)}"


def image_type(data):
    """``image/png`` or ``image/jpeg`` from the file's first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def signature_data_uri(name):
    """The signature image ``name`` from private storage as a ``data:`` URI, or None when
    there is none, it is gone, or it is not a PNG or JPEG image."""
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as image:
            data = image.read(SIGNATURE_MAX_BYTES + 1)
    except (OSError, ValueError, SuspiciousFileOperation):  # gone, or a name refused
        return None
    content_type = image_type(data)
    if content_type is None or len(data) > SIGNATURE_MAX_BYTES:
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def boxes(labels, ticked):
    return [{"label": label, "ticked": label in ticked} for label in labels]


def receipt_context(receipt):
    """Everything the template prints, from what is copied on ``receipt``."""
    issuer = receipt.issuer or {}
    article = issuer.get("article") or "200"
    modes = {
        PAYMENT_MODE_LABELS[mode] for mode in receipt.payment_modes if mode in PAYMENT_MODE_LABELS
    }
    cancelled = receipt.status == TaxReceiptStatus.CANCELLED
    replacement = getattr(receipt, "replaced_by", None) if cancelled else None
    return {
        "receipt": receipt,
        "number": receipt.number,
        "issuer": issuer,
        "donor_direction": text_direction(receipt.donor_name),
        "address_direction": text_direction(receipt.address_line),
        "city_direction": text_direction(receipt.city),
        "amount": framed_amount(receipt.amount_cents),
        "amount_words": amount_in_words(receipt.amount_cents),
        "yearly": receipt.kind == TaxReceiptKind.YEAR,
        "gift_date": gift_period(receipt),
        "year": receipt.first_gift_on.year,
        "articles": [
            {"label": "200 du CGI", "ticked": True},
            {"label": "978 du CGI", "ticked": article == "200+978"},
        ],
        "forms": boxes(FORMS_OF_GIFT, {FORM_OF_GIFT}),
        "natures": boxes(NATURES_OF_GIFT, {NATURE_OF_GIFT}),
        "modes": boxes(PAYMENT_MODE_BOXES, modes),
        "issued_on": format_date(receipt.issued_at.astimezone(PARIS)),
        "signature": signature_data_uri(issuer.get("signature", "")),
        "cancelled": cancelled,
        "cancelled_on": format_date(receipt.cancelled_at.astimezone(PARIS))
        if cancelled and receipt.cancelled_at
        else "",
        "cancel_reason": CANCEL_REASONS.get(receipt.cancel_reason, ""),
        "replacement": replacement,
        "replaces": receipt.replaces,
    }


def _layout(context, density):
    """The WeasyPrint document of the receipt laid out at ``density`` (as helpers/pdf.py's
    render_pdf does: same fonts, same fetcher that refuses the network)."""
    # WeasyPrint takes ~0.5 s to load: only when a PDF is drawn
    from weasyprint import HTML  # noqa: PLC0415

    html = render_to_string(TEMPLATE, {"pdf_font_stack": FONT_STACK, "density": density, **context})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=local_fetcher()).render()


def render_receipt(receipt):
    """The PDF (bytes) of ``receipt``: one A4 page, in French, printable, not editable
    (no form field). Long details are set smaller until they fit on the page."""
    with translation.override("fr"):
        context = receipt_context(receipt)
        for density in DENSITIES:
            document = _layout(context, density)
            if len(document.pages) == 1:
                break
        return document.write_pdf()
