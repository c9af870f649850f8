"""The scheduler (cocity/scheduler.py, `manage.py run_scheduler`): each due job runs once,
whatever the number of schedulers; a failing job records its error and the others run; a
job locked by another scheduler is left alone until its lease lapses; schedules."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

import pytest

from cocity import scheduler
from cocity.models import Heartbeat, JobStatus, ScheduledJob, heartbeat_state
from cocity.scheduler import Daily, Every, Job, Monthly, command

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")


def applying_jobs():
    return [job for job in scheduler.JOBS if job.applies()]


def away_from_a_minute_boundary(seconds_left):
    """Wait until the next minute is at least ``seconds_left`` away: publish_scheduled is due
    every minute, and a test that expects it run once must not straddle a new due time."""
    while timezone.now().second > 60 - seconds_left:
        time.sleep(0.5)


def make_all_due():
    scheduler.ensure_rows(scheduler.JOBS)
    ScheduledJob.objects.update(next_due=timezone.now() - datetime.timedelta(days=40))


# --- one process (SQLite and PostgreSQL) ----------------------------------------------------


@pytest.mark.django_db
def test_each_due_job_runs_once_and_not_again_until_its_next_due_time():
    away_from_a_minute_boundary(10)
    make_all_due()
    out = io.StringIO()
    ran = scheduler.run_due(stdout=out)
    expected = {job.name for job in applying_jobs()}
    assert ran == dict.fromkeys(expected, JobStatus.SUCCEEDED)
    # jobs that do not apply here are not run (task results are pruned only with a queue)
    assert "prune_task_results" not in ran
    assert "reconcile_donations: 0 settled" in out.getvalue()  # the command's own output

    now = timezone.now()
    for row in ScheduledJob.objects.filter(name__in=expected):
        assert row.runs == 1
        assert row.last_status == JobStatus.SUCCEEDED
        assert row.locked_until is None
        assert row.next_due > now
        assert row.last_finished >= row.last_started
    assert ScheduledJob.objects.get(name="reconcile_donations").last_output.startswith(
        "reconcile_donations:"
    )
    # the task worker's heartbeat: tasks run at once here, so the ping recorded it
    assert heartbeat_state("task_worker")[1] == "ok"
    assert heartbeat_state(scheduler.SCHEDULER)[1] == "ok"

    assert scheduler.run_due() == {}  # nothing is due any more
    assert set(ScheduledJob.objects.values_list("runs", flat=True)) <= {0, 1}


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_the_others_run():
    jobs = [
        # a real command that fails: yearly receipts of a year before receipts existed
        Job(
            "receipts_of_1990",
            Every(minutes=10),
            command("issue_tax_receipts", "--yearly", "1990"),
            "x",
        ),
        Job("purge_registrations", Every(minutes=10), command("purge_registrations"), "y"),
    ]
    ran = scheduler.run_due(jobs)
    assert ran == {"receipts_of_1990": JobStatus.FAILED, "purge_registrations": JobStatus.SUCCEEDED}
    failed = ScheduledJob.objects.get(name="receipts_of_1990")
    assert failed.last_status == JobStatus.FAILED
    assert "CommandError" in failed.last_error
    assert "1990 is not a past year" in failed.last_error
    assert (failed.runs, failed.failures) == (1, 1)
    assert failed.locked_until is None  # released: it runs again at its next due time
    assert failed.next_due > timezone.now()
    assert ScheduledJob.objects.get(name="purge_registrations").last_status == "succeeded"

    # due again: it fails again, counted
    ScheduledJob.objects.update(next_due=timezone.now())
    scheduler.run_due(jobs)
    failed.refresh_from_db()
    assert (failed.runs, failed.failures) == (2, 2)


@pytest.mark.django_db
def test_a_job_another_scheduler_runs_is_left_alone_until_its_lease_lapses():
    job = Job("purge_registrations", Every(minutes=10), command("purge_registrations"), "y")
    now = timezone.now()
    ScheduledJob.objects.create(
        name=job.name,
        next_due=now - datetime.timedelta(minutes=1),
        locked_until=now + datetime.timedelta(minutes=5),
        locked_by="other-node:1",
        last_status=JobStatus.RUNNING,
    )
    assert scheduler.run_job(job, "this-node:2") is None
    assert ScheduledJob.objects.get(name=job.name).runs == 0

    # the other scheduler died: its lease lapses, the job is run again
    ScheduledJob.objects.update(locked_until=now - datetime.timedelta(seconds=1))
    assert scheduler.run_job(job, "this-node:2") == JobStatus.SUCCEEDED
    row = ScheduledJob.objects.get(name=job.name)
    assert (row.runs, row.locked_by, row.locked_until) == (1, "this-node:2", None)


@pytest.mark.django_db
def test_run_scheduler_once_command():
    make_all_due()
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "publish_scheduled: succeeded" in out.getvalue()
    assert ScheduledJob.objects.get(name="publish_scheduled").runs == 1
    heartbeat = Heartbeat.objects.get(name=scheduler.SCHEDULER)
    assert heartbeat.interval_seconds == scheduler.LOOP_SECONDS

    ScheduledJob.objects.filter(name="publish_scheduled").update(next_due=timezone.now())
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert ScheduledJob.objects.get(name="publish_scheduled").runs == 2


@pytest.mark.django_db
def test_heartbeat_is_late_after_twice_its_interval():
    assert heartbeat_state("scheduler") == (None, "never")
    Heartbeat.beat("scheduler", 60, "node:1")
    Heartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=119))
    assert heartbeat_state("scheduler")[1] == "ok"
    Heartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=121))
    assert heartbeat_state("scheduler")[1] == "late"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_schedules():
    every_ten = Every(minutes=10)
    assert every_ten.next_after(paris(2026, 3, 5, 10, 7, 30)) == paris(2026, 3, 5, 10, 10)
    assert every_ten.next_after(paris(2026, 3, 5, 10, 10)) == paris(2026, 3, 5, 10, 20)
    daily = Daily(hour=3, minute=30)
    assert daily.next_after(paris(2026, 3, 5, 2, 0)) == paris(2026, 3, 5, 3, 30)
    assert daily.next_after(paris(2026, 3, 5, 3, 30)) == paris(2026, 3, 6, 3, 30)
    # across the change to summer time (29 March 2026), still 03:30 in Paris
    assert daily.next_after(paris(2026, 3, 28, 4, 0)) == paris(2026, 3, 29, 3, 30)
    monthly = Monthly(hour=4, day=15)
    assert monthly.next_after(paris(2026, 12, 20)) == paris(2027, 1, 15, 4)
    assert monthly.next_after(paris(2026, 1, 15, 3, 59)) == paris(2026, 1, 15, 4)
    with translation.override("en"):
        assert str(every_ten.describe()) == "every 10 minutes"


# --- real scheduler processes (PostgreSQL) --------------------------------------------------


def subprocess_env():
    """The environment of a `manage.py` process on this test's database."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "cocity.settings.test",
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two schedulers at once need a database both processes share: run with "
    "DATABASE_URL on PostgreSQL (CI does)",
)
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_started_at_once_run_each_due_job_exactly_once():
    away_from_a_minute_boundary(30)  # both schedulers meet the same due times
    make_all_due()
    env = subprocess_env()
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err

    expected = {job.name for job in applying_jobs()}
    # each job's success line, printed by the scheduler that ran it: once in both outputs
    lines = [line for out, _ in outputs for line in out.splitlines()]
    for name in expected:
        assert lines.count(f"{name}: succeeded") == 1, (name, outputs)
    for row in ScheduledJob.objects.filter(name__in=expected):
        assert (row.runs, row.last_status) == (1, JobStatus.SUCCEEDED), row.name
    # both passed by (each recorded its heartbeat; the last one is kept)
    assert Heartbeat.objects.get(name=scheduler.SCHEDULER).node.split(":")[-1] in {
        str(process.pid) for process in processes
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the scheduler's process needs a database it shares with the test: PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_the_loop_runs_due_jobs_beats_and_stops_on_sigterm():
    make_all_due()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "2"],
        cwd=ROOT,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ScheduledJob.objects.filter(name="task_worker_ping", runs=1).exists():
            assert time.monotonic() < deadline, "the scheduler ran nothing"
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
        first = Heartbeat.objects.get(name=scheduler.SCHEDULER).seen_at
        time.sleep(2.5)  # the heartbeat goes on between passes
        assert Heartbeat.objects.get(name=scheduler.SCHEDULER).seen_at > first
        assert heartbeat_state(scheduler.SCHEDULER)[1] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.rstrip().endswith("run_scheduler: stopped")
    # each run it made is printed once (a pass across a 10-minute boundary runs it again)
    runs = ScheduledJob.objects.get(name="reconcile_donations").runs
    assert runs >= 1
    assert out.count("reconcile_donations: succeeded") == runs
