"""`manage.py send_workshop_reminders`: email each confirmed registrant once, the day before
their workshop (workshops/reminders.py). The scheduler runs it every 10 minutes."""

from django.core.management.base import BaseCommand

from workshops import reminders


class Command(BaseCommand):
    help = "Email the reminders of the workshops that start within WORKSHOP_REMINDER_HOURS."

    def handle(self, *args, **options):
        self.stdout.write(f"workshop reminders queued: {reminders.send_due()}")
