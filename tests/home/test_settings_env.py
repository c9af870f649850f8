"""Rate limits read from the environment ("limit/seconds"): helpers/env.py `rate`."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from helpers import env


def test_a_rate_is_read_as_limit_and_seconds(monkeypatch):
    monkeypatch.setenv("LEADER_RATE_LIMIT", " 5/30 ")
    assert env.rate("LEADER_RATE_LIMIT", (20, 60)) == (5, 30)


def test_an_unset_rate_is_the_default(monkeypatch):
    monkeypatch.delenv("LEADER_RATE_LIMIT", raising=False)
    assert env.rate("LEADER_RATE_LIMIT", (20, 60)) == (20, 60)


@pytest.mark.parametrize("value", ["20", "20/", "twenty/60", "0/60", "20/-1", "20/60/3"])
def test_a_malformed_rate_names_the_variable_and_the_form(monkeypatch, value):
    monkeypatch.setenv("LEADER_RATE_LIMIT", value)
    expected = 'LEADER_RATE_LIMIT must be written "limit/seconds"'
    with pytest.raises(ImproperlyConfigured, match=expected):
        env.rate("LEADER_RATE_LIMIT", (20, 60))
