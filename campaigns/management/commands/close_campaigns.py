"""`manage.py close_campaigns`: queue the closing of the campaigns whose closing time has
passed (campaigns/tasks.py). django-tasks has no clock: run it from cron every few minutes,
like reconcile_donations. Running it again never does anything twice."""

from django.core.management.base import BaseCommand

from django_tasks import TaskResultStatus

from campaigns.tasks import close_campaign_task, due_campaign_keys


class Command(BaseCommand):
    help = "Close the campaigns whose closing time has passed (result, emails, refunds)."

    def handle(self, *args, **options):
        counts = {"due": 0, "closed": 0, "incomplete": 0, "queued": 0}
        for key in due_campaign_keys():
            counts["due"] += 1
            result = close_campaign_task.enqueue(str(key))
            if result.status == TaskResultStatus.SUCCESSFUL:  # run at once (immediate backend)
                counts["closed"] += 1
            elif result.status == TaskResultStatus.FAILED:
                counts["incomplete"] += 1
                self.stderr.write(f"{key}: not finished, retried on the next run")
            else:  # a worker (db_worker) runs it
                counts["queued"] += 1
        self.stdout.write(
            "close_campaigns: {due} due, {closed} closed, {incomplete} to retry, "
            "{queued} queued".format(**counts)
        )
