"""What the scheduler (cocity/scheduler.py) records: each scheduled job's lock, last run and
next due time, and the heartbeats of the scheduler and of the task worker, which staff read
in *Settings → Scheduled jobs* and `/healthz` reports."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ScheduledJob(models.Model):
    """One job of the schedule (a row per name, made by the scheduler). A scheduler takes
    the job by one conditional UPDATE (``cocity.scheduler.claim``): due, and not locked by
    another run whose lease is still on; the same UPDATE moves ``next_due`` on, so each due
    time is run once, whichever the number of schedulers."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    next_due = models.DateTimeField(_("next due"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    locked_by = models.CharField(_("run by"), max_length=200, blank=True)
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_status = models.CharField(
        _("last status"), max_length=20, choices=JobStatus.choices, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_output = models.TextField(_("last output"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        ordering = ["name"]
        default_permissions = ("view",)  # staff only read it; the scheduler writes it
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self):
        return self.name

    @property
    def duration_seconds(self):
        """How long the last finished run took (seconds, rounded), or None."""
        if self.last_started and self.last_finished and self.last_finished >= self.last_started:
            return round((self.last_finished - self.last_started).total_seconds())
        return None

    @property
    def running(self):
        return (
            self.last_status == JobStatus.RUNNING
            and self.locked_until is not None
            and self.locked_until > timezone.now()
        )


class Heartbeat(models.Model):
    """When a long-running process last said it was alive: ``scheduler`` (each pass of
    `run_scheduler`) or ``task_worker`` (a task the scheduler queues, run by `db_worker`).
    It is late when older than twice its interval."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()
    interval_seconds = models.PositiveIntegerField()
    node = models.CharField(max_length=200, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name, interval_seconds, node=""):
        cls.objects.update_or_create(
            name=name,
            defaults={
                "seen_at": timezone.now(),
                "interval_seconds": interval_seconds,
                "node": node[:200],
            },
        )

    def age(self, now=None):
        return (now or timezone.now()) - self.seen_at

    def is_late(self, now=None):
        return self.age(now).total_seconds() > 2 * self.interval_seconds


def heartbeat_state(name):
    """``(heartbeat or None, "ok" | "late" | "never")`` of the process called ``name``."""
    heartbeat = Heartbeat.objects.filter(name=name).first()
    if heartbeat is None:
        return None, "never"
    return heartbeat, "late" if heartbeat.is_late() else "ok"
