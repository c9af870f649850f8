"""The site's logging: one handler on stderr, every record with its request id
(cocity/request_id.py), human-readable by default, one JSON object per line with
LOG_FORMAT=json (for a log collector).

    LOGGING = logging_config()  # in the settings; LOG_LEVEL and LOG_FORMAT from the environment

A JSON line has: time (UTC, ISO 8601), level, logger, message, request_id, and where known
method, path, status (and duration_ms on the request lines, exception with a traceback).
"""

import json
import logging
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

from helpers import env

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(level=None, log_format=None):
    """The LOGGING setting. ``level`` and ``log_format`` default to LOG_LEVEL (WARNING) and
    LOG_FORMAT (text); a LOG_FORMAT that is neither text nor json stops the process."""
    level = level or env.get("LOG_LEVEL", "WARNING")
    log_format = (log_format or env.get("LOG_FORMAT", "text")).lower()
    if log_format not in FORMATS:
        raise ImproperlyConfigured(f'LOG_FORMAT must be "text" or "json"; it is "{log_format}".')
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "cocity.request_id.RequestIdFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "cocity.logging_config.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in messages are escaped)."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in ("method", "path"):
            value = getattr(record, name, "-")
            if value != "-":
                entry[name] = value
        status = getattr(record, "status_code", None)  # ours, and django.request's
        if status is not None:
            entry["status"] = status
        if getattr(record, "duration_ms", None) is not None:
            entry["duration_ms"] = record.duration_ms
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)
