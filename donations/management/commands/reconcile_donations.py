"""`manage.py reconcile_donations`: settle donations a lost webhook left pending.

For each online donation still pending after --older-than minutes (default
DONATION_PENDING_MINUTES), ask Stripe for its Checkout Session and record what it says.
A donation whose checkout never started (no session) is marked failed. Running it twice
changes nothing. Schedule it (cron, or a worker) every few minutes.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from donations import ledger, payments
from donations.models import Donation, DonationSource, DonationStatus


class Command(BaseCommand):
    help = "Settle online donations still pending after N minutes (asks Stripe)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.DONATION_PENDING_MINUTES,
            help="Minutes a donation must have been pending (default %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        pending = Donation.objects.filter(
            source=DonationSource.ONLINE,
            status__in=[DonationStatus.PENDING, DonationStatus.CANCELLED],
            created_at__lte=cutoff,
        ).order_by("pk")
        counts = {"settled": 0, "unchanged": 0, "failed": 0, "unreachable": 0}
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
        self.stdout.write(
            "reconcile_donations: {settled} settled, {unchanged} unchanged, "
            "{failed} marked failed, {unreachable} unreachable".format(**counts)
        )
