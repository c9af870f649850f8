"""Language middleware: remember the language a visitor reads in, so that `/` sends them back
to it; no language redirects on the routes without a language prefix."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import get_language_from_path


class RememberLanguageMiddleware:
    """Set the language cookie when a visitor reads a page in another language than the
    cookie says. LocaleMiddleware reads that cookie (before Accept-Language) at `/`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = get_language_from_path(request.path_info)
        if (
            language
            and request.method == "GET"
            and response.status_code == 200
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
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
