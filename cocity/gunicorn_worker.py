"""gunicorn's threaded worker, leaving without dropping the connections it has accepted.

A gthread worker accepts a connection, then waits (in its poller) for the request to arrive
before handing it to a thread. When the worker leaves — after ``max_requests``
(gunicorn.conf.py), or on a graceful stop — gunicorn 23 closes that poller with such
connections still in it: their requests, already sent, are never read, and each client gets
"connection reset" (seen a few times a minute under load, once per recycled worker:
tests/system/test_load.py, tests/system/test_worker_exit.py). A balancer in front cannot
safely resend them for the client (a POST may be a gift).

This worker, as it leaves, first serves those connections: each one whose request arrives
within ``ACCEPTED_WAIT`` seconds is handed to a thread like any other (the worker waits for
its threads as gunicorn does, up to ``graceful_timeout``); one that stays silent is closed.
Idle kept-alive connections are closed, as before. A quick exit (SIGINT, SIGQUIT) is left as
gunicorn does it.

Used by gunicorn.conf.py (``worker_class``).
"""

import selectors
import time
from concurrent import futures
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

# How long a leaving worker waits for the requests of the connections it accepted
ACCEPTED_WAIT = 2.0


class _LeavingPool(futures.ThreadPoolExecutor):
    """The worker's thread pool; before it stops taking work, its worker hands it the
    connections already accepted (gthread's ``run()`` shuts the pool down as it leaves)."""

    def __init__(self, worker, **options):
        super().__init__(**options)
        self.worker = worker

    def shutdown(self, wait=True, **options):
        if not self.worker.quitting:
            self.worker.serve_accepted()
        super().shutdown(wait, **options)


class GracefulThreadWorker(ThreadWorker):
    quitting = False

    def get_thread_pool(self):
        return _LeavingPool(self, max_workers=self.cfg.threads)

    def handle_quit(self, sig, frame):
        self.quitting = True  # a quick exit: nothing more is served
        super().handle_quit(sig, frame)

    def accepted_connections(self):
        """Take out of the poller the connections waiting for their request: (the fresh
        ones, the idle kept-alive ones)."""
        fresh, idle = [], []
        with self._lock:
            for key in list(self.poller.get_map().values()):
                callback = key.data
                if not (isinstance(callback, partial) and callback.args):
                    continue  # a listening socket (its callback is the acceptor)
                if callback.func != self.on_client_socket_readable:
                    continue
                conn = callback.args[0]
                self.poller.unregister(key.fileobj)
                if conn.initialized:
                    if conn in self._keep:
                        self._keep.remove(conn)
                    idle.append(conn)
                else:
                    fresh.append(conn)
        return fresh, idle

    def serve_accepted(self):
        """Hand to the threads each accepted connection whose request arrives in time; close
        the others and the idle kept-alive ones."""
        fresh, idle = self.accepted_connections()
        for conn in idle:
            self._close(conn)
        if not fresh:
            return
        waiting = selectors.DefaultSelector()
        for conn in fresh:
            waiting.register(conn.sock, selectors.EVENT_READ, conn)
        deadline = time.monotonic() + ACCEPTED_WAIT
        try:
            while waiting.get_map() and (left := deadline - time.monotonic()) > 0:
                for key, _events in waiting.select(left):
                    waiting.unregister(key.fileobj)
                    self.enqueue_req(key.data)
            for key in list(waiting.get_map().values()):
                self._close(key.data)
        finally:
            waiting.close()

    def _close(self, conn):
        with self._lock:
            self.nr_conns -= 1
        conn.close()
