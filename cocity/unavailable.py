"""The database is unavailable (restarting, failing over, out of connections): say so with a
503 page and Retry-After instead of a 500, so that visitors, load balancers and Stripe (which
delivers a refused webhook again) know to come back.

Wired as Django's ``handler500`` (cocity/urls.py): Django calls it for every uncaught
exception, inside its ``except`` block, so the exception at hand decides the answer. The
page renders without the database (no menus, no settings, no queries). Nothing is lost by
answering 503: a request that failed on the database wrote nothing (requests that write do
so in a transaction, the webhook's record and its effect in one), and the next request
reconnects (``conn_health_checks`` in the production settings), with no restart of the app.
"""

import logging
import sys

from django import db
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (db.OperationalError, db.InterfaceError)


def database_unavailable(error):
    """True when ``error`` (or what caused it) says the database could not be reached or
    dropped the connection, not that a query was wrong."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def unavailable_response():
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """``handler500``: 503 when the database is unavailable, else the usual 500 page."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        logger.warning("Database unavailable: 503 for %s %s", request.method, request.path)
        return unavailable_response()
    return HttpResponseServerError(loader.get_template(template_name).render())
