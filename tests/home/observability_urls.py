"""URLs of the gunicorn that tests/home/test_observability.py starts: the site's, /metrics
(when METRICS is on) and a view that fails with personal data in its error and variables.
Plain error pages: that server has an empty database (no migrations, no demo)."""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.urls import path

from cocity import observability
from cocity.urls import urlpatterns as site_urlpatterns


def broken(request):
    email = request.GET.get("email", "")
    phone = request.GET.get("phone", "")
    raise RuntimeError(f"cannot write to {email} nor call {phone}")


def not_found(request, exception=None):
    return HttpResponseNotFound("not found")


def server_error(request):
    return HttpResponseServerError("server error")


handler404 = not_found
handler500 = server_error
urlpatterns = [
    *observability.metrics_urls(),
    path("broken/", broken),
    *site_urlpatterns,
]
