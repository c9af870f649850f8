"""The real site under load and faults: one set-up (PostgreSQL and Redis of its own, two
gunicorn nodes with the production settings, the fake Stripe server) shared by the tests of
this folder (tests/system/harness.py). PostgreSQL pass only: the set-up needs Debian's
PostgreSQL server binaries, redis-server and haproxy, and takes about a minute."""

import glob
import os
import shutil

import pytest

from tests.system.harness import running_site

PORT = int(os.environ.get("SYSTEM_TEST_PORT", "8850"))  # uses PORT … PORT+15


def missing():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "system tests run in the PostgreSQL pass only (DATABASE_URL is not PostgreSQL)"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are not installed"
    for program in ("redis-server", "haproxy"):
        if not shutil.which(program) and not os.path.exists(f"/usr/sbin/{program}"):
            return f"{program} is not installed"
    return None


@pytest.fixture(scope="session")
def site():
    reason = missing()
    if reason:
        # In CI's PostgreSQL pass every binary must be there (scripts/system_deps.sh installs
        # haproxy and redis-server): a missing one fails instead of hiding the tests.
        on_postgres = os.environ.get("DATABASE_URL", "").startswith(
            ("postgres://", "postgresql://")
        )
        if on_postgres and (os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER")):
            pytest.fail(reason)
        pytest.skip(reason)

    with running_site(PORT) as site:
        yield site
