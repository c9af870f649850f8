"""A sample of the fuzzer (tests/fuzzer.py) on the demo: 800 malformed requests across every
public form, query parameter and API endpoint, in every language; not one answer ≥ 500.

The full run (5 000 requests and more, SQLite or PostgreSQL) is `bench/fuzz.py`.
"""

import pytest

from tests.fuzzer import run

SAMPLE = 800


@pytest.mark.parametrize("seed", [10])
def test_malformed_requests_never_get_a_server_error(demo_site, seed):
    report = run(SAMPLE, seed=seed)
    assert report.requests == SAMPLE
    assert not report.failures, report.table()
    # The sample reaches every kind of route, and gets past the guards to real answers
    assert set(report.kinds) >= {
        "page",
        "search",
        "feed",
        "calendar",
        "login",
        "password_reset",
        "registration",
        "donate",
        "workshop",
        "frame",
        "open_data",
        "webhook",
        "api",
        "embed",
    }, report.table()
    classes = report.by_class()
    assert classes.get("2xx", 0) > SAMPLE // 10 and classes.get("4xx", 0) > SAMPLE // 10
