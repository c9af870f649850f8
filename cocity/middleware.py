"""Language middleware: remember the language a visitor picks, so that `/` sends them back
to it; no language redirects on the routes without a language prefix. The guard against
malformed requests (control characters, ids past 64 bits)."""

import re

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_from_path, get_language_from_request
from django.utils.translation import gettext as _


class RememberLanguageMiddleware:
    """Remember the language a reader picks: the language switcher's links carry
    ``?lang-picked``; such a request gets the language cookie and a redirect to the same
    address without the marker. LocaleMiddleware reads that cookie (before Accept-Language)
    at `/`. No other response sets the cookie, so public pages are the same for everyone
    and may be cached (cocity/page_cache.py)."""

    MARKER = "lang-picked"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info)
        if not (language and request.method in ("GET", "HEAD") and self.MARKER in request.GET):
            return self.get_response(request)
        query = request.GET.copy()
        del query[self.MARKER]
        address = request.path + (f"?{query.urlencode()}" if query else "")
        response = HttpResponseRedirect(address)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except on the routes that have no language prefix on
    purpose (the JSON API, open data, the embeddable card, webhooks): there a 404 stays a
    404 instead of a redirect to `/fr/…` (Wagtail's catch-all would accept any path), and
    the response does not vary with the visitor's language."""

    def process_response(self, request, response):
        if request.path_info.startswith(settings.UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)


class MalformedRequestMiddleware:
    """Answer 400, with a message in the reader's language, to a request whose address or
    form carries control characters (a NUL byte above all: PostgreSQL refuses it in any
    text, so a single ``?q=%00`` turned every form and filter into a 500); answer 404 when
    an id in the address is too large for any database row (SQLite and PostgreSQL fail on
    integers past 64 bits, and Django's ``<int:…>`` accepts any length).

    Tabs and line breaks are allowed in query and form values (a textarea sends them); never
    in the path. Cookies with control characters are dropped, as if never sent (the visitor
    cannot easily fix them). Views exempt from CSRF (the Stripe webhook) read their raw body
    themselves and are not inspected.
    """

    PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
    VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
    MAX_ID = 2**63 - 1

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, value in list(request.COOKIES.items()):
            if self.VALUE_CONTROL.search(name) or self.PATH_CONTROL.search(value):
                del request.COOKIES[name]
        if self.PATH_CONTROL.search(request.path) or self._has_control(request.GET):
            return self.bad_request(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in [*view_args, *view_kwargs.values()]:
            if isinstance(value, int) and not -self.MAX_ID <= value <= self.MAX_ID:
                raise Http404
        if (
            request.method == "POST"
            and request.content_type in self.FORM_TYPES
            and not getattr(view_func, "csrf_exempt", False)
        ):
            try:
                malformed = self._has_control(request.POST)
            except MultiPartParserError:
                malformed = True
            if malformed:
                return self.bad_request(request)
        return None

    def _has_control(self, data):
        return any(
            self.VALUE_CONTROL.search(key) or self.VALUE_CONTROL.search(value)
            for key, values in data.lists()
            for value in values
            if isinstance(value, str)
        )

    @staticmethod
    def bad_request(request):
        """The 400 page (JSON under the API), in the language of the address if it has one,
        else the visitor's; rendered without the database, as the 500 page is."""
        language = get_language_from_path(request.path_info) or get_language_from_request(request)
        with translation.override(language):
            message = _(
                "This address or form contains characters that are not allowed (control "
                "characters). Check the link or what you typed, and try again."
            )
            if request.path_info.startswith("/api/"):
                return JsonResponse({"message": message}, status=400)
            body = render_to_string("400.html", {"message": message})
        return HttpResponseBadRequest(body)
