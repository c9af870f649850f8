"""Factories for stories (tests and `load_demo`)."""

import wagtail_factories

import factory

from .models import StoryIndexPage, StoryPage


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Histoires"
    slug = factory.Sequence(lambda n: f"histoires-{n}")
    introduction = "Ce que les projets financés ont changé."

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Histoire {n}")
    slug = factory.Sequence(lambda n: f"histoire-{n}")
    introduction = "Le jardin a ouvert ses portes."

    class Meta:
        model = StoryPage
