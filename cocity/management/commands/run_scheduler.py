"""`manage.py run_scheduler`: run the site's periodic jobs (cocity/scheduler.py).

- no option: a long-running process (systemd, a container): a pass over the jobs, then sleep
  until the next one is due (at most --interval seconds), until SIGTERM or Ctrl-C;
- ``--once``: one pass, then exit (from cron, every minute); exit status 1 when a job failed.

One scheduler per cluster is enough; more are safe (each due time runs once, see the
module's docstring): run one beside each app node if that is simpler.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections

from cocity import scheduler
from cocity.models import Heartbeat, JobStatus


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due, each once across every node (--once: then exit)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run what is due, then exit (for cron)."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=scheduler.LOOP_SECONDS,
            help="Seconds between two passes at most (default %(default)s); the heartbeat "
            "shown to staff is late after twice this. With --once: how often cron runs it.",
        )

    def handle(self, *args, once, interval, **options):
        node = scheduler.node_id()
        if once:
            ran = scheduler.run_due(node=node, interval=interval, stdout=self.stdout)
            failed = sorted(name for name, status in ran.items() if status == JobStatus.FAILED)
            if failed:
                raise CommandError(f"failed: {', '.join(failed)} (see Settings → Scheduled jobs)")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"run_scheduler: {node}, a pass at least every {interval} s")
        # The heartbeat goes on while a long job runs (an hour of rechecks with Stripe): the
        # process is alive; a job that never ends shows as running, and the others overdue.
        threading.Thread(target=beat_until, args=(stop, node, interval), daemon=True).start()
        while not stop.is_set():
            try:
                scheduler.run_due(node=node, interval=interval, stdout=self.stdout)
                pause = scheduler.seconds_to_next_due(interval=interval)
            except DatabaseError as error:
                # The database is restarting or out of reach: try again later, same process.
                self.stderr.write(f"run_scheduler: database unavailable ({error})")
                connections.close_all()
                pause = interval
            stop.wait(pause)
        self.stdout.write("run_scheduler: stopped")


def beat_until(stop, node, interval):
    """Record the scheduler's heartbeat every half interval until ``stop`` is set."""
    while not stop.wait(interval / 2):
        try:
            Heartbeat.beat(scheduler.SCHEDULER, interval, node)
        except DatabaseError:
            connection.close()  # this thread's own; reopened at the next beat
    connection.close()
