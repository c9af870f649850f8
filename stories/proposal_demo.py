"""Demo proposals for `load_demo`: one a resident left by phone (new), one the demo leader
sent from her space (in discussion). Registered in apps.py, after the stories' accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model

from campaigns.models import District

from .demo import DEMO_LEADER
from .proposals import Proposal, ProposalSource, ProposalStatus

DEMO_TITLES = ("Atelier vélo solidaire", "Fresque du square Sarah-Bernhardt")


def build(site):
    """Create the two demo proposals (idempotent)."""
    districts = District.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    leader = get_user_model().objects.filter(username=DEMO_LEADER["username"]).first()
    Proposal.objects.get_or_create(
        title=DEMO_TITLES[0],
        defaults={
            "district": districts.order_by("code").last(),
            "purpose": "Un atelier où les jeunes du quartier apprennent à réparer leur vélo, "
            "avec des pièces de récupération. Deux après-midi par semaine.",
            "budget_cents": 180_000,
            "languages": ["fr", "ar"],
            "other_languages": "Soninké",
            "name": "Moussa K.",
            "phone": "06 12 34 56 78",
            "language": "fr",
            "contact_consent": True,
            "source": ProposalSource.PUBLIC,
            "status": ProposalStatus.NEW,
        },
    )
    if leader is not None:
        Proposal.objects.get_or_create(
            title=DEMO_TITLES[1],
            defaults={
                "district": districts.order_by("code").first(),
                "purpose": "Peindre avec les enfants de l'école une fresque sur le mur du "
                "square, dessinée avec eux pendant les vacances.",
                "budget_cents": 95_050,
                "languages": ["fr", "en"],
                "name": leader.leader_profile.public_name,
                "email": leader.email,
                "language": leader.leader_profile.language,
                "contact_consent": True,
                "source": ProposalSource.SPACE,
                "leader": leader,
                "status": ProposalStatus.IN_DISCUSSION,
            },
        )


def reset():
    Proposal.objects.filter(title__in=DEMO_TITLES).delete()
