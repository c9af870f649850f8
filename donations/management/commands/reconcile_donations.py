"""`manage.py reconcile_donations`: settle donations a lost webhook left pending, and apply
refunds and disputes whose webhook never came.

1. For each online donation still pending after --older-than minutes (default
   DONATION_PENDING_MINUTES), ask Stripe for its Checkout Session and record what it says.
   A donation whose checkout never started (no session) is marked failed.
2. For each online gift paid in the last --recheck-days days (default DONATION_RECHECK_DAYS),
   and each whose refund was asked and is not confirmed yet, ask Stripe for its payment and
   charge: a refund made at Stripe, or a dispute, is applied as its webhook would have been.
   One or two Stripe requests per gift, read by pages; a gift Stripe does not answer for is
   counted unreachable and the run goes on.

Running it twice changes nothing. Schedule it (cron, or a worker) every few minutes.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from donations import ledger, payments, recheck
from donations.models import Donation, DonationSource, DonationStatus


class Command(BaseCommand):
    help = (
        "Settle online donations still pending after N minutes, and apply the refunds and "
        "disputes of recently paid ones (asks Stripe)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.DONATION_PENDING_MINUTES,
            help="Minutes a donation must have been pending (default %(default)s).",
        )
        parser.add_argument(
            "--recheck-days",
            type=int,
            default=settings.DONATION_RECHECK_DAYS,
            help="Recheck the gifts paid in the last N days (default %(default)s; 0: none "
            "but those whose refund is not confirmed yet).",
        )

    def handle(self, *args, older_than, recheck_days, **options):
        counts = {"settled": 0, "unchanged": 0, "failed": 0, "unreachable": 0}
        self.settle_pending(older_than, counts)
        counts.update({"rechecked": 0, "refunds": 0, "disputes": 0})
        self.recheck_paid(recheck_days, counts)
        self.stdout.write(
            "reconcile_donations: {settled} settled, {unchanged} unchanged, "
            "{failed} marked failed, {unreachable} unreachable, {rechecked} rechecked, "
            "{refunds} refunds applied, {disputes} disputes applied".format(**counts)
        )

    def settle_pending(self, older_than, counts):
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        pending = Donation.objects.filter(
            source=DonationSource.ONLINE,
            status__in=[DonationStatus.PENDING, DonationStatus.CANCELLED],
            created_at__lte=cutoff,
        ).order_by("pk")
        for donation in pending.iterator():
            if donation.provider != "stripe":
                continue
            if not donation.provider_session_id:
                if donation.status == DonationStatus.PENDING:
                    ledger.transition(donation.pk, DonationStatus.FAILED)
                    counts["failed"] += 1
                continue
            before = donation.status
            try:
                settled = payments.StripeBackend().settle(donation)
            except payments.PaymentUnavailable as error:
                counts["unreachable"] += 1
                self.stderr.write(f"{donation.uuid}: Stripe unreachable ({error})")
                continue
            counts["settled" if settled.status != before else "unchanged"] += 1

    def recheck_paid(self, days, counts):
        client = None  # made at the first gift: without Stripe gifts, no Stripe key needed
        for donation in recheck.in_pages(recheck.gifts_to_recheck(days)):
            client = client or payments.StripeBackend().client()
            try:
                refunded, disputed = recheck.recheck(donation, client)
            except payments.PaymentUnavailable as error:
                counts["unreachable"] += 1
                self.stderr.write(f"{donation.uuid}: Stripe unreachable ({error})")
                continue
            counts["rechecked"] += 1
            counts["refunds"] += refunded
            counts["disputes"] += disputed
