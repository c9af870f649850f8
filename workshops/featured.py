"""Workshops on other pages: the home page's next workshops."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpers import compiled
from helpers.featured import FeaturedItem, FeaturedSection, listing_url
from helpers.formats import format_when
from helpers.visibility import private_sections, public_pages

from .models import WorkshopIndexPage, WorkshopPage, WorkshopSeats

HOW_MANY = 3


def _when(workshop):
    """The day and time from CLDR in the reader's language, Paris time ("lundi 12 mai 2026
    à 18:30", "2026年5月12日星期二 18:30")."""
    return format_when(workshop.starts_at)


def _seats(workshop):
    state = workshop.registration_state
    if state == "open":
        left = workshop.seats_left
        return ngettext("%(seats)s seat left", "%(seats)s seats left", left) % {"seats": left}
    if state == "waitlist":
        return str(_("Full: waiting list open"))
    return str(_("Registrations closed"))


def _item(workshop, request):
    meta = _when(workshop)
    if workshop.venue:
        # isolated (FSI … PDI): a Latin venue name keeps its order in an Arabic line
        meta = f"{meta} · \u2068{workshop.venue.name}\u2069"
    return FeaturedItem(
        title=workshop.title,
        url=workshop.get_url(request),
        text=_seats(workshop),
        image=workshop.hero_image,
        image_alt=workshop.hero_image_alt,
        meta=meta,
    )


def next_workshops_section(home_page, request):
    """The next three workshops of the home page's language, with their seats left.

    One query whatever the number of workshops: the workshops with venue and seats taken
    (compiled once per home page and set of private sections, helpers/compiled.py); their
    pictures are kept with the frame (home/templatetags/picture_tags.py), as is the listing
    page's URL (helpers.featured.listing_url)."""
    private = private_sections()
    workshops = compiled.instances(
        ("featured-workshops", home_page.path, private.paths),
        lambda now: (
            public_pages(WorkshopPage.objects.descendant_of(home_page), private)
            .filter(starts_at__gt=now)
            .select_related("venue", "hero_image")
            .annotate(**WorkshopSeats.objects.annotation())
            .order_by("starts_at", "pk")[:HOW_MANY]
        ),
        at=timezone.now(),
    )
    more_url = listing_url(
        "workshops",
        home_page,
        request,
        lambda: public_pages(WorkshopIndexPage.objects.descendant_of(home_page), private).first(),
    )
    return FeaturedSection(
        key="workshops",
        heading=_("Next workshops"),
        items=[_item(workshop, request) for workshop in workshops],
        more_url=more_url,
        more_label=_("All workshops"),
    )
