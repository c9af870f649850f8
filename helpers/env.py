"""The one place where the process environment is read.

Settings modules call these helpers instead of touching ``os.environ`` so that every
variable the site understands is listed here and documented in ``.env.example``.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def get(name, default=""):
    """Return the variable ``name`` as a string, or ``default`` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def required(name, why=""):
    """Return the variable ``name``; raise ImproperlyConfigured naming it when it is missing.

    Used by the production settings so that a server never starts with an insecure default.
    """
    value = get(name)
    if not value:
        hint = f" ({why})" if why else ""
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production{hint}. "
            "See .env.example for what it means."
        )
    return value


def boolean(name, default=False):
    """Return True for 1/true/yes/on (any case), False for 0/false/no/off, else ``default``."""
    value = get(name).lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return default


def listing(name, default=()):
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    value = get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def rate(name, default):
    """Return a rate limit written "limit/seconds" (e.g. ``20/60``) as ``(limit, seconds)``.

    ``default`` when the variable is unset; a value that is not two positive whole numbers
    stops the server with the variable's name rather than running with a limit nobody set.
    """
    value = get(name)
    if not value:
        return default
    limit, _, seconds = value.partition("/")
    try:
        parsed = int(limit), int(seconds)
    except ValueError:
        parsed = (0, 0)
    if min(parsed) <= 0:
        raise ImproperlyConfigured(
            f'{name} must be written "limit/seconds", for example "20/60"; it is "{value}".'
        )
    return parsed
