"""Demo tax receipts for `load_demo` (registered from DonationsConfig.ready, after every
other demo builder: order 80).

Receipts are turned on for a fictitious association, « Les Co-citoyens » (an RNA number of
the right shape that belongs to no one, an address in Paris 20e, its treasurer's drawn
signature copied into private storage), and two gifts handed to the team of the repair café
of Belleville get their receipts: a cheque with a receipt of its own, and cash, part of
which was given back, so that its first receipt is cancelled and replaced by one for the
money kept. The demo gifts carry no email address: their donors get their receipts on paper
(and the console stays free of emailed PDFs).

Idempotent: settings already complete are kept, a demo gift already recorded is not recorded
again, and a gift's receipt is issued once (tax_receipts.issue_for_gift). ``reset()``
deletes the receipts whose gifts are gone (load_demo --reset deletes the demo campaigns'
gifts first) and, when no receipt is left at all, the numbering counters.
"""

import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from wagtail.models import Page

from . import ledger, tax_receipts
from .models import Donation, ReceiptCounter, TaxReceipt, TaxReceiptSettings

SIGNATURE_STATIC = "donations/demo-signature.png"
ASSOCIATION = {
    "name": "Les Co-citoyens",
    # RNA numbers are W + 9 digits; this one is made up for the demo.
    "identifier": "W751000000",
    "address_line": "24 rue des Envierges",
    "postal_code": "75020",
    "city": "Paris",
    "country": "France",
    "purpose": (
        "Association loi 1901 à caractère social et culturel : accompagner les habitants de "
        "Paris et de sa proche banlieue dans leurs projets de quartier (jardins partagés, "
        "ateliers de réparation, fêtes de rue, bibliothèques de rue, cuisine solidaire) et "
        "organiser leur financement participatif."
    ),
    "signatory_name": "Fatou Camara",
    "signatory_quality": "Trésorière",
}
CAMPAIGN_SLUG = "repair-cafe-belleville"
EVIDENCE = "Démo · reçu fiscal"
# Gifts handed to the team, each with the donor's legal name and postal address.
GIFTS = [
    {
        "donor_name": "Hélène M.",
        "receipt_name": "Hélène Marchand",
        "address_line": "8 rue Dénoyez",
        "postal_code": "75020",
        "city": "Paris",
        "amount_cents": 8_000,
        "offline_method": "cheque",
        "days_ago": 3,
        "given_back_cents": 0,
    },
    {
        "donor_name": "Karim B.",
        "receipt_name": "Karim Benali",
        "address_line": "41 rue de la Mare",
        "postal_code": "75020",
        "city": "Paris",
        "amount_cents": 12_000,
        "offline_method": "cash",
        "days_ago": 2,
        # 40 € handed back the next day: the 120 € receipt is replaced by one for 80 €
        "given_back_cents": 4_000,
    },
]


def configure():
    """Turn receipts on with the demo association's details (kept if already complete);
    return the settings."""
    current = TaxReceiptSettings.load()
    if current.missing():
        for name, value in ASSOCIATION.items():
            setattr(current, name, value)
        if not current.signature or not current.signature.storage.exists(current.signature.name):
            with open(finders.find(SIGNATURE_STATIC), "rb") as image:
                current.signature.save("demo-signature.png", ContentFile(image.read()), save=False)
    current.enabled = True
    current.save()
    return current


def campaign_key():
    page = Page.objects.filter(
        slug=CAMPAIGN_SLUG, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return page.translation_key if page else None


def record(key, spec):
    """The demo gift ``spec`` to campaign ``key``, recorded once."""
    existing = Donation.objects.filter(
        campaign_key=key, evidence=EVIDENCE, receipt_name=spec["receipt_name"]
    ).first()
    if existing is not None:
        return existing
    received_on = timezone.localdate() - datetime.timedelta(days=spec["days_ago"])
    return ledger.record_offline(
        campaign_key=key,
        amount_cents=spec["amount_cents"],
        donor_name=spec["donor_name"],
        offline_method=spec["offline_method"],
        received_on=received_on,
        evidence=EVIDENCE,
        wants_receipt=True,
        receipt_name=spec["receipt_name"],
        address_line=spec["address_line"],
        postal_code=spec["postal_code"],
        city=spec["city"],
        country="France",
        language="fr",
    )


def build(site=None):
    """Turn receipts on and issue the demo gifts' receipts; return the valid receipts."""
    configure()
    key = campaign_key()
    if key is None:  # the campaigns' demo is not there
        return []
    receipts = []
    for spec in GIFTS:
        gift = record(key, spec)
        # issued the day after the gift came in (the scheduled run would have done it)
        issued_at = timezone.now() - datetime.timedelta(days=spec["days_ago"] - 1)
        receipt = tax_receipts.issue_for_gift(gift.pk, now=issued_at)
        if spec["given_back_cents"] and gift.refunded_cents < spec["given_back_cents"]:
            gift.refunded_cents = spec["given_back_cents"]
            ledger.save_offline(gift)
            receipt = tax_receipts.follow_refund(gift.pk) or tax_receipts.valid_receipt_of(gift)
        if receipt is not None:
            receipts.append(receipt)
    return receipts


def reset():
    """Delete the receipts whose gifts are all gone (replacements before the receipts they
    replace), then the numbering counters if no receipt is left."""
    orphans = TaxReceipt.objects.annotate(gifts=Count("donations")).filter(gifts=0)
    for receipt in orphans.order_by("-pk"):
        receipt.delete()
    if not TaxReceipt.objects.exists():
        ReceiptCounter.objects.all().delete()
