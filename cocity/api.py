"""The read-only JSON API (Wagtail API v2) at /api/v2/: pages, images, documents.

Partners read every language through it (docs/api.md). Only live, public pages are served;
what each page type exposes is its own ``api_fields``.
"""

from wagtail.api.v2.router import WagtailAPIRouter

from home.api import DocumentsEndpoint, ImagesEndpoint, PagesEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
