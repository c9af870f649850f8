"""The donation ledger (DESIGN.md §5): one row per gift, amounts in integer cents.

Never change ``status``, ``amount_cents`` or ``refunded_cents`` directly: go through
``donations.ledger``, which keeps every campaign's tally equal to the ledger.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DonationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class DonationSource(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")
    MATCH = "match", _("Matching gift")


class DisplayChoice(models.TextChoices):
    NAME = "name", _("Show my name and the amount")
    ANONYMOUS = "anonymous", _("Anonymous")
    HIDE_AMOUNT = "hide_amount", _("Show my name, hide the amount")


class OfflineMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER = "transfer", _("Bank transfer")


MESSAGE_MAX_LENGTH = 500


class DonationQuerySet(models.QuerySet):
    def for_campaign(self, campaign_key):
        """Donations to the campaign whose pages share ``campaign_key`` (translation_key)."""
        return self.filter(campaign_key=campaign_key)

    def counted(self):
        """Donations that count in a campaign's total: paid (possibly partly refunded)."""
        return self.filter(status=DonationStatus.PAID)

    def public(self):
        """What the campaign page lists: counted residents' gifts (not sponsors' matches),
        newest first."""
        return self.counted().exclude(source=DonationSource.MATCH).order_by("-paid_at", "-pk")


class Donation(models.Model):
    """A gift to a campaign, online (Stripe or demo checkout) or recorded by staff."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign_key = models.UUIDField(
        _("campaign"), db_index=True, help_text=_("The translation key of the campaign pages.")
    )
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MinValueValidator(1)]
    )
    refunded_cents = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    currency = models.CharField(max_length=3, default="EUR", editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=DonationStatus.choices, default=DonationStatus.PENDING
    )
    source = models.CharField(
        _("source"), max_length=10, choices=DonationSource.choices, default=DonationSource.ONLINE
    )
    display = models.CharField(
        _("public display"),
        max_length=12,
        choices=DisplayChoice.choices,
        default=DisplayChoice.NAME,
    )
    donor_name = models.CharField(_("donor's name"), max_length=100, blank=True)
    donor_email = models.EmailField(_("donor's email"), blank=True)
    message = models.TextField(
        _("message"), blank=True, validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)]
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    wants_news = models.BooleanField(
        _("wants the campaign's news"),
        default=False,
        help_text=_(
            "Ticked by the donor on the donation form; unticked on every gift of theirs to the "
            "campaign when they unsubscribe."
        ),
    )
    provider = models.CharField(_("payment provider"), max_length=20, blank=True)
    provider_session_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    provider_payment_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    offline_method = models.CharField(
        _("method"), max_length=10, choices=OfflineMethod.choices, blank=True
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("Where the proof is kept: receipt number, bank statement line…"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # Matching gifts (source MATCH): the sponsor's fund and the resident's gift it matches.
    match_fund = models.ForeignKey(
        "MatchFund",
        verbose_name=_("match fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
    )
    matched_gift = models.ForeignKey(
        "self",
        verbose_name=_("matched gift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
    )
    # Refunds asked of the provider (all-or-nothing campaigns that fail): asked once, with
    # an idempotency key per gift; the gift becomes refunded when the provider confirms.
    refund_requested_at = models.DateTimeField(_("refund asked"), null=True, blank=True)
    provider_refund_id = models.CharField(_("provider refund"), max_length=255, blank=True)
    # Offline gifts given back by staff (all-or-nothing campaigns that fail).
    returned_on = models.DateField(_("given back on"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given back by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Tax receipt (donations/tax_receipts.py): asked for at gift time or later through the
    # signed link of the confirmation email; the legal name and postal address are never shown.
    wants_receipt = models.BooleanField(_("asked for a tax receipt"), default=False)
    receipt_yearly = models.BooleanField(
        _("one receipt for the year"),
        default=False,
        help_text=_("The gifts of a calendar year get one receipt, issued in January."),
    )
    receipt_name = models.CharField(_("name for the receipt"), max_length=150, blank=True)
    address_line = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    paid_late = models.BooleanField(
        _("paid after closing"),
        default=False,
        editable=False,
        help_text=_(
            "Paid after its campaign closed: it counts in the amount raised, "
            "not in the campaign's result."
        ),
    )

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        permissions = [("view_donor_details", _("Can see donors' email addresses"))]
        indexes = [models.Index(fields=["campaign_key", "status", "paid_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_cents__lte=models.F("amount_cents")),
                name="donation_refund_not_above_amount",
            ),
            models.UniqueConstraint(
                fields=["matched_gift", "match_fund"], name="donation_one_match_per_fund_and_gift"
            ),
        ]

    def __str__(self):
        return f"{self.amount_cents / 100:.2f} € · {self.get_status_display()} · {self.uuid}"

    @property
    def counted_cents(self):
        """What this gift adds to its campaign's total right now."""
        if self.status == DonationStatus.PAID:
            return self.amount_cents - self.refunded_cents
        return 0

    @property
    def public_name(self):
        """The name shown on the campaign page, or "" for an anonymous gift."""
        return "" if self.display == DisplayChoice.ANONYMOUS else self.donor_name

    @property
    def amount_is_public(self):
        return self.display != DisplayChoice.HIDE_AMOUNT

    @property
    def has_receipt_address(self):
        """The legal name and a complete postal address a receipt needs are known."""
        return all(
            (self.receipt_name, self.address_line, self.postal_code, self.city, self.country)
        )


class CampaignTally(models.Model):
    """A campaign's raised amount and donor count, kept equal to the ledger by
    ``donations.ledger`` (recomputed under a row lock at every change).

    ``raised_cents`` is everything counted: residents' gifts and sponsors' matches, net of
    refunds and of lost disputes; ``matched_cents`` is the sponsors' part of it.
    ``donor_count`` counts people (one email, or one offline donor, counted once);
    ``gift_count`` counts gifts (matches left out)."""

    campaign_key = models.UUIDField(primary_key=True)
    raised_cents = models.BigIntegerField(default=0)
    matched_cents = models.BigIntegerField(default=0)
    disputed_cents = models.BigIntegerField(default=0)
    donor_count = models.PositiveIntegerField(default=0)
    gift_count = models.PositiveIntegerField(default=0)
    # The campaign's result is decided by what was paid by its closing time (see
    # ledger._recompute_tally): closes_at as the campaign app gave it at the last recompute,
    # the on-time total, and the refunds of on-time gifts recorded before closing.
    closes_at = models.DateTimeField(null=True, blank=True)
    raised_by_close_cents = models.PositiveBigIntegerField(default=0)
    refunded_by_close_cents = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign tally")

    def __str__(self):
        return f"{self.campaign_key}: {self.raised_cents} cents, {self.donor_count} gifts"


class RefusedReason(models.TextChoices):
    NO_SESSION = "no_session", _("The gift never started a checkout")
    OTHER_SESSION = "other_session", _("Another checkout session than the gift's own")
    OTHER_PAYMENT = "other_payment", _("Another payment than the gift's own")
    AMOUNT = "amount", _("Amount differs from the gift's")
    CURRENCY = "currency", _("Currency is not euro")
    MODE = "mode", _("Not a one-off payment")


class RefusedPayment(models.Model):
    """A payment event the ledger refused to apply to a gift (its session, payment, amount,
    currency or mode is not the gift's own): nothing was counted; staff look into it."""

    created_at = models.DateTimeField(_("refused at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=20, choices=RefusedReason.choices)
    donation = models.ForeignKey(
        Donation,
        verbose_name=_("gift it claimed to pay"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refused_payments",
    )
    event_id = models.CharField(_("event"), max_length=255, blank=True)
    event_type = models.CharField(_("event type"), max_length=100, blank=True)
    session_id = models.CharField(_("checkout session"), max_length=255, blank=True)
    payment_intent_id = models.CharField(_("payment"), max_length=255, blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=10, blank=True)
    mode = models.CharField(_("mode"), max_length=30, blank=True)
    expected_cents = models.PositiveIntegerField(_("gift's amount (cents)"), null=True, blank=True)

    class Meta:
        verbose_name = _("refused payment")
        verbose_name_plural = _("refused payments")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.session_id or self.payment_intent_id}"


class WebhookEvent(models.Model):
    """Each payment-provider event id, stored once: a duplicate delivery is ignored."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook event")

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Dispute(models.Model):
    """A chargeback on an online gift (Stripe's ``charge.dispute.*`` events).

    A lost dispute is a ledger entry of its own: the gift stays as it was paid, and its
    ``amount_cents`` comes out of the campaign's total (and the gift's match is taken back).
    """

    donation = models.ForeignKey(
        Donation, verbose_name=_("gift"), on_delete=models.PROTECT, related_name="disputes"
    )
    provider_dispute_id = models.CharField(_("provider dispute"), max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.provider_dispute_id} · {self.get_status_display()}"


class MatchFund(models.Model):
    """A sponsor's fund that matches residents' gifts (e.g. 1 € for each 1 € given).

    Eligible campaigns: those chosen by hand (``campaign_keys``), and those whose district is
    in ``district_codes`` (if any are set) and whose category is in ``category_codes`` (if any
    are set). Codes, not foreign keys: districts and categories belong to the campaign app,
    above this one (it tells the ledger a campaign's district and category code).
    """

    sponsor_name = models.CharField(_("sponsor"), max_length=120)
    sponsor_logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("sponsor's logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sponsor_url = models.URLField(_("sponsor's website"), blank=True)
    ratio_percent = models.PositiveSmallIntegerField(
        _("match ratio (percent)"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("100: 1 € for each 1 € given; 50: 50 cents for each 1 € given."),
    )
    per_gift_cap_cents = models.PositiveIntegerField(
        _("cap per gift (cents)"), null=True, blank=True, help_text=_("Empty: no cap per gift.")
    )
    per_campaign_cap_cents = models.PositiveIntegerField(
        _("cap per campaign (cents)"),
        null=True,
        blank=True,
        help_text=_("Empty: no cap per campaign."),
    )
    total_cap_cents = models.PositiveIntegerField(
        _("fund (cents)"), help_text=_("The most this fund ever matches, all campaigns together.")
    )
    starts_at = models.DateTimeField(_("matches gifts paid from"))
    ends_at = models.DateTimeField(_("matches gifts paid until"))
    campaign_keys = models.JSONField(_("campaigns chosen by hand"), default=list, blank=True)
    district_codes = models.JSONField(_("districts"), default=list, blank=True)
    category_codes = models.JSONField(_("categories"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("match fund")
        verbose_name_plural = _("match funds")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="matchfund_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.sponsor_name


from .tax_receipts import (  # noqa: E402, F401 - the receipts refer to Donation
    ReceiptCounter,
    TaxReceipt,
    TaxReceiptCancelReason,
    TaxReceiptKind,
    TaxReceiptSettings,
    TaxReceiptStatus,
)
