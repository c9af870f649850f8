"""wagtail-localize's translation editor loads the script and the stylesheet that put each
segment in its language's direction (Arabic right to left and upright); the browser test is
tests/e2e/test_translation_editor.py."""

import json
import re
from html import unescape

from django.urls import reverse

import pytest

from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_editor_of_an_arabic_translation_loads_the_direction_script_and_styles(
    admin_client, demo_site
):
    page = HomePage.objects.get(locale__language_code="ar")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    props = re.search(r'class="js-translation-editor" data-props="([^"]+)"', html)
    assert props, "not the translation editor"
    data = json.loads(unescape(props.group(1)))
    assert data["locale"]["code"] == "ar" and data["sourceLocale"]["code"] == "fr"
    # the files, not inline code (the admin may get a strict CSP too)
    assert re.search(r'<script src="/static/js/admin_rtl\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="/static/css/admin_rtl\.css">', html)
    assert html.count("admin_rtl.js") == 1
