"""The hot pages' queries, compiled once per thread and then only run.

Django builds and compiles a queryset's SQL anew every time it is evaluated. On our pages
that costs 0.3–2.5 ms a query (the impact figures' three queries: 6 ms), ten to fifty
times what SQLite or PostgreSQL take to run them (bench/README.md, "From scratch").

``rows(key, build)`` returns the rows of ``build()``, a ``values_list()`` queryset, whose
SQL this thread compiled the first time it was asked for ``key``; later calls with the same
key run that SQL again, with the same parameters, and convert the rows as Django would
(dates, decimals, booleans of each database). ``instances(key, build)`` does the same for a
queryset of model instances (with its ``select_related``, annotations and
``prefetch_related``, which run as usual). So ``key`` must name **everything** the queryset
depends on: the values it filters on, the language, the private sections… A value left out
of the key would be frozen at its first use.

The one value that changes on every call, the current time, is passed apart: with
``at=moment``, ``build`` receives a moment of its own when the SQL is compiled, and each run
puts ``moment`` where that one was (compared with DateTimeFields: ``starts_at__gt=at``).

Each thread keeps its own entries (a compiler belongs to its thread's connection), at most
``MAX_ENTRIES``, least recently used dropped first. A shared helper: it imports no app.
"""

import datetime as dt
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    QuerySet,
    ValuesListIterable,
)

# The moment a query is compiled with when it takes ``at`` (a value nobody passes)
_SENTINEL = dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC)

MAX_ENTRIES = 256
_local = threading.local()


def _entries():
    entries = getattr(_local, "entries", None)
    if entries is None:
        entries = _local.entries = OrderedDict()
    return entries


def forget():
    """Drop this thread's compiled queries (tests that change the schema)."""
    _entries().clear()


class _Entry:
    """One compiled query: its SQL and parameters (and where ``at`` goes in them), the
    compiler that knows how to convert its rows, and what an instances() query needs."""

    def __init__(self, build, at, kinds):
        queryset = build(_SENTINEL) if at is not None else build()
        if queryset._iterable_class not in kinds:
            raise TypeError(f"this queryset is not one of {kinds}")
        self.flat = queryset._iterable_class is FlatValuesListIterable
        self.alias = queryset.db
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=self.alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: no query at all, as Django does
            self.sql, params = None, ()
        self.params = list(params)
        self.at_positions = []
        if at is not None and self.sql is not None:
            sentinel = connections[self.alias].ops.adapt_datetimefield_value(_SENTINEL)
            self.at_positions = [i for i, value in enumerate(self.params) if value == sentinel]
            if not self.at_positions:
                raise ValueError("build(at) must compare a DateTimeField with ``at``")

    def fetch(self, at):
        """The raw rows, in chunks, as a compiler's execute_sql() gives them."""
        if self.sql is None:
            return []
        params = self.params
        if self.at_positions:
            params = list(params)
            moment = connections[self.alias].ops.adapt_datetimefield_value(at)
            for position in self.at_positions:
                params[position] = moment
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if self.compiler.has_extra_select:  # columns Django selects only to order by
            fetched = [row[: self.compiler.col_count] for row in fetched]
        return [fetched]


def _entry(key, build, at, kinds):
    entries = _entries()
    full_key = (key, at is not None)
    if full_key in entries:
        entries.move_to_end(full_key)
        return entries[full_key]
    entry = entries[full_key] = _Entry(build, at, kinds)
    if len(entries) > MAX_ENTRIES:
        entries.popitem(last=False)
    return entry


def rows(key, build, at=None):
    """The rows of ``build()`` (a list of tuples, or of values for ``flat=True``), its SQL
    compiled once per thread for ``key`` (see the module's docstring)."""
    entry = _entry(key, build, at, (ValuesListIterable, FlatValuesListIterable))
    converted = entry.compiler.results_iter(entry.fetch(at), tuple_expected=True)
    return [row[0] for row in converted] if entry.flat else list(converted)


class _Compiled:
    """What ModelIterable asks of a compiler, answered from a compiled entry."""

    def __init__(self, entry, at):
        self.entry, self.at = entry, at
        compiler = entry.compiler
        self.select, self.klass_info = compiler.select, compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map

    def execute_sql(self, *args, **kwargs):
        return self.entry.fetch(self.at)

    def results_iter(self, results, *args, **kwargs):
        return self.entry.compiler.results_iter(results)


class _CompiledQuery:
    """Stands for a Query whose compiler is already built."""

    def __init__(self, compiled):
        self.compiled = compiled

    def get_compiler(self, *args, **kwargs):
        return self.compiled


def instances(key, build, at=None):
    """The model instances of ``build()`` (a list), its SQL compiled once per thread for
    ``key`` (see the module's docstring); its prefetch_related lookups run as usual."""
    entry = _entry(key, build, at, (ModelIterable,))
    original = entry.queryset
    queryset = QuerySet(model=original.model, query=_CompiledQuery(_Compiled(entry, at)))
    queryset._db = entry.alias
    queryset._prefetch_related_lookups = original._prefetch_related_lookups
    return list(queryset)
