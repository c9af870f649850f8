"""`manage.py ledger_check`: check the ledger against itself and print its fingerprint
(donations/ledger_audit.py). Exit status 1 when a campaign's tally differs from its gifts or
tax receipt numbers have a gap; the scheduler runs it nightly, the restore drill on every
restored backup."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from donations import ledger_audit


class Command(BaseCommand):
    help = "Check that every campaign's tally equals its gifts and receipt numbers have no gap."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the fingerprint and problems as JSON."
        )

    def handle(self, *args, **options):
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":  # one moment for every query
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            print_ = ledger_audit.fingerprint()
            found = ledger_audit.problems()
        if options["json"]:
            self.stdout.write(json.dumps({"fingerprint": print_, "problems": found}, indent=1))
        else:
            self.stdout.write(f"ledger: {ledger_audit.summary(print_)}")
            self.stdout.write(f"digest: {print_['digest']}")
        if found:
            raise CommandError("ledger check failed:\n" + "\n".join(found))
        if not options["json"]:
            self.stdout.write("ledger check: no problem found")
