"""Observability: a request id on every answer and log line, logs as JSON lines on demand,
errors reported to Sentry without personal data, Prometheus metrics for loopback only.

A real gunicorn runs the site with SENTRY_DSN pointing at a small HTTP server of this test
(it records what the Sentry SDK sends), METRICS=1 and LOG_FORMAT=json
(tests/home/observability_settings.py: the lines the site's settings take)."""

import gzip
import http.server
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

from cocity import observability
from cocity.logging_config import JsonFormatter, logging_config
from cocity.observability import scrub, scrub_event
from cocity.request_id import RequestIdFilter, request_id_from

REPO_ROOT = Path(__file__).resolve().parents[2]
EMAIL = "ana.lopes@example.org"
PHONE = "+33 6 12 34 56 78"
METRICS_TOKEN = "observability-test-token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeSentry(http.server.ThreadingHTTPServer):
    """Records the body of every envelope the Sentry SDK posts."""

    def __init__(self):
        self.envelopes = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers["Content-Length"]))
                encoding = handler.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":
                    import brotli  # noqa: PLC0415 - optional: only when the SDK compressed with br

                    body = brotli.decompress(body)
                self.envelopes.append(body.decode())
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.end_headers()
                handler.wfile.write(b"{}")

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def events(self):
        """The event items of the envelopes received (JSON objects)."""
        found = []
        for envelope in self.envelopes:
            lines = envelope.split("\n")
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    found.append(json.loads(payload))
        return found


@pytest.fixture(scope="module")
def sentry():
    server = FakeSentry()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(sentry, tmp_path_factory):
    """Base URL of a gunicorn (1 worker) running the site; its stderr is in `site.log`."""
    tmp = tmp_path_factory.mktemp("observability")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.home.observability_settings",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "SENTRY_DSN": f"http://public@127.0.0.1:{sentry.server_address[1]}/1",
        "METRICS": "1",
        "METRICS_TOKEN": METRICS_TOKEN,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = tmp / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "/dev/null",
                "cocity.wsgi",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield type("Site", (), {"url": url, "log": log_path})
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url, headers=None):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def log_lines(site):
    lines = []
    for line in site.log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not (found := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


# Request ids


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("lb-4f2a.9_c-1", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("bad id", False),
        ("<script>", False),
        ("é", False),
        ("", False),
    ],
)
def test_a_sane_request_id_is_kept_any_other_replaced(sent, kept):
    made = request_id_from(sent)
    assert (made == sent) is kept
    if not kept:
        assert len(made) == 32 and int(made, 16) >= 0


def test_every_answer_carries_its_request_id(site):
    status, headers, _ = get(f"{site.url}/robots.txt", {"X-Request-ID": "from-the-balancer.1"})
    assert headers["X-Request-ID"] == "from-the-balancer.1"

    _, first, _ = get(f"{site.url}/robots.txt", {"X-Request-ID": "x" * 65})
    _, second, _ = get(f"{site.url}/robots.txt")
    assert len(first["X-Request-ID"]) == 32 and len(second["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_logs_are_json_lines_with_the_request_id_method_path_and_status(site):
    status, headers, _ = get(f"{site.url}/broken/?email={EMAIL}", {"X-Request-ID": "json-log-test"})
    assert status == 500 and headers["X-Request-ID"] == "json-log-test"

    def lines_of_the_request():
        return [line for line in log_lines(site) if line["request_id"] == "json-log-test"]

    lines = wait_for(lambda: len(lines_of_the_request()) >= 2 and lines_of_the_request())
    assert lines, site.log.read_text()[-3000:]
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["status"] == 500
    assert error["method"] == "GET" and error["path"] == "/broken/"
    assert "RuntimeError" in error["exception"]
    access = next(line for line in lines if line["logger"] == "cocity.requests")
    assert access["message"] == "GET /broken/ 500" and access["status"] == 500
    assert access["duration_ms"] >= 0
    assert {"time", "level", "logger", "message"} <= access.keys()
    # the query string (personal data) is never in the request lines
    assert EMAIL not in json.dumps(access)


def test_log_format_is_text_json_or_refused(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert logging_config()["handlers"]["console"]["formatter"] == "text"
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert logging_config()["handlers"]["console"]["formatter"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config()


def test_a_record_outside_requests_is_one_json_line():
    record = logging.LogRecord("cocity.jobs", logging.WARNING, __file__, 1, "two\nlines", (), None)
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "two\nlines" and entry["request_id"] == "-"
    assert "method" not in entry and "status" not in entry


# Sentry


def test_scrub_removes_emails_and_phones_but_not_dates_or_ids():
    event = {
        "message": f"write to {EMAIL} or call {PHONE}, 06.12.34.56.78 or 0612345678",
        "extra": {"when": "2026-11-30 17:52:43", "id": "3f2a9c1e7b6d4e0f8a1b2c3d4e5f6a7b"},
        "frames": [{"vars": {"email": f"'{EMAIL}'", "line": 12345}}],
    }
    clean = scrub_event(event)
    assert clean["message"] == "write to [email] or call [phone], [phone] or [phone]"
    assert clean["extra"] == event["extra"]
    assert clean["frames"] == [{"vars": {"email": "'[email]'", "line": 12345}}]
    assert scrub(("x@y.fr", 3)) == ("[email]", 3)


def test_an_error_is_reported_to_sentry_without_email_or_phone(site, sentry):
    status, headers, _ = get(
        f"{site.url}/broken/?" + urllib.parse.urlencode({"email": EMAIL, "phone": PHONE}),
        {"X-Request-ID": "sentry-test", "Cookie": f"sessionid=abc; note={EMAIL}"},
    )
    assert status == 500

    def reported():
        return [
            event
            for event in sentry.events()
            if event.get("tags", {}).get("request_id") == "sentry-test"
        ]

    (event,) = wait_for(reported)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "[email]" in event["exception"]["values"][-1]["value"]
    assert event["request"]["url"].endswith("/broken/")
    everything = "\n".join(sentry.envelopes)
    assert EMAIL not in everything and "ana.lopes" not in everything
    assert PHONE not in everything and "12 34 56 78" not in everything
    assert "sessionid" not in json.dumps(event.get("request", {}).get("cookies", ""))


# Metrics


def test_metrics_answer_loopback_in_prometheus_text(site):
    get(f"{site.url}/robots.txt")
    status, headers, body = get(f"{site.url}/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert "# TYPE django_http_requests_total_by_method_total counter" in body
    assert 'django_http_requests_total_by_method_total{method="GET"}' in body


def test_metrics_refused_through_a_proxy_unless_with_the_token(site):
    through_proxy = {"X-Forwarded-For": "198.51.100.7"}
    assert get(f"{site.url}/metrics", through_proxy)[0] == 404
    assert get(f"{site.url}/metrics", {**through_proxy, "Authorization": "Bearer wrong"})[0] == 404
    status, _, body = get(
        f"{site.url}/metrics", {**through_proxy, "Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert status == 200 and "django_http_requests" in body


def test_metrics_off_by_default(monkeypatch):
    monkeypatch.delenv("METRICS", raising=False)
    assert observability.metrics_urls() == []
    assert observability.with_metrics(["a"], ["m"]) == (["a"], ["m"])
    monkeypatch.setenv("METRICS", "1")
    apps, middleware = observability.with_metrics(["a"], ["m"])
    assert apps == ["a", "django_prometheus"]
    assert middleware == [observability.METRICS_BEFORE, "m", observability.METRICS_AFTER]
    assert observability.with_metrics(apps, middleware) == (apps, middleware)
