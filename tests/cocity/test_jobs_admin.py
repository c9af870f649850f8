"""*Settings → Scheduled jobs*: staff with the permission see each job's last run, status,
error and next due time, the scheduler's and the task worker's heartbeats and the task
queue; other staff get a 403, visitors the sign-in page."""

import datetime

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.users.models import UserProfile

import pytest
from bs4 import BeautifulSoup
from django_tasks_db.models import DBTaskResult

from cocity import scheduler
from cocity.models import Heartbeat, ScheduledJob
from cocity.scheduler import Every, Job, command

URL = reverse("scheduled_jobs:index")

pytestmark = pytest.mark.django_db


def staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username=username, password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *[Permission.objects.get(codename=codename) for codename in codenames],
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def test_only_staff_with_the_permission_see_the_jobs(client, django_user_model):
    scheduler.run_due()
    assert client.get(URL).status_code == 302  # to the sign-in page

    outsider = staff(django_user_model, "outsider", "view_donation")
    response = outsider.get(URL)
    assert response.status_code == 403
    assert b"publish_scheduled" not in response.content
    assert URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()

    watcher = staff(django_user_model, "watcher", "view_scheduledjob")
    response = watcher.get(URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    rows = {row["data-job"]: row for row in page.select("tr[data-job]")}
    assert set(rows) == {job.name for job in scheduler.JOBS}
    assert rows["reconcile_donations"].select_one("[data-status]")["data-status"] == "succeeded"
    with translation.override(page.html["lang"]):  # the admin's language for this user
        every_ten = str(Every(minutes=10).describe())
    assert every_ten in rows["reconcile_donations"].get_text()
    assert "Never run" in rows["purge_registrations"].get_text()  # daily: not due yet
    assert page.select_one("[data-scheduler]")["data-scheduler"] == "ok"
    # the menu entry is shown to those who may use it
    assert URL in watcher.get(reverse("wagtailadmin_home")).content.decode()


def test_a_failed_job_and_a_late_scheduler_are_shown(admin_client):
    failing = Job(
        "reconcile_donations",
        Every(minutes=10),
        command("issue_tax_receipts", "--yearly", "1990"),
        "x",
    )
    scheduler.run_due([failing])
    Heartbeat.objects.filter(name=scheduler.SCHEDULER).update(
        seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = BeautifulSoup(admin_client.get(URL).content, "html.parser")
    row = page.select_one('tr[data-job="reconcile_donations"]')
    assert row.select_one("[data-status]")["data-status"] == "failed"
    assert "1990 is not a past year" in row.get_text()
    assert page.select_one("[data-scheduler]")["data-scheduler"] == "late"
    warning = page.select_one("[data-scheduler] .help-warning, .help-warning")
    assert "manage.py run_scheduler" in warning.get_text(" ", strip=True)


def test_task_queue_and_worker_with_the_database_backend(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = BeautifulSoup(admin_client.get(URL).content, "html.parser")
    assert page.select_one("[data-task-worker]")["data-task-worker"] == "never"
    assert page.select_one("[data-queued]").get_text() == "0"

    scheduler.run_due()  # queues the worker's ping (nobody runs it here)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    page = BeautifulSoup(admin_client.get(URL).content, "html.parser")
    assert page.select_one("[data-queued]").get_text() == "1"
    with translation.override("fr"):  # the admin answers in French
        waiting = gettext(
            "The oldest task has been waiting for %(ago)s: the worker is stopped or cannot keep up."
        )
    assert waiting.split("%(ago)s")[0] in page.get_text(" ", strip=True)
    assert ScheduledJob.objects.get(name="prune_task_results").runs == 0  # daily, not due yet
