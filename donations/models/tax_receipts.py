"""Tax receipts (reçus fiscaux, form 2041-RD, Cerfa 11580*05): see donations/tax_receipts.py
for how they are issued, numbered, cancelled and reissued, and docs/tax-receipts.md.

A receipt is a legal document: what it says is copied onto its row when it is issued (the
donor's name and address, the amount, the dates, the payment modes, and the association's
details in ``issuer``), so its PDF reads the same years later whatever changes elsewhere. It
is never edited: a wrong or refunded one is cancelled and a new one issued under a new number.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# The box of form 2041-RD that applies to this association (../shared/reference/recu-fiscal.md):
# a staff setting, since it depends on the association's status.
DEFAULT_CATEGORY = (
    "Œuvre ou organisme d'intérêt général ayant un caractère philanthropique, éducatif, "
    "scientifique, social, humanitaire, sportif, familial, culturel ou concourant à la mise en "
    "valeur du patrimoine artistique, à la défense de l'environnement naturel ou à la diffusion "
    "de la culture, de la langue et des connaissances scientifiques françaises"
)
DEFAULT_SUB_CATEGORY = "Association loi 1901"


class TaxArticle(models.TextChoices):
    ARTICLE_200 = "200", _("Article 200 of the tax code (income tax)")
    ARTICLES_200_978 = "200+978", _("Articles 200 and 978 of the tax code (income tax and IFI)")


@register_setting(icon="doc-full")
class TaxReceiptSettings(BaseGenericSetting):
    """What every receipt says about the association. Receipts are issued only once these
    are filled in and ``enabled`` is on; until then no page or email promises one."""

    enabled = models.BooleanField(
        _("issue tax receipts"),
        default=False,
        help_text=_(
            "Only once the association is entitled to issue them (have your accountant check "
            "these details). Until then the site offers no receipt."
        ),
    )
    name = models.CharField(_("association's name"), max_length=200, blank=True)
    identifier = models.CharField(
        _("SIREN or RNA number"), max_length=30, blank=True, help_text=_("e.g. W751234567")
    )
    address_line = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True, default="France")
    purpose = models.TextField(
        _("object of the association"),
        blank=True,
        max_length=600,
        help_text=_("As explicit as possible, as in the statutes."),
    )
    category = models.TextField(
        _("category box of the form"), blank=True, default=DEFAULT_CATEGORY, max_length=600
    )
    sub_category = models.CharField(
        _("sub-box of the form"), max_length=200, blank=True, default=DEFAULT_SUB_CATEGORY
    )
    article = models.CharField(
        _("article of the tax code"),
        max_length=10,
        choices=TaxArticle.choices,
        default=TaxArticle.ARTICLE_200,
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150, blank=True)
    signatory_quality = models.CharField(
        _("signatory's quality"), max_length=100, blank=True, help_text=_("e.g. Treasurer")
    )
    # Private storage, never served: the PDF embeds it as a data: URI (helpers/pdf.py).
    signature = models.FileField(
        _("signature image (PNG or JPEG)"), upload_to="private/signatures/", blank=True
    )

    class Meta:
        verbose_name = _("tax receipt details")

    REQUIRED = (
        "name",
        "identifier",
        "address_line",
        "postal_code",
        "city",
        "country",
        "purpose",
        "category",
        "signatory_name",
        "signatory_quality",
        "signature",
    )

    def missing(self):
        """The names of the required details still empty."""
        return [name for name in self.REQUIRED if not getattr(self, name)]


class TaxReceiptKind(models.TextChoices):
    GIFT = "gift", _("One gift")
    YEAR = "year", _("A year's gifts")


class TaxReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


class TaxReceiptCancelReason(models.TextChoices):
    REFUND = "refund", _("Gift refunded")
    CORRECTION = "correction", _("Corrected by staff")


class ReceiptCounter(models.Model):
    """The last receipt number used in a calendar year: locked while a receipt is issued, in
    the same transaction, so numbers have no gap and no duplicate."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")

    def __str__(self):
        return f"{self.year}: {self.last}"


class TaxReceipt(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=TaxReceiptKind.choices, default=TaxReceiptKind.GIFT
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TaxReceiptStatus.choices,
        default=TaxReceiptStatus.ISSUED,
    )
    donations = models.ManyToManyField(
        "donations.Donation", verbose_name=_("gifts"), related_name="tax_receipts"
    )
    # What the receipt says, copied when it is issued.
    donor_name = models.CharField(_("donor's name"), max_length=150)
    address_line = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=100)
    donor_email = models.EmailField(_("donor's email"), blank=True)
    language = models.CharField(_("language of the emails"), max_length=10, default="fr")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    first_gift_on = models.DateField(_("gift received on"))
    last_gift_on = models.DateField(_("last gift received on"))
    payment_modes = models.JSONField(_("payment modes"), default=list)
    issuer = models.JSONField(_("association's details"), default=dict)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("why cancelled"), max_length=20, choices=TaxReceiptCancelReason.choices, blank=True
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    cancellation_emailed_at = models.DateTimeField(_("cancellation emailed"), null=True, blank=True)
    # The donor's details are blanked once the legal keeping period is over (personal data).
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("tax receipt")
        verbose_name_plural = _("tax receipts")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="tax_receipt_unique_number")
        ]
        permissions = [("issue_taxreceipt", _("Can cancel and reissue tax receipts"))]

    def __str__(self):
        return self.number

    @property
    def number(self):
        """The « numéro d'ordre »: year and rank in the year, e.g. 2026-000042."""
        return f"{self.year}-{self.sequence:06d}"

    @property
    def is_valid(self):
        return self.status == TaxReceiptStatus.ISSUED
