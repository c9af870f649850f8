"""Limit how often a form may be submitted: counts kept in the shared cache, 429 beyond.

    from helpers.ratelimit import per_user, rate_limited

    @rate_limited(per_user)                               # settings.LEADER_RATE_LIMIT, read live
    @rate_limited(per_user, *settings.LEADER_RATE_LIMIT)  # or fixed: (limit, window in seconds)
    def story_form(request): ...

Only POST requests are counted unless ``methods`` says otherwise. A key function returns the
string the count is kept for (e.g. "user:42"), or None not to count the request. Counts live in
fixed windows of ``window`` seconds in Django's default cache (Redis in production, so every
app server shares them); the cache key holds a hash, never the IP address or username. When the
cache is unreachable the limits fail open (cocity/cache.py degrades instead of raising).

Sign-in forms use ``limit_logins`` instead: two counts, one per address across usernames and
one per username across addresses, where a successful sign-in is refunded.
"""

import contextlib
import hashlib
import ipaddress
import math
import time
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

DEFAULT_SETTING = "LEADER_RATE_LIMIT"
TEMPLATE = "rate_limited.html"


# Key functions


def client_ip(request):
    """The visitor's IP address.

    X-Forwarded-For is read only when the connection comes from one of our own proxies
    (settings.RATE_LIMIT_TRUSTED_PROXIES, networks): from the right, each address a trusted
    proxy wrote is taken in turn, at most settings.RATE_LIMIT_PROXY_HOPS of them, until one is
    not a proxy of ours: the visitor. What a client writes itself sits further left and is
    never reached; a client talking to the app directly gets its own REMOTE_ADDR, whatever
    header it sends."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "RATE_LIMIT_PROXY_HOPS", 0)
    if not hops or not _is_trusted_proxy(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    for _hop in range(hops):
        if not addresses:
            break
        address = addresses.pop()[:64]
        if not _is_trusted_proxy(address):
            break
    return address


def _is_trusted_proxy(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(_trusted_proxy_setting()))


def _trusted_proxy_setting():
    return tuple(getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", ()))


@lru_cache(maxsize=8)
def _trusted_networks(cidrs):
    try:
        return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)
    except ValueError as error:
        raise ImproperlyConfigured(f"RATE_LIMIT_TRUSTED_PROXIES: {error}") from error


def per_ip(request):
    return f"ip:{client_ip(request)}"


def per_user(request):
    """Per signed-in user (per IP address for anonymous visitors)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return per_ip(request)


# Counting


def hit(scope, key, limit, window):
    """Count one request for ``key``; return 0 if allowed, else the seconds to wait."""
    now = time.time()
    bucket = int(now // window)
    cache_key = _cache_key(scope, key, window, bucket)
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


def refund(scope, key, window):
    """Take back one request counted by ``hit`` in the current window (if it is still there)."""
    with contextlib.suppress(ValueError):  # ValueError: the window has ended since
        cache.decr(_cache_key(scope, key, window, int(time.time() // window)))


def _cache_key(scope, key, window, bucket):
    digest = hashlib.sha256(f"{scope}|{key}|{window}|{bucket}".encode()).hexdigest()
    return f"ratelimit:{digest}"


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


# Sign-in forms

SIGNED_IN = "_ratelimit_signed_in"


def typed_username(request):
    """The username typed in a sign-in form, as one count (case and spaces ignored)."""
    return request.POST.get("username", "")[:150].strip().casefold()


def limit_logins(view):
    """Decorate a sign-in view (Django's LoginView or a subclass: the Wagtail admin's, the
    leaders') with two limits that every sign-in form of the site shares:

    - settings.LOGIN_RATE_LIMIT_PER_IP, (attempts, seconds) per address whatever the
      usernames: one address trying one password on many accounts;
    - settings.LOGIN_RATE_LIMIT_PER_USERNAME, per username whatever the addresses: many
      addresses taking turns on one account.

    Each POST is counted before the password is checked, so that parallel attempts cannot
    slip past the limit; a successful sign-in then takes its attempt back, so that only
    failures add up (a team signing in from one office, a leader signing in every day are
    never refused). The username is counted only once the address is allowed, so that one
    address alone cannot lock an account out (keep the per-username limit above the
    per-address one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        counted = []
        username = typed_username(request)
        for scope, key, setting in (
            ("login:ip", client_ip(request), "LOGIN_RATE_LIMIT_PER_IP"),
            ("login:username", username, "LOGIN_RATE_LIMIT_PER_USERNAME"),
        ):
            if not key:
                continue
            limit, window = getattr(settings, setting)
            retry_after = hit(scope, key, limit, window)
            if retry_after:
                return too_many_requests(request, retry_after)
            counted.append((scope, key, window))
        response = view(request, *args, **kwargs)
        if getattr(request, SIGNED_IN, False):
            for scope, key, window in counted:
                refund(scope, key, window)
        return response

    return wrapper


def _note_sign_in(sender, request=None, **kwargs):
    if request is not None:
        setattr(request, SIGNED_IN, True)


user_logged_in.connect(_note_sign_in, dispatch_uid="helpers.ratelimit.note_sign_in")


def _dotted_name(view):
    target = getattr(view, "view_class", view)
    return f"{target.__module__}.{target.__qualname__}"
