"""Email tasks that survive the mail server being down: retried later, with backoff.

``@email_task()`` replaces django-tasks' ``@task()`` on a task that sends mail. When sending
fails because the mail server cannot be reached or refuses for now (a connection refused or
reset, a timeout, an SMTP error), the task is queued again to run after the next delay of
``EMAIL_RETRY_DELAYS`` (seconds: 1 min, 5 min, 30 min, 2 h, 6 h by default), the attempt
number carried in its ``email_attempt`` argument; past the last delay it fails for good (the
task worker records the error). Nothing else is retried: a bug fails at once, as before.

Only backends that can defer a task retry (the database backend of production and its
``db_worker``). With the immediate backend (development, tests) the error propagates as
it did before: the retry needs a worker that runs tasks later.

The tasks must be safe to run again after a failed send: each sends one message (or claims
its send first and gives the claim back on failure), so a retry sends it once.
"""

import datetime
import functools
import logging
import smtplib
import socket

from django.conf import settings
from django.utils import timezone

from django_tasks import task

logger = logging.getLogger(__name__)

DEFAULT_DELAYS = (60, 300, 1800, 7200, 21600)
# A mail server down, unreachable or saying "try later"; not a bad address or a bug.
MAIL_SERVER_ERRORS = (
    ConnectionError,  # refused, reset, aborted
    socket.timeout,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPDataError,
    smtplib.SMTPSenderRefused,
)


def retry_delays():
    """The delays (seconds) before each new attempt, from ``EMAIL_RETRY_DELAYS``."""
    delays = getattr(settings, "EMAIL_RETRY_DELAYS", None) or DEFAULT_DELAYS
    return [max(0, int(float(delay))) for delay in delays]


def email_task(**options):
    """``@task(**options)`` for a function that sends mail, retried with backoff when the
    mail server is unavailable (see the module docstring)."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, email_attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except MAIL_SERVER_ERRORS as error:
                delays = retry_delays()
                backend = the_task.get_backend()
                if email_attempt > len(delays) or not backend.supports_defer:
                    logger.error(
                        "Email task %s failed (attempt %d, no retry left): %r",
                        function.__name__,
                        email_attempt,
                        error,
                    )
                    raise
                delay = delays[email_attempt - 1]
                run_after = timezone.now() + datetime.timedelta(seconds=delay)
                the_task.using(run_after=run_after).enqueue(
                    *args, email_attempt=email_attempt + 1, **kwargs
                )
                logger.warning(
                    "Email task %s: mail server unavailable (%r); attempt %d in %d s",
                    function.__name__,
                    error,
                    email_attempt + 1,
                    delay,
                )
                return None

        the_task = task(**options)(run)
        return the_task

    return decorate
