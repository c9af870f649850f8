"""*Settings → Scheduled jobs*: for each job of the schedule (cocity/scheduler.py) its last
run, status, error and next due time; whether the scheduler and the task worker are alive
(their heartbeats) and what waits in the task queue. Read-only; open to superusers and to
staff with the ``cocity.view_scheduledjob`` permission (offered in the groups' settings),
others get a 403."""

import datetime

from django.contrib.auth.models import Permission
from django.db.models import Min
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from wagtail.admin.menu import MenuItem

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cocity import scheduler
from cocity.models import JobStatus, ScheduledJob, heartbeat_state
from cocity.tasks import TASK_WORKER
from donations.admin_views import forbidden

PERMISSION = "cocity.view_scheduledjob"
# A task queued longer than this while the worker should be running is worth a look.
QUEUE_WAIT_WARNING = datetime.timedelta(minutes=10)


def may_view(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class JobLine:
    """A job of the schedule with its row (None until a scheduler has seen it)."""

    def __init__(self, job, row, now):
        self.job = job
        self.row = row
        self.overdue = bool(
            row
            and job.applies()
            and not row.running
            and row.next_due < now - datetime.timedelta(seconds=2 * scheduler.LOOP_SECONDS)
        )

    @property
    def failed(self):
        return self.row is not None and self.row.last_status == JobStatus.FAILED


def task_queue(now):
    """What waits in django-tasks' database queue, or None when tasks run at once (no
    queue: the immediate backend of development and tests)."""
    if not scheduler.uses_database_tasks():
        return None
    results = DBTaskResult.objects.all()
    oldest = results.filter(status=TaskResultStatus.READY).aggregate(at=Min("enqueued_at"))["at"]
    return {
        "queued": results.filter(status=TaskResultStatus.READY).count(),
        "running": results.filter(status=TaskResultStatus.RUNNING).count(),
        "failed_day": results.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)
        ).count(),
        "oldest_queued": oldest,
        "waiting_long": oldest is not None and oldest < now - QUEUE_WAIT_WARNING,
    }


class ScheduledJobsView(View):
    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            return forbidden(
                request,
                _(
                    "This page is for staff who watch the site's scheduled jobs. Ask an "
                    "administrator for the permission if you need it."
                ),
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        now = timezone.now()
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        scheduler_beat, scheduler_state = heartbeat_state(scheduler.SCHEDULER)
        worker_beat, worker_state = heartbeat_state(TASK_WORKER)
        context = {
            "page_title": _("Scheduled jobs"),
            "lines": [JobLine(job, rows.get(job.name), now) for job in scheduler.JOBS],
            "scheduler_beat": scheduler_beat,
            "scheduler_state": scheduler_state,
            "worker_beat": worker_beat,
            "worker_state": worker_state,
            "queue": task_queue(now),
            "now": now,
        }
        return TemplateResponse(request, "cocity/admin/scheduled_jobs.html", context)


def urlpatterns():
    return [path("", ScheduledJobsView.as_view(), name="index")]


class ScheduledJobsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


def menu_item():
    return ScheduledJobsMenuItem(
        _("Scheduled jobs"), reverse("scheduled_jobs:index"), icon_name="time", order=950
    )


def permissions():
    """The permission offered in the groups' settings."""
    return Permission.objects.filter(content_type__app_label="cocity", codename="view_scheduledjob")
