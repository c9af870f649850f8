"""`manage.py backup [DIR]`: back the database up with the ledger's fingerprint of the same
moment (cocity/backups.py), then delete the backups older than --keep-days."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cocity import backups
from donations import ledger_audit


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite copy) with the ledger's fingerprint."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=settings.BACKUP_DIR)
        parser.add_argument(
            "--keep-days",
            type=int,
            default=settings.BACKUP_KEEP_DAYS,
            help="Delete backups older than this many days (the newest is always kept).",
        )

    def handle(self, *args, directory, keep_days, **options):
        if not directory:
            raise CommandError("Name a directory, or set BACKUP_DIR.")
        try:
            dump, print_ = backups.backup(directory)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup: {dump} ({dump.stat().st_size} bytes)")
        self.stdout.write(f"ledger: {ledger_audit.summary(print_)}")
        for old in backups.prune(directory, keep_days):
            self.stdout.write(f"deleted: {old.name} (older than {keep_days} days)")
