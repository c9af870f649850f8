from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LoginView as AdminLoginView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cocity import observability
from cocity.api import api_router
from donations.views import stripe_webhook
from helpers.ratelimit import limit_logins
from home.sitemap import MultilingualSitemap
from home.views import robots_txt, search

urlpatterns = [
    *observability.metrics_urls(),  # /metrics when METRICS=1 (loopback or METRICS_TOKEN)
    # Wagtail's own admin login, with the limits of every sign-in form of the site (per
    # address, per username); it comes first so that it answers /admin/login/.
    path(
        "admin/login/",
        never_cache(limit_logins(AdminLoginView.as_view())),
        name="wagtailadmin_login",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", include("cocity.health")),  # load balancers, monitoring (cocity/health.py)
    path("api/v2/", api_router.urls),
    path("", include("campaigns.urls")),
    path("webhooks/stripe/", stripe_webhook, name="stripe_webhook"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": MultilingualSitemap}},
        name="sitemap",
    ),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    from home.images import PRIVATE_PREFIX

    # `make run` serves uploaded media itself, except the private photos (home/images.py),
    # which only their checking view serves, as in production (docs/deployment.md).
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}/(?!{PRIVATE_PREFIX})(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Every public page has a language prefix (/fr/…); LocaleMiddleware redirects `/` to the
# visitor's language (cookie, then Accept-Language, then French).
urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    path("", include("donations.urls")),
    path("", include("stories.urls")),
    path("", include("workshops.urls")),
    path("", include("campaigns.help_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# The database unavailable: a translated 503 page with Retry-After instead of a 500
# (cocity/unavailable.py); any other error keeps the usual 500 page.
handler500 = "cocity.unavailable.server_error"
