"""`manage.py restore_drill [DUMP]`: restore a backup (the newest in BACKUP_DIR by default)
into a scratch database and check that its ledger is exactly the one backed up
(cocity/backups.py). Exit status 1 when it is not."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cocity import backups


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and compare its ledger with the original."

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", help="A .dump file (default: the newest backup).")
        parser.add_argument("--keep", action="store_true", help="Keep the restored copy.")

    def handle(self, *args, dump, keep, **options):
        if not dump:
            found = backups.backups(settings.BACKUP_DIR) if settings.BACKUP_DIR else []
            if not found:
                raise CommandError("No backup to restore: name one, or set BACKUP_DIR.")
            dump = found[-1]
        try:
            passed, lines = backups.drill(dump, keep=keep)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
        if not passed:
            raise CommandError("restore drill failed: the restored ledger differs")
        self.stdout.write("restore drill passed: the restored ledger is the one backed up")
