"""What a visitor types into a search box, made safe for the database search backends.

Wagtail's database backend passes each word to SQLite's FTS5 inside double quotes without
escaping them, so a word holding a `"` is a syntax error there (a 500 on `?q="…`); on
PostgreSQL every word is quoted properly. Quotes mean nothing to a plain-text search, so
they become spaces on every database.
"""

SEARCH_SYNTAX = str.maketrans({'"': " "})


def search_terms(query):
    """``query`` with its words separated by single spaces and no double quotes ("" when
    nothing searchable is left)."""
    return " ".join(query.translate(SEARCH_SYNTAX).split())
