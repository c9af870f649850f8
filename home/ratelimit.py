"""Limit how often a form may be submitted: counts kept in the shared cache, 429 beyond.

    from home.ratelimit import per_user, rate_limited

    @rate_limited(per_user)                               # settings.LEADER_RATE_LIMIT, read live
    @rate_limited(per_user, *settings.LEADER_RATE_LIMIT)  # or fixed: (limit, window in seconds)
    def story_form(request): ...

Only POST requests are counted unless ``methods`` says otherwise. A key function returns the
string the count is kept for (e.g. "user:42"), or None not to count the request. Counts live in
fixed windows of ``window`` seconds in Django's default cache (Redis in production, so every
app server shares them); the cache key holds a hash, never the IP address or username.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

DEFAULT_SETTING = "LEADER_RATE_LIMIT"
TEMPLATE = "rate_limited.html"


# Key functions


def client_ip(request):
    """The visitor's IP address. Behind N trusted proxies (settings.RATE_LIMIT_PROXY_HOPS,
    default 0), the N-th address from the right of X-Forwarded-For: the one our own load
    balancer saw, which a client cannot forge."""
    hops = getattr(settings, "RATE_LIMIT_PROXY_HOPS", 0)
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


def per_ip(request):
    return f"ip:{client_ip(request)}"


def per_user(request):
    """Per signed-in user (per IP address for anonymous visitors)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return per_ip(request)


def per_ip_and_username(request):
    """Per IP address and the username typed in the form (login attempts)."""
    username = request.POST.get("username", "")[:150].strip().casefold()
    return f"{per_ip(request)}:username:{username}"


# Counting


def hit(scope, key, limit, window):
    """Count one request for ``key``; return 0 if allowed, else the seconds to wait."""
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(f"{scope}|{key}|{window}|{bucket}".encode()).hexdigest()
    cache_key = f"ratelimit:{digest}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((bucket + 1) * window - now))


def too_many_requests(request, retry_after):
    """The translated 429 page, with a Retry-After header."""
    response = render(request, TEMPLATE, {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    key_func, limit=None, window=None, *, methods=("POST",), scope=None, setting=DEFAULT_SETTING
):
    """Decorate a view (function, or a class-based view's ``as_view()``) so that more than
    ``limit`` requests per ``window`` seconds for the same ``key_func(request)`` get a 429.

    Without ``limit``, ``(limit, window)`` is read from ``settings.<setting>`` at each
    request, so tests can change it with the ``settings`` fixture. ``scope`` separates the
    counts of different views (default: the view's dotted name)."""

    def decorator(view):
        view_scope = scope or _dotted_name(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                key = key_func(request)
                if key is not None:
                    if limit is None:
                        max_requests, seconds = getattr(settings, setting)
                    else:
                        max_requests, seconds = limit, window
                    retry_after = hit(view_scope, key, max_requests, seconds)
                    if retry_after:
                        return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _dotted_name(view):
    target = getattr(view, "view_class", view)
    return f"{target.__module__}.{target.__qualname__}"
