"""Backups of the database, each with the ledger's fingerprint of the same moment, and the
restore drill that proves a backup gives the ledger back (docs/deployment.md, "Backups and
the restore drill").

A backup is two files in ``BACKUP_DIR``: ``cocity-<UTC time>.dump`` (PostgreSQL: ``pg_dump
--format=custom``; SQLite: a copy made with SQLite's online backup) and
``cocity-<UTC time>.ledger.json``, the fingerprint of donations/ledger_audit.py. On
PostgreSQL both come from one snapshot: the fingerprint is read in a REPEATABLE READ
transaction that exports its snapshot, and pg_dump dumps that same snapshot, so gifts paid
during the backup are in neither or in both.

The drill restores a backup into a scratch database (``<name>_drill_<pid>`` on the same
server, or a temporary SQLite file), runs ``manage.py ledger_check --json`` on it in a
separate process, and passes only when the restored ledger has exactly the fingerprint taken
with the backup and no problem (tallies equal to their gifts, receipt numbers without gap).
The scratch database is dropped afterwards.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from donations import ledger_audit

PREFIX = "cocity-"
DUMP_SUFFIX = ".dump"
FINGERPRINT_SUFFIX = ".ledger.json"
MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


class BackupError(Exception):
    pass


def _postgres_env(settings_dict, name=None):
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    env["PGDATABASE"] = name or settings_dict["NAME"]
    return env


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is missing: install the PostgreSQL client (Debian: postgresql-client)"
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result


def fingerprint_path(dump):
    dump = Path(dump)
    return dump.with_name(dump.name.removesuffix(DUMP_SUFFIX) + FINGERPRINT_SUFFIX)


def backups(directory):
    """The backups in ``directory`` (dumps that have their fingerprint), oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob(f"{PREFIX}*{DUMP_SUFFIX}")
        if fingerprint_path(path).exists()
    )


def backup(directory, now=None):
    """Write a backup and its fingerprint into ``directory``; returns the dump's path and the
    fingerprint."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now(datetime.UTC)
    dump = directory / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}{DUMP_SUFFIX}"
    partial = dump.with_name(dump.name + ".partial")
    if connection.in_atomic_block:
        raise BackupError("a backup needs its own transaction")
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            print_ = ledger_audit.fingerprint()
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}"],
                env=_postgres_env(connection.settings_dict),
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()  # its own connection: an in-memory database too
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        print_ = _fingerprint_of(_sqlite_url(partial))["fingerprint"]
    else:  # pragma: no cover - the project runs on PostgreSQL and SQLite only
        raise BackupError(f"no backup for {connection.vendor}")
    partial.rename(dump)
    fingerprint_path(dump).write_text(json.dumps(print_, indent=1))
    return dump, print_


def prune(directory, keep_days, now=None):
    """Delete the backups older than ``keep_days`` days, always keeping the newest one;
    returns the dumps deleted."""
    now = now or datetime.datetime.now(datetime.UTC)
    limit = (now - datetime.timedelta(days=keep_days)).timestamp()
    deleted = []
    for dump in backups(directory)[:-1]:
        if dump.stat().st_mtime < limit:
            fingerprint_path(dump).unlink(missing_ok=True)
            dump.unlink()
            deleted.append(dump)
    return deleted


def _sqlite_url(path):
    return f"sqlite:///{Path(path).resolve()}"


def _fingerprint_of(database_url):
    """Run `manage.py ledger_check --json` on another database, in its own process."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
    }
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "ledger_check", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise BackupError(f"ledger_check on the restored copy failed: {result.stderr}") from error


def _postgres_url(settings_dict, name):
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def drill(dump, keep=False):
    """Restore ``dump`` into a scratch database and compare its ledger with the fingerprint
    taken with it. Returns (passed, lines to print)."""
    dump = Path(dump)
    expected_path = fingerprint_path(dump)
    if not dump.exists() or not expected_path.exists():
        raise BackupError(f"{dump} or its fingerprint {expected_path.name} is missing")
    expected = json.loads(expected_path.read_text())
    lines = [f"backup: {dump.name}", f"taken with: {ledger_audit.summary(expected)}"]
    if connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        scratch = f"{settings_dict['NAME']}_drill_{os.getpid()}"
        env = _postgres_env(settings_dict, name="postgres")
        _run(["dropdb", "--if-exists", scratch], env=env)
        _run(["createdb", scratch], env=env)
        try:
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 f"--dbname={scratch}", str(dump)],
                env=env,
            )  # fmt: skip
            found = _fingerprint_of(_postgres_url(settings_dict, scratch))
        finally:
            if keep:
                lines.append(f"restored copy kept: database {scratch}")
            else:
                _run(["dropdb", "--if-exists", scratch], env=env)
    else:
        scratch_dir = Path(tempfile.mkdtemp(prefix="cocity-drill-"))
        copy = scratch_dir / "restored.sqlite3"
        shutil.copyfile(dump, copy)
        try:
            found = _fingerprint_of(_sqlite_url(copy))
        finally:
            if keep:
                lines.append(f"restored copy kept: {copy}")
            else:
                shutil.rmtree(scratch_dir, ignore_errors=True)
    actual = found["fingerprint"]
    lines.append(f"restored:   {ledger_audit.summary(actual)}")
    wrong = ledger_audit.differences(expected, actual) + found["problems"]
    lines.extend(f"MISMATCH {line}" for line in wrong)
    return not wrong, lines
