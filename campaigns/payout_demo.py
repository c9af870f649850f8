"""Demo payouts and spending for `load_demo` (registered from CampaignsConfig.ready, after the
campaigns): the closed successful campaign, the Montreuil street library, is paid out and
three expenses with their scanned receipts (small PDFs made here) are recorded against its
budget. Idempotent: a campaign that already has a payout is left as it is."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Page

from helpers.demo import IMAGE_PREFIX

from .models import CampaignPage
from .payouts import Expense, Payout, original_budget_labels
from .receipts import file_receipt, receipts_collection

CAMPAIGN_SLUG = "bibliotheque-de-rue-montreuil"
PAYEE = "Association Lire au square"
# (days after the payout, what was bought, supplier, euros)
EXPENSES = [
    (3, "Bois et quincaillerie pour trois boîtes à livres", "Scierie de Montreuil", 780),
    (5, "Plexiglas pour les portes", "Plastiques Est Parisien", 320),
    (12, "Peinture extérieure et vernis", "Droguerie du Bas-Montreuil", 190),
]
# Demo receipts are named like the demo's images, so that `load_demo --reset` finds them.
RECEIPT_PREFIX = IMAGE_PREFIX


def receipt_pdf(lines):
    """A one-page PDF showing ``lines`` of text (ASCII), as bytes: enough for a demo receipt."""
    text = "".join(
        f"BT /F1 12 Tf 72 {760 - 20 * number} Td ({line}) Tj ET\n"
        for number, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(text), text),
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def demo_receipt(number, supplier, euros, day):
    Document = get_document_model()
    document = Document(title=f"{RECEIPT_PREFIX}facture {number}", collection=receipts_collection())
    content = receipt_pdf(
        [
            f"Facture {number} - {supplier}".encode("ascii", "replace").decode(),
            f"Date : {day.isoformat()}",
            f"Total TTC : {euros},00 EUR",
        ]
    )
    document.file.save(f"facture-{number}.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    file_receipt(document)
    return document


def build(site):
    """Pay the closed successful demo campaign and record what it bought."""
    campaign = CampaignPage.objects.get(
        slug=CAMPAIGN_SLUG, locale__language_code=settings.LANGUAGE_CODE
    )
    key = campaign.translation_key
    if Payout.objects.for_campaign(key).exists():
        return
    paid_on = timezone.localdate(campaign.closes_at) + datetime.timedelta(days=7)
    Payout.objects.create(
        campaign_key=key,
        paid_on=paid_on,
        amount_cents=campaign.raised,
        payee=PAYEE,
        reference="VIR-2026-0042",
    )
    line = original_budget_labels([key])[key][0]
    for number, (days, description, supplier, euros) in enumerate(EXPENSES, start=1):
        spent_on = min(paid_on + datetime.timedelta(days=days), timezone.localdate())
        Expense.objects.create(
            campaign_key=key,
            spent_on=spent_on,
            amount_cents=euros * 100,
            description=description,
            supplier=supplier,
            budget_line=line,
            receipt=demo_receipt(number, supplier, euros, spent_on),
        )


def reset():
    """Remove the payouts and expenses of campaigns that no longer exist (load_demo deletes
    the pages first) and the demo's receipts."""
    existing = Page.objects.values("translation_key")
    Payout.objects.exclude(campaign_key__in=existing).delete()
    Expense.objects.exclude(campaign_key__in=existing).delete()
    get_document_model().objects.filter(title__startswith=RECEIPT_PREFIX).delete()
