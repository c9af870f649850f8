"""Fixtures shared by every test folder."""

import io

from django.core.management import call_command

from wagtail.models import Page

import pytest


@pytest.fixture
def demo_site(db):
    """The demo site of `manage.py load_demo`, built inside the test's transaction.

    Returns the live pages (every language)."""
    call_command("load_demo", stdout=io.StringIO())
    return Page.objects.live().filter(depth__gte=2)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counts never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
