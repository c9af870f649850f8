"""Factories for campaigns (tests and `load_demo`)."""

import datetime

from django.utils import timezone

import wagtail_factories

import factory

from .impact import ImpactPage
from .models import CampaignIndexPage, CampaignPage, Category, District
from .news import CampaignNewsPage
from .participatory_budget import ParticipatoryBudgetPage


class DistrictFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Paris {n}e")
    code = factory.Sequence(lambda n: f"750{n:02d}")
    kind = District.Kind.ARRONDISSEMENT

    class Meta:
        model = District


class CategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    code = factory.Sequence(lambda n: f"categorie-{n}")

    class Meta:
        model = Category


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    title = "Campagnes"
    slug = factory.Sequence(lambda n: f"campagnes-{n}")
    introduction = "Les projets des quartiers à soutenir."

    class Meta:
        model = CampaignIndexPage


class CampaignPageFactory(wagtail_factories.PageFactory):
    """A live campaign: opened yesterday, closes in 30 days, goal 1 000 €."""

    title = factory.Sequence(lambda n: f"Projet {n}")
    slug = factory.Sequence(lambda n: f"projet-{n}")
    summary = "Un projet utile à tout le quartier."
    goal_cents = 100_000
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))

    class Meta:
        model = CampaignPage


class CampaignNewsPageFactory(wagtail_factories.PageFactory):
    """News of a campaign: give ``parent=<campaign page>``; two paragraphs, no photo."""

    title = factory.Sequence(lambda n: f"Nouvelles {n}")
    slug = factory.Sequence(lambda n: f"nouvelles-{n}")
    body = factory.LazyFunction(
        lambda: [
            ("paragraph", "<p>Les premiers bacs sont posés.</p>"),
            ("paragraph", "<p>Merci à toutes et à tous !</p>"),
        ]
    )

    class Meta:
        model = CampaignNewsPage


class ImpactPageFactory(wagtail_factories.PageFactory):
    """The impact page: give ``parent=<home page>``; its figures are computed, never typed."""

    title = "Notre impact"
    slug = factory.Sequence(lambda n: f"impact-{n}")
    introduction = "Ce que vos dons ont permis, calculé à partir des dons reçus."

    class Meta:
        model = ImpactPage


class ParticipatoryBudgetPageFactory(wagtail_factories.PageFactory):
    """The page of the association's Participatory Budget projects: give ``parent=<home
    page>``; it lists the campaigns marked as projects."""

    title = "Nos projets au Budget participatif"
    slug = factory.Sequence(lambda n: f"budget-participatif-{n}")
    introduction = "Les projets que nous soutenons et qui sont aussi des idées pour la Ville."

    class Meta:
        model = ParticipatoryBudgetPage
