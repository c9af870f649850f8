"""The hot pages' queries, compiled once per thread and then only run.

Django builds and compiles a queryset's SQL anew every time it is evaluated. On our pages
that costs 0.3–2.5 ms a query (the impact figures' three queries: 6 ms), ten to fifty
times what SQLite or PostgreSQL take to run them (bench/README.md, "From scratch").

``rows(key, build)`` returns the rows of ``build()``, a ``values_list()`` queryset, whose
SQL this thread compiled the first time it was asked for ``key``; later calls with the same
key run that SQL again, with the same parameters, and convert the rows as Django would
(dates, decimals, booleans of each database). So ``key`` must name **everything** the
queryset depends on: the values it filters on, the language, the private sections… A value
left out of the key would be frozen at its first use; the current time never belongs in a
query run through here.

Each thread keeps its own entries (a compiler belongs to its thread's connection), at most
``MAX_ENTRIES``, least recently used dropped first. A shared helper: it imports no app.
"""

import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import FlatValuesListIterable, ValuesListIterable

MAX_ENTRIES = 1024
_local = threading.local()


def _entries():
    entries = getattr(_local, "entries", None)
    if entries is None:
        entries = _local.entries = OrderedDict()
    return entries


def forget():
    """Drop this thread's compiled queries (tests that change the schema)."""
    _entries().clear()


def _compile(build):
    queryset = build()
    flat = queryset._iterable_class is FlatValuesListIterable
    if not flat and queryset._iterable_class is not ValuesListIterable:
        raise TypeError("compiled.rows() takes a values_list() queryset")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: no query at all, as Django does
        return None
    return sql, tuple(params), compiler, flat, queryset.db


def rows(key, build):
    """The rows of ``build()`` (a list of tuples, or of values for ``flat=True``), its SQL
    compiled once per thread for ``key`` (see the module's docstring)."""
    entries = _entries()
    if key in entries:
        entry = entries[key]
        entries.move_to_end(key)
    else:
        entry = entries[key] = _compile(build)
        if len(entries) > MAX_ENTRIES:
            entries.popitem(last=False)
    if entry is None:
        return []
    sql, params, compiler, flat, alias = entry
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if compiler.has_extra_select:  # columns Django selects only to order by
        fetched = [row[: compiler.col_count] for row in fetched]
    converted = compiler.results_iter([fetched], tuple_expected=True)
    return [row[0] for row in converted] if flat else list(converted)
