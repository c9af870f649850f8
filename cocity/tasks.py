"""The task worker's heartbeat: the scheduler queues ``record_task_worker_heartbeat`` every
few minutes (cocity/scheduler.py); when `manage.py db_worker` runs it, the ``task_worker``
heartbeat moves on, so staff can see that the worker is alive even while the queue is idle
(*Settings → Scheduled jobs*)."""

import socket

from django_tasks import task

from cocity.models import Heartbeat

TASK_WORKER = "task_worker"


@task()
def record_task_worker_heartbeat(interval_seconds):
    Heartbeat.beat(TASK_WORKER, interval_seconds, node=socket.gethostname())
