"""A request id on every request, its response and every log line written meanwhile.

RequestIdMiddleware (first in MIDDLEWARE) keeps the X-Request-ID a load balancer or a client
sent when it is sane (1 to 64 characters among A-Z a-z 0-9 . _ -), otherwise makes one; it
sends it back in the response's X-Request-ID header and keeps it, with the method and path,
in a context variable for the time of the request. RequestIdFilter (on the log handler, see
cocity/logging_config.py) copies them onto every log record, so a line of the site's log, an
error report and the answer a visitor got can be matched. One line per request is logged on
`cocity.requests` (INFO): method, path (never the query string: it can hold personal data),
status and duration.
"""

import contextvars
import logging
import re
import time
import uuid
from dataclasses import dataclass

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_logger = logging.getLogger("cocity.requests")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


_current = contextvars.ContextVar("cocity_request", default=None)


def current():
    """The RequestContext of the request being answered, or None outside a request."""
    return _current.get()


def current_request_id():
    context = _current.get()
    return context.request_id if context else None


def request_id_from(header_value):
    """The id a client or proxy sent, if sane; otherwise a new random one (32 hex digits)."""
    if header_value and SANE_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER, ""))
        request.request_id = request_id
        token = _current.set(RequestContext(request_id, request.method, request.path))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status_code": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Give every record request_id, method and path ("-" outside a request): put it on the
    handlers, so that records of every logger get them."""

    def filter(self, record):
        context = _current.get()
        for name in ("request_id", "method", "path"):
            if not hasattr(record, name):
                setattr(record, name, getattr(context, name) if context else "-")
        return True
