"""The scheduler: runs the site's periodic jobs (``JOBS``), each due time once, whichever the
number of app nodes that run `manage.py run_scheduler` (docs/deployment.md, "Processes").

django-tasks has no clock, so something must start the jobs that keep the site right:
scheduled publishing, reconciling gifts, closing campaigns, tax receipts, retention purges.
Each job has a row in ``cocity.ScheduledJob``. A scheduler *claims* a due job with one
conditional UPDATE, the same SQL on PostgreSQL and SQLite::

    UPDATE cocity_scheduledjob SET locked_until = now + lease, next_due = <next slot>, …
    WHERE name = %s AND next_due <= now AND (locked_until IS NULL OR locked_until <= now)

The database serialises the two UPDATEs of two schedulers (PostgreSQL re-reads the row the
first one committed and finds it no longer due), so one gets the row and runs the job, the
other skips it. ``next_due`` moves on in the same UPDATE: a due time is run once, even by a
scheduler that comes along after the run has finished; ``locked_until`` keeps a run that
outlasts its interval from being started again beside itself. A scheduler killed during a
run leaves its lock, which lapses after the job's lease: the next due time runs the job
again (every job here is idempotent: running it twice changes nothing).

A job that fails records its error (and its output) on its row and the others run as usual;
it runs again at its next due time. Every pass records the scheduler's heartbeat, and queues
a task whose run by `db_worker` records the task worker's (cocity/tasks.py); staff read
both in *Settings → Scheduled jobs* (cocity/jobs_admin.py) and `/healthz` reports the
scheduler's (cocity/health.py).
"""

import datetime
import io
import logging
import math
import os
import socket
import traceback
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from cocity.models import Heartbeat, JobStatus, ScheduledJob
from cocity.tasks import record_task_worker_heartbeat

logger = logging.getLogger(__name__)

SCHEDULER = "scheduler"
# Seconds between two passes of the loop at most; the heartbeat is late after twice this.
LOOP_SECONDS = 60
TASK_WORKER_PING_MINUTES = 5
OUTPUT_KEPT = 4000  # characters of a run's output (and of its error) kept on its row


# --- schedules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Every:
    """Every ``minutes`` minutes, on the multiples of that interval since the epoch (every
    node computes the same due times); due at once when first seen."""

    minutes: int

    def first_due(self, now):
        return now

    def next_after(self, moment):
        seconds = self.minutes * 60
        slot = (math.floor(moment.timestamp() / seconds) + 1) * seconds
        return datetime.datetime.fromtimestamp(slot, tz=datetime.UTC)

    def describe(self):
        return ngettext("every minute", "every %(count)d minutes", self.minutes) % {
            "count": self.minutes
        }


@dataclass(frozen=True)
class Daily:
    """Every day at ``hour``:``minute``, the site's time (Europe/Paris)."""

    hour: int
    minute: int = 0

    def first_due(self, now):
        return self.next_after(now)

    def _at(self, day):
        time = datetime.time(self.hour, self.minute)
        return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())

    def next_after(self, moment):
        today = timezone.localtime(moment).date()
        candidate = self._at(today)
        return candidate if candidate > moment else self._at(today + datetime.timedelta(days=1))

    def describe(self):
        return _("daily at %(time)s") % {"time": f"{self.hour:02d}:{self.minute:02d}"}


@dataclass(frozen=True)
class Monthly(Daily):
    """Every month on ``day`` (1–28) at ``hour``:``minute``, the site's time."""

    day: int = 1

    def next_after(self, moment):
        local = timezone.localtime(moment).date()
        year, month = local.year, local.month
        while True:
            candidate = self._at(datetime.date(year, month, self.day))
            if candidate > moment:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def describe(self):
        return _("monthly on day %(day)d at %(time)s") % {
            "day": self.day,
            "time": f"{self.hour:02d}:{self.minute:02d}",
        }


# --- jobs -----------------------------------------------------------------------------------


def command(name, *args):
    """A job that runs `manage.py <name> <args>`; its output is kept on the job's row."""

    def run(stdout):
        call_command(name, *args, stdout=stdout, stderr=stdout)

    run.command_line = " ".join(["manage.py", name, *args])
    return run


def ping_task_worker(stdout):
    """Queue the task whose run records the task worker's heartbeat (cocity/tasks.py)."""
    result = record_task_worker_heartbeat.enqueue(TASK_WORKER_PING_MINUTES * 60)
    stdout.write(f"task_worker_ping: queued ({result.status})\n")


ping_task_worker.command_line = "cocity.tasks.record_task_worker_heartbeat"


def uses_database_tasks():
    """Whether tasks go through django-tasks' database queue (production), which keeps
    finished results until they are pruned."""

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def always():
    return True


def backups_configured():
    """Backups are made only where BACKUP_DIR names a directory (docs/deployment.md)."""
    return bool(settings.BACKUP_DIR)


@dataclass(frozen=True)
class Job:
    name: str
    schedule: object
    run: object  # callable(stdout)
    description: str
    lease: datetime.timedelta = datetime.timedelta(minutes=30)
    applies: object = field(default=always)  # callable() -> bool: run only where it applies

    @property
    def command_line(self):
        return getattr(self.run, "command_line", self.name)


JOBS = [
    Job(
        "publish_scheduled",
        Every(minutes=1),
        command("publish_scheduled"),
        _("Publishes and unpublishes pages at the times editors set."),
        lease=datetime.timedelta(minutes=10),
    ),
    Job(
        "reconcile_donations",
        Every(minutes=10),
        command("reconcile_donations"),
        _("Settles gifts a lost Stripe notification left pending; applies refunds and disputes."),
    ),
    Job(
        "close_campaigns",
        Every(minutes=10),
        command("close_campaigns"),
        _("Closes the campaigns whose closing time has passed (result, emails, refunds)."),
    ),
    Job(
        "issue_tax_receipts",
        Every(minutes=10),
        command("issue_tax_receipts"),
        _("Issues the tax receipts that are due."),
    ),
    Job(
        "issue_tax_receipts_yearly",
        Monthly(hour=4, day=15),
        command("issue_tax_receipts", "--yearly", "--purge"),
        _(
            "Issues last year's yearly tax receipts (in January; later runs catch up) and "
            "blanks the donor's details on receipts past their keeping period."
        ),
    ),
    Job(
        "purge_registrations",
        Daily(hour=3),
        command("purge_registrations"),
        _("Erases the personal data of registrations for workshops that ended long ago."),
    ),
    Job(
        "purge_helpers",
        Daily(hour=3, minute=15),
        command("purge_helpers"),
        _("Erases the personal data of offers of help for campaigns that ended long ago."),
    ),
    Job(
        "clearsessions",
        Daily(hour=3, minute=30),
        command("clearsessions"),
        _("Removes expired sessions."),
    ),
    Job(
        "prune_task_results",
        Daily(hour=4, minute=30),
        command("prune_db_task_results", "--min-age-days", "30"),
        _("Removes background task results finished over 30 days ago."),
        applies=uses_database_tasks,
    ),
    Job(
        "send_workshop_reminders",
        Every(minutes=10),
        command("send_workshop_reminders"),
        _("Emails each confirmed registrant a reminder the day before their workshop."),
    ),
    Job(
        "ledger_check",
        Daily(hour=5),
        command("ledger_check"),
        _(
            "Checks that every campaign's total equals its gifts and that tax receipt numbers "
            "have no gap."
        ),
    ),
    Job(
        "backup",
        Daily(hour=2),
        command("backup"),
        _("Backs the database up into BACKUP_DIR with the ledger's fingerprint."),
        lease=datetime.timedelta(hours=2),
        applies=backups_configured,
    ),
    Job(
        "restore_drill",
        Daily(hour=2, minute=45),
        command("restore_drill"),
        _("Restores the newest backup into a scratch database and checks its ledger."),
        lease=datetime.timedelta(hours=2),
        applies=backups_configured,
    ),
    Job(
        "task_worker_ping",
        Every(minutes=TASK_WORKER_PING_MINUTES),
        ping_task_worker,
        _("Queues a small task whose run shows that the task worker is alive."),
        lease=datetime.timedelta(minutes=5),
    ),
]


def jobs_by_name(jobs=None):
    return {job.name: job for job in (JOBS if jobs is None else jobs)}


# --- claiming and running -------------------------------------------------------------------


def node_id():
    """Who runs: the host and process, shown to staff and kept in the lock."""
    return f"{socket.gethostname()}:{os.getpid()}"


def ensure_rows(jobs, now=None):
    """Make the row of each job that has none yet (first due as its schedule says)."""
    now = now or timezone.now()
    known = set(ScheduledJob.objects.values_list("name", flat=True))
    ScheduledJob.objects.bulk_create(
        [
            ScheduledJob(name=job.name, next_due=job.schedule.first_due(now))
            for job in jobs
            if job.name not in known
        ],
        ignore_conflicts=True,  # another scheduler made it meanwhile
    )


def claim(job, node, now):
    """Take ``job`` if it is due and nobody runs it; True when this scheduler got it."""
    taken = (
        ScheduledJob.objects.filter(name=job.name, next_due__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(
            locked_until=now + job.lease,
            locked_by=node,
            last_started=now,
            last_status=JobStatus.RUNNING,
            next_due=job.schedule.next_after(now),
            runs=F("runs") + 1,
        )
    )
    return taken == 1


def drop_broken_connection():
    """Close the connection a job (or a database restart) left unusable, so that the next
    query opens a new one; as Django does between requests. Not inside a transaction (a
    caller's, or a test's), which it would end."""
    if not connection.in_atomic_block:
        close_old_connections()


def finish(job, node, started, status, output, error=""):
    """Record how the run ended and release the lock, unless the lease lapsed and another
    scheduler has taken the job since (then its run is the one shown)."""
    drop_broken_connection()
    ended = ScheduledJob.objects.filter(name=job.name, locked_by=node, last_started=started)
    changes = {
        "locked_until": None,
        "last_finished": timezone.now(),
        "last_status": status,
        "last_output": output[-OUTPUT_KEPT:],
        "last_error": error[-OUTPUT_KEPT:],
    }
    if status == JobStatus.FAILED:
        changes["failures"] = F("failures") + 1
    if not ended.update(**changes):
        logger.warning("%s: its lock lapsed during the run; its result is not recorded", job.name)


def run_job(job, node, now=None):
    """Run ``job`` if this scheduler can claim it: its status, or None when not run (not
    due, or another scheduler has it)."""
    drop_broken_connection()
    started = now or timezone.now()
    if not claim(job, node, started):
        return None
    output = io.StringIO()
    try:
        job.run(output)
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
        finish(job, node, started, JobStatus.FAILED, output.getvalue(), traceback.format_exc())
        return JobStatus.FAILED
    finish(job, node, started, JobStatus.SUCCEEDED, output.getvalue())
    return JobStatus.SUCCEEDED


def run_due(jobs=None, node=None, interval=LOOP_SECONDS, stdout=None):
    """One pass: record the heartbeat, run every due job that applies here (each claimed
    first), record the heartbeat again. Returns ``{name: status}`` of the jobs run."""
    jobs = JOBS if jobs is None else jobs
    node = node or node_id()
    Heartbeat.beat(SCHEDULER, interval, node)
    ensure_rows(jobs)
    ran = {}
    for job in jobs:
        if not job.applies():
            continue
        status = run_job(job, node)
        if status is None:
            continue
        ran[job.name] = status
        if stdout is not None:
            row = ScheduledJob.objects.get(name=job.name)
            stdout.write(f"{job.name}: {status}\n")
            if row.last_output:
                stdout.write(row.last_output.rstrip("\n") + "\n")
            if row.last_error:
                stdout.write(row.last_error.rstrip("\n") + "\n")
        Heartbeat.beat(SCHEDULER, interval, node)
    return ran


def seconds_to_next_due(jobs=None, interval=LOOP_SECONDS, now=None):
    """How long the loop may sleep: until the next due job, at most ``interval``, at least
    one second."""
    now = now or timezone.now()
    names = [job.name for job in (JOBS if jobs is None else jobs) if job.applies()]
    rows = ScheduledJob.objects.filter(name__in=names)
    soonest = min(
        (max(row.next_due, row.locked_until or row.next_due) for row in rows), default=None
    )
    if soonest is None:
        return interval
    return min(interval, max(1.0, (soonest - now).total_seconds()))
