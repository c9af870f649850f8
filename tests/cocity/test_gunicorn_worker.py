"""A worker recycled by max_requests drops no request (cocity/gunicorn_worker.py).

gunicorn with 2 threaded workers recycled every ~15 requests, 8 clients sending 150 requests
each on a new connection: with gunicorn's own gthread worker, clients get "connection reset"
for the requests a leaving worker had accepted (the test shows it, so that it can fail);
with the project's worker, every request is answered."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS, REQUESTS = 8, 150


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(worker_class):
    """(answered, connection errors, seconds) of the load against gunicorn with ``worker_class``."""
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn), "--workers", "2", "--threads", "2", "--max-requests", "15",
            "--max-requests-jitter", "5", "--bind", f"127.0.0.1:{port}",
            "--worker-class", worker_class, "--log-level", "warning",
            "tests.cocity.tiny_wsgi:app",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        answered, errors, lock = [], [], threading.Lock()

        def client():
            for _ in range(REQUESTS):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                try:
                    connection.request("GET", "/", headers={"Connection": "close"})
                    response = connection.getresponse()
                    body = response.read()
                    with lock:
                        answered.append((response.status, body))
                except OSError as error:  # reset, closed without an answer
                    with lock:
                        errors.append(repr(error))
                finally:
                    connection.close()

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return answered, errors, time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)


def test_gunicorns_own_threaded_worker_resets_what_it_had_accepted():
    answered, errors, _seconds = load("gthread")
    assert errors, "gunicorn's gthread no longer drops them: cocity/gunicorn_worker.py can go"
    assert len(answered) + len(errors) == CLIENTS * REQUESTS


def test_the_project_worker_answers_every_request_while_recycled():
    answered, errors, seconds = load("cocity.gunicorn_worker.GracefulThreadWorker")
    assert errors == []
    assert answered == [(200, b"ok")] * (CLIENTS * REQUESTS)
    assert seconds < 60  # a leaving worker waits at most ACCEPTED_WAIT for a request
