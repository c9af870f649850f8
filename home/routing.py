"""Wagtail's routing of a public page in one query instead of five.

For every page it serves, Wagtail's ``serve`` view looks up the request's Site (a query),
the active Locale (a query), the home page in the reader's language and its specific page
(two queries), then follows the path (HomePage.route: one query). The Site, and which home
page a site shows in each language, are the same for every visitor: ``RouteMiddleware``
keeps them in the frame cache (helpers/frame.py, forgotten whenever a page, site or locale
changes) and hands Wagtail the Site and the route it would have found, so that only the
page itself is read. Anything unusual (no site, a home page that is not ours, a page type
that routes on its own, a path that is not a page) is left to Wagtail, as before.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language

from wagtail import views as wagtail_views
from wagtail.models import Site

from helpers import compiled, frame

from .models import HomePage, _default_routing, route_below, routed


def request_site(request):
    """The request's Site as Wagtail finds it (``Site.find_for_request``), kept per host and
    port. The host has passed ALLOWED_HOSTS (CommonMiddleware) before any view."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    return frame.shared(f"site:{hostname}:{port}", lambda: Site._find_for_request(request))


def _home_of(site):
    """(id, content type id, url_path) of the home page ``site`` shows in the active
    language (Wagtail's ``site.root_page.localized``)."""

    def build():
        home = site.root_page.localized
        return home.pk, home.content_type_id, home.url_path

    return frame.shared(f"site-home:{site.pk}:{get_language()}", build)


def route(request, path):
    """The RouteResult Wagtail's ``Page.route_for_request`` would give, or None to let
    Wagtail find it; raises Http404 where Wagtail would."""
    site = request_site(request)
    request._wagtail_site = site  # what Site.find_for_request returns from now on
    if site is None:
        return None
    pk, content_type_id, url_path = _home_of(site)
    if ContentType.objects.get_for_id(content_type_id).model_class() is not HomePage:
        return None
    if not _default_routing():
        return None
    components = [component for component in path.split("/") if component]
    if components:
        return route_below(url_path, components)
    homes = compiled.instances(  # with the pictures and the page its button leads to
        ("route-home", pk),
        lambda: HomePage.objects.filter(pk=pk).select_related(
            "hero_image", "social_image", "hero_cta_page"
        )[:1],
    )
    return routed(homes)


class RouteMiddleware:
    """Routes the requests for Wagtail's ``serve`` view ahead of it (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        path = view_kwargs["path"] if "path" in view_kwargs else (view_args or ("",))[0]
        try:
            found = route(request, path)
        except Http404:
            request._wagtail_route_for_request = None  # Wagtail then answers 404
            return None
        if found is not None:
            request._wagtail_route_for_request = found
        return None
