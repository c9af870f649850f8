from django.core.management.base import BaseCommand

from workshops.personal_data import purge


class Command(BaseCommand):
    help = (
        "Erase the names, emails, phones and needs of the registrations of workshops that "
        "ended more than WORKSHOP_PERSONAL_DATA_MONTHS ago (run daily; repeating it is harmless)."
    )

    def handle(self, *args, **options):
        count = purge()
        self.stdout.write(f"{count} registration(s) purged.")
