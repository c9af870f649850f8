"""Security headers of the site's HTML pages: Content-Security-Policy and Permissions-Policy.

Both policies are in the settings (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY in
cocity/settings/base.py). JSON, CSV, feeds, calendars, images and documents get neither: a
policy only means something to a browser rendering HTML, and a PDF viewer shown under one can
misbehave.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, on HTML responses only. A response that already has a policy
    keeps it (the embeddable card builds its own, see campaigns/embed.py), and the Wagtail
    admin is left out (EXCLUDE_URL_PREFIXES in the settings say why)."""

    def process_response(self, request, response):
        if not is_html(response):
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY (a dict: feature → allowed origins, empty for none)
    with every HTML response: the site uses no camera, microphone, location or payment API,
    and neither may any page framed in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_html(response) and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(origins)})"
                for feature, origins in settings.PERMISSIONS_POLICY.items()
            )
        return response
