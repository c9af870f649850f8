"""A workshop held for the Paris Participatory Budget (home/participatory_budget.py): the
edition it prepares, on its page in French and Arabic and in the API; other workshops say
nothing of it."""

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "edition", "what"),
    [
        ("fr", "Budget participatif de Paris 2027", "Un atelier pour préparer ses idées"),
        ("ar", "الميزانية التشاركية لباريس 2027", "ورشة لتحضير الأفكار"),
    ],
)
def test_a_participatory_budget_workshop_says_which_edition_it_prepares(
    client, workshop, language, edition, what
):
    page = Page.objects.get(
        translation_key=workshop.translation_key, locale__language_code=language
    )
    assert BeautifulSoup(client.get(page.url).content, "html.parser").select(".pb-note") == []
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(pb_edition=2027)
    note = BeautifulSoup(client.get(page.url).content, "html.parser").select_one(".pb-note")
    assert note is not None
    assert edition in note.get_text(" ", strip=True) and what in note.get_text(" ", strip=True)


def test_the_api_gives_the_edition_or_null(client, workshop):
    def edition():
        items = client.get(
            "/api/v2/pages/",
            {"type": "workshops.WorkshopPage", "fields": "pb_edition", "locale": "fr"},
        ).json()["items"]
        return [item["pb_edition"] for item in items]

    assert edition() == [None]
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(pb_edition=2027)
    assert edition() == [2027]
