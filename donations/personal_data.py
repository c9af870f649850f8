"""The donors' personal data, for staff requests (home/personal_data.py): a donor's gifts
found by email, exported, and
erased — name, email and message blanked, the gift shown anonymously — while its amount,
dates and status stay in the ledger. Registered from the app's AppConfig.ready()."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from home import personal_data
from home.money import format_money

from . import ledger
from .models import DisplayChoice, Donation, DonationSource

KIND = "donations.gift"
PERSONAL_FIELDS = ("donor_name", "donor_email", "message")


def _record(gift):
    return personal_data.Record(
        kind=KIND,
        kind_label=_("Gift"),
        id=gift.pk,
        summary=_("%(amount)s, %(status)s, %(source)s, %(date)s")
        % {
            "amount": format_money(gift.amount_cents),
            "status": gift.get_status_display(),
            "source": gift.get_source_display(),
            "date": (gift.paid_at or gift.created_at).date().isoformat(),
        },
        data={
            "reference": str(gift.uuid),
            "campaign_key": str(gift.campaign_key),
            "amount_cents": gift.amount_cents,
            "refunded_cents": gift.refunded_cents,
            "currency": gift.currency,
            "status": gift.status,
            "source": gift.source,
            "offline_method": gift.offline_method,
            "received_on": gift.received_on.isoformat() if gift.received_on else None,
            "evidence": gift.evidence,
            "display": gift.display,
            "donor_name": gift.donor_name,
            "donor_email": gift.donor_email,
            "message": gift.message,
            "language": gift.language,
            "wants_news": gift.wants_news,
            "created_at": gift.created_at.isoformat(timespec="seconds"),
            "paid_at": gift.paid_at.isoformat(timespec="seconds") if gift.paid_at else None,
        },
    )


def find(email, phone):
    """The gifts given with this email (or whose evidence names it); gifts hold no phone."""
    if not email:
        return []
    gifts = (
        Donation.objects.exclude(source=DonationSource.MATCH)
        .filter(Q(donor_email__iexact=email) | Q(evidence__icontains=email))
        .order_by("pk")
    )
    return [_record(gift) for gift in gifts]


def erase(records, by_user):
    """Blank the gifts' name, email and message (and the donor's identifiers in their
    evidence); a gift shown with its name becomes anonymous (one shown with its amount
    hidden keeps it hidden). Amounts, statuses and dates are not touched; the campaigns'
    tallies are worked out again (their people count may change: an erased donor's gifts
    no longer share an email). Returns how many gifts were erased."""
    ids = sorted(record.id for record in records)
    with transaction.atomic():
        gifts = list(Donation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        for gift in gifts:
            identifiers = [gift.donor_name, gift.donor_email]
            update = {name: "" for name in PERSONAL_FIELDS}
            update["wants_news"] = False
            update["evidence"] = personal_data.scrub(gift.evidence, identifiers)
            if gift.display == DisplayChoice.NAME:
                update["display"] = DisplayChoice.ANONYMOUS
            # only personal fields: the ledger's amounts and statuses stay as they are
            Donation.objects.filter(pk=gift.pk).update(**update)
        for key in sorted({gift.campaign_key for gift in gifts}):
            ledger.recompute(key)  # people counts follow the erased emails
        erased = list(Donation.objects.filter(pk__in=ids))
        personal_data.log_erased(erased, by_user)
    return len(erased)


def register():
    personal_data.register("donations", _("Gifts"), find, erase, order=10)
