"""`manage.py issue_tax_receipts`: issue the tax receipts that are due (donations/tax_receipts.py,
docs/tax-receipts.md). django-tasks has no clock: run it from cron every 10 minutes, like
close_campaigns; a gift's receipt is normally issued as soon as it is paid, this run catches
up with the rest (gifts of an all-or-nothing campaign that has now succeeded, receipts turned
on later, a queue outage).

- no option: each paid gift whose donor asked for a receipt of their own and gave a name and
  postal address gets it, once its money is the association's to keep;
- ``--yearly [YEAR]``: also one receipt per person for the gifts of YEAR whose donor asked for
  one receipt a year (default: the previous calendar year — the January run issues last year's
  receipts; a later run issues a further one only for gifts of that year received or released
  since);
- ``--purge``: also blank the donor's details (name, address, email) of receipts issued more
  than KEEP_YEARS (6) years ago.

Running it again issues nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from donations import tax_receipts


class Command(BaseCommand):
    help = (
        "Issue the tax receipts due (one per gift); --yearly [YEAR]: also the yearly receipts "
        "of YEAR (default: the previous calendar year, so run it in January); --purge: also "
        f"blank the donor's details on receipts issued over {tax_receipts.KEEP_YEARS} years ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--yearly",
            nargs="?",
            type=int,
            const=0,
            default=None,
            metavar="YEAR",
            help="Also issue the yearly receipts of YEAR (default: the previous calendar "
            "year: in January, last year's gifts).",
        )
        parser.add_argument(
            "--purge",
            action="store_true",
            help=f"Also blank the donor's name, address and email on receipts issued more "
            f"than {tax_receipts.KEEP_YEARS} years ago (the legal keeping period).",
        )

    def handle(self, *args, yearly=None, purge=False, **options):
        this_year = timezone.localdate().year
        if yearly is not None:
            year = yearly or this_year - 1
            if not 2000 <= year < this_year:
                raise CommandError(
                    f"--yearly: {year} is not a past year (a year's receipts are issued once "
                    "it is over)"
                )
        offered = tax_receipts.receipts_offered()
        if not offered:
            missing = tax_receipts.receipt_settings().missing()
            self.stdout.write(
                "issue_tax_receipts: tax receipts are off"
                + (f" or incomplete (missing: {', '.join(missing)})" if missing else "")
                + ": none issued"
            )
        else:
            issued = tax_receipts.issue_due()
            self.stdout.write(f"issue_tax_receipts: {len(issued)} gift receipts issued")
            if yearly is not None:
                issued = tax_receipts.issue_yearly(year)
                self.stdout.write(
                    f"issue_tax_receipts: {len(issued)} yearly receipts issued for {year}"
                )
        if purge:
            purged = tax_receipts.purge_expired()
            self.stdout.write(
                f"issue_tax_receipts: {purged} receipts purged of the donor's details "
                f"(issued over {tax_receipts.KEEP_YEARS} years ago)"
            )
