"""Factories for workshops (tests and `load_demo`)."""

import datetime

from django.utils import timezone

import wagtail_factories

import factory

from .models import Venue, WorkshopIndexPage, WorkshopPage


class VenueFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Centre social {n}")
    address = "12 rue des Couronnes\n75020 Paris"
    access = "Métro Couronnes (ligne 2)"
    accessibility = "Entrée de plain-pied, toilettes accessibles."

    class Meta:
        model = Venue


class WorkshopIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ateliers"
    slug = factory.Sequence(lambda n: f"ateliers-{n}")
    introduction = "Venez construire vos projets avec nous."

    class Meta:
        model = WorkshopIndexPage


class WorkshopPageFactory(wagtail_factories.PageFactory):
    """A workshop in a week, 18:30–20:30, 20 seats, in French and Arabic."""

    title = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    summary = "Transformer une idée en projet pour le quartier."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=17, minute=30, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    venue = factory.SubFactory(VenueFactory)
    languages = factory.LazyFunction(lambda: ["fr", "ar"])
    capacity = 20

    class Meta:
        model = WorkshopPage
