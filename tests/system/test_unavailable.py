"""The 503 page when the database is unavailable (cocity/unavailable.py, Django's handler500):
in-process, both passes. The real outage is tests/system/test_faults.py."""

from django import db
from django.test import RequestFactory
from django.utils import translation

import pytest

from cocity import urls
from cocity.unavailable import database_unavailable, server_error


def answer_to(error):
    request = RequestFactory().get("/fr/")
    try:
        raise error
    except Exception:
        return server_error(request)


def test_it_is_the_site_error_handler():
    assert urls.handler500 == "cocity.unavailable.server_error"


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_database_unreachable_is_a_translated_503_with_retry_after(language):
    with translation.override(language):
        response = answer_to(db.OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert f'lang="{language}"' in body and ("rtl" in body) == (language == "ar")


def test_a_dropped_connection_inside_another_error_is_unavailable_too():
    try:
        try:
            raise db.InterfaceError("connection already closed")
        except db.InterfaceError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError as error:
        assert database_unavailable(error)
    assert not database_unavailable(db.IntegrityError("duplicate key"))
    assert not database_unavailable(ValueError("a bug"))


def test_other_errors_stay_a_500():
    assert answer_to(ValueError("a bug")).status_code == 500
    assert answer_to(db.ProgrammingError("no such column")).status_code == 500
