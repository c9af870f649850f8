"""The project's own admin pages: *Settings → Scheduled jobs* (cocity/jobs_admin.py)."""

from django.urls import include, path

from wagtail import hooks

from cocity import jobs_admin


@hooks.register("register_admin_urls")
def scheduled_jobs_urls():
    urls = (jobs_admin.urlpatterns(), "scheduled_jobs")
    return [path("scheduled-jobs/", include(urls, namespace="scheduled_jobs"))]


@hooks.register("register_settings_menu_item")
def scheduled_jobs_menu_item():
    return jobs_admin.menu_item()


@hooks.register("register_permissions")
def scheduled_jobs_permission():
    return jobs_admin.permissions()
