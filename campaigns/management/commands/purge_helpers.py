from django.core.management.base import BaseCommand

from campaigns.help_personal_data import purge


class Command(BaseCommand):
    help = (
        "Erase the names, emails, phones, availability and notes of the offers of help of "
        "campaigns that closed (and tasks that took place) more than "
        "WORKSHOP_PERSONAL_DATA_MONTHS ago (run daily; repeating it is harmless)."
    )

    def handle(self, *args, **options):
        count = purge()
        self.stdout.write(f"{count} offer(s) of help purged.")
