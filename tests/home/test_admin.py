"""Staff work in the Wagtail admin: edit every page type, menus, settings, translate."""

import importlib

from django.urls import reverse

from wagtail.models import Locale, Page, get_page_models

import pytest

from home.factories import StandardPageFactory
from home.locales import create_language_aliases
from home.models import Footer, HomePage, MainMenu

PROJECT_APPS = {"home", "campaigns", "donations", "stories", "workshops"}


def page_types():
    """Every page type of the project, from the models (not a list kept by hand)."""
    found = [model for model in get_page_models() if model.__module__.split(".")[0] in PROJECT_APPS]
    assert len(found) >= 10
    return found


def test_every_page_type_has_a_factory():
    for model in page_types():
        factories = importlib.import_module(f"{model._meta.app_label}.factories")
        factory = getattr(factories, f"{model.__name__}Factory", None)
        assert factory is not None, model
        assert factory._meta.model is model, model


@pytest.mark.django_db
def test_staff_can_open_the_editor_of_every_page_type_and_snippet(admin_client, demo_site):
    for model in page_types():
        for language in ("fr", "ar"):
            page = model.objects.filter(
                locale__language_code=language, alias_of__isnull=True
            ).first()
            assert page is not None, (model, language)  # the demo has every type
            response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            assert response.status_code == 200, page
    for model in (MainMenu, Footer):
        instance = model.objects.get(locale__language_code="ar")
        url = reverse(f"wagtailsnippets_home_{model._meta.model_name}:edit", args=[instance.pk])
        assert admin_client.get(url).status_code == 200
    settings_url = reverse("wagtailsettings:edit", args=["home", "sitecontact"])
    assert admin_client.get(settings_url, follow=True).status_code == 200
    home = HomePage.objects.get(locale__language_code="fr")
    assert (
        admin_client.get(
            reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
        ).status_code
        == 200
    )


@pytest.mark.django_db
def test_new_page_is_reachable_in_every_language_until_translated(client, admin_client, demo_site):
    home = HomePage.objects.get(locale__language_code="fr")
    page = StandardPageFactory(
        parent=home, slug="jardin-des-couronnes", title="Jardin des Couronnes"
    )
    create_language_aliases(page)
    for language in ("en", "ar", "pt", "zh-hans"):
        response = client.get(f"/{language}/jardin-des-couronnes/")
        assert response.status_code == 200, language
        assert b"notice--translation" in response.content

    # A translator starts the Portuguese translation from the admin (wagtail-localize)
    pt = Locale.objects.get(language_code="pt")
    response = admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [pt.pk]},
    )
    assert response.status_code == 302
    translation = page.get_translation(pt)
    assert translation.alias_of_id is None
    # Until the translator publishes, readers keep getting the French page with the notice
    response = client.get("/pt/jardin-des-couronnes/")
    assert response.status_code == 200
    assert Page.objects.get(pk=translation.pk).live


@pytest.mark.django_db
def test_every_page_type_can_be_previewed_as_a_draft(demo_site):
    for model in page_types():
        shown_field = "hero_heading" if model is HomePage else "title"
        for language in ("fr", "ar"):
            page = model.objects.filter(
                locale__language_code=language, alias_of__isnull=True
            ).first()
            setattr(page, shown_field, "Brouillon en cours")
            page.save_revision()  # a draft: the live page is unchanged
            draft = page.get_latest_revision_as_object()
            response = draft.make_preview_request()
            assert response.status_code == 200, (model, language)
            assert "Brouillon en cours" in response.content.decode()
    # an untranslated copy (the demo's news item waiting for its Portuguese translation)
    alias = Page.objects.get(
        locale__language_code="pt", alias_of__isnull=False, slug="premiers-bacs"
    ).specific
    response = alias.make_preview_request()
    assert response.status_code == 200
    assert "notice--translation" in response.content.decode()
