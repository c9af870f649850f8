"""Workshops: venues, the listing and workshop pages, registrations and the seat counter.

A workshop exists once per language (a page and its translations share a translation_key);
its room is one room. Registrations and the seat counter are therefore keyed by the
workshop's translation_key, like donations are by campaign, whatever language people
registered in. Every change to a workshop's seats goes through workshops/registrations.py.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from rest_framework import serializers

from campaigns.models import CampaignPage, District
from helpers.api import (
    ComputedField,
    ImageField,
    PageLinkField,
    absolute,
    prefetch_links,
    with_image,
)
from helpers.i18n import localize_pages
from helpers.visibility import public_pages
from home.blocks import BodyStreamBlock
from home.models import (
    HERO_IMAGE_TRANSLATION_FIELDS,
    PAGE_TRANSLATABLE_FIELDS,
    BasePage,
    HeroImageMixin,
    ListingPage,
    hero_image_panels,
)
from home.participatory_budget import ParticipatoryBudgetWorkshopMixin

from .listing import listing_context

MAX_SEATS_PER_REGISTRATION = 5

# Languages people speak at workshops, beyond the site's five: each under its own name, so
# that a reader recognises their language whatever language the page is in.
SPOKEN_LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("pt", "Português"),
    ("zh-hans", "简体中文"),
    ("es", "Español"),
    ("tr", "Türkçe"),
    ("ta", "தமிழ்"),
    ("bm", "Bamanankan"),
    ("wo", "Wolof"),
    ("ro", "Română"),
    ("fr-sign", "LSF (langue des signes française)"),
]
SPOKEN_LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


class Venue(TranslatableMixin, models.Model):
    """Where workshops happen: a community centre, a library, a school yard."""

    name = models.CharField(_("name"), max_length=150)
    address = models.TextField(_("address"), max_length=300)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    access = models.TextField(
        _("getting there"),
        blank=True,
        max_length=500,
        help_text=_("Metro, bus, entrance: how to find the room."),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        max_length=500,
        help_text=_("Step-free access, lift, toilets, hearing loop… and what is missing."),
    )
    map_url = models.URLField(_("map link"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("district"),
        FieldPanel("access"),
        FieldPanel("accessibility"),
        FieldPanel("map_url"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("address"),
        TranslatableField("district"),
        TranslatableField("access"),
        TranslatableField("accessibility"),
        SynchronizedField("map_url"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkshopIndexPage(ListingPage):
    """The workshops of one language: upcoming first, past ones on their own tab."""

    subpage_types = ["workshops.WorkshopPage"]

    class Meta:
        verbose_name = _("workshop listing")

    def workshops(self):
        """The live workshops under this listing, with venue, district and seats taken."""

        return (
            public_pages(WorkshopPage.objects.child_of(self))
            .select_related("venue__district", "hero_image")
            .annotate(**WorkshopSeats.objects.annotation())
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(self, request))
        return context


class WorkshopPageForm(WagtailAdminPageForm):
    """Languages spoken at the workshop as check boxes (stored as a list of codes)."""

    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class WorkshopPage(HeroImageMixin, ParticipatoryBudgetWorkshopMixin, BasePage):
    """A workshop or meeting: when, where, in which languages, how many seats."""

    summary = models.TextField(_("summary"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"), help_text=_("Paris time."))
    ends_at = models.DateTimeField(_("ends at"), help_text=_("Paris time."))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (seats)"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    registration_open = models.BooleanField(
        _("registration open"),
        default=True,
        help_text=_("Untick to stop registrations (people can still call the team)."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Paris time. Empty: registrations close when the workshop starts."),
    )
    related_campaigns = ParentalManyToManyField(
        CampaignPage,
        verbose_name=_("related campaigns"),
        blank=True,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    base_form_class = WorkshopPageForm
    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(hero_image_panels(), heading=_("Image")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("venue"),
                FieldPanel("languages"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_open"), FieldPanel("registration_deadline")]
                ),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("related_campaigns"),
        FieldPanel("pb_edition"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("summary"),
        *HERO_IMAGE_TRANSLATION_FIELDS,
        SynchronizedField("pb_edition"),
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
        TranslatableField("venue"),
        SynchronizedField("languages"),
        SynchronizedField("capacity"),
        SynchronizedField("registration_open"),
        SynchronizedField("registration_deadline"),
        SynchronizedField("related_campaigns"),
        TranslatableField("body"),
    ]
    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types = []
    api_fields = [
        APIField("summary"),
        APIField("image", serializer=ImageField()),
        APIField("starts_at"),
        APIField("ends_at"),
        # the Participatory Budget edition this workshop prepares, or null
        APIField("pb_edition"),
        APIField("venue", serializer=ComputedField(lambda page, request: page.api_venue())),
        APIField(
            "languages",
            serializer=ComputedField(
                lambda page, request: [
                    {"code": code, "name": name}
                    for code, name in zip(page.languages or [], page.language_names, strict=True)
                ]
            ),
        ),
        APIField("capacity"),
        APIField("seats_left"),
        APIField("registration_state"),
        APIField("accepts_registrations"),
        APIField("closes_registrations_at", serializer=serializers.DateTimeField(read_only=True)),
        APIField(
            "calendar_url",
            serializer=ComputedField(
                lambda page, request: absolute(
                    request, reverse("workshops:workshop_ics", args=[page.pk])
                )
            ),
        ),
        APIField("related_campaigns", serializer=PageLinkField()),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A workshop must end after it starts.")
        if (
            self.registration_deadline
            and self.starts_at
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = _(
                "Registrations must close before the workshop starts."
            )
        unknown = set(self.languages or []) - set(SPOKEN_LANGUAGE_NAMES)
        if unknown:
            errors["languages"] = _("Unknown language.")
        if errors:
            raise ValidationError(errors)

    # The API (helpers/api.py, cocity/api.py)

    @classmethod
    def api_queryset(cls, queryset):
        """Listing of the API: venue, district and confirmed seats in the same query."""

        return with_image(
            queryset.select_related("venue", "venue__district")
            .prefetch_related("related_campaigns")
            .annotate(**WorkshopSeats.objects.annotation())
        )

    @classmethod
    def api_prefetch(cls, pages):
        prefetch_links(pages, ["related_campaigns"])

    def api_venue(self):
        venue = self.venue
        if venue is None:
            return None
        return {
            "name": venue.name,
            "address": venue.address,
            "district": {"code": venue.district.code, "name": venue.district.name}
            if venue.district_id
            else None,
            "access": venue.access,
            "accessibility": venue.accessibility,
            "map_url": venue.map_url or None,
        }

    # What visitors see

    @property
    def closes_registrations_at(self):
        return self.registration_deadline or self.starts_at

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    @property
    def language_names(self):
        return [SPOKEN_LANGUAGE_NAMES.get(code, code) for code in self.languages or []]

    @cached_property
    def seats_taken(self):
        """Confirmed seats: from the listing's annotation, else from the counter (1 query,
        once per instance)."""
        if hasattr(self, "taken_seats"):
            return self.taken_seats or 0

        return WorkshopSeats.objects.taken(self.translation_key)

    @property
    def seats_left(self):
        return max(self.capacity - self.seats_taken, 0)

    @property
    def registration_state(self):
        """ "open", "waitlist" (full: new registrations wait), "closed" (by staff),
        "deadline" (deadline passed) or "past"."""
        now = timezone.now()
        if self.ends_at <= now or self.starts_at <= now:
            return "past" if self.ends_at <= now else "deadline"
        if not self.registration_open:
            return "closed"
        if self.closes_registrations_at <= now:
            return "deadline"
        return "open" if self.seats_left > 0 else "waitlist"

    @property
    def accepts_registrations(self):
        return self.registration_state in ("open", "waitlist")

    def get_context(self, request, *args, **kwargs):
        # No registration form here: the page is the same for every visitor and may be
        # cached (cocity/page_cache.py); the form, with its CSRF token, is on the page's copy
        # at workshops:register (workshops/views.py).
        context = super().get_context(request, *args, **kwargs)
        campaigns = list(self.related_campaigns.order_by("title"))
        localized = localize_pages(campaigns)  # None for those the public may not see
        context["related_campaigns"] = [
            localized[campaign.pk] for campaign in campaigns if localized[campaign.pk]
        ]
        return context


class WorkshopSeatsQuerySet(models.QuerySet):
    def taken(self, workshop_key):
        """The confirmed seats of the workshop ``workshop_key`` (0 before any registration)."""
        seats = self.filter(workshop_key=workshop_key).values_list("taken", flat=True).first()
        return seats or 0

    def annotation(self):
        """For a workshop pages' ``annotate(**…)``: each page's confirmed seats
        (``taken_seats``), in the same query."""
        taken = self.filter(workshop_key=OuterRef("translation_key")).values("taken")
        return {"taken_seats": Subquery(taken[:1], output_field=models.PositiveIntegerField())}


class WorkshopSeats(models.Model):
    """One row per workshop (all its languages): confirmed seats and a lock.

    Registrations and cancellations of a workshop first update this row, which makes
    them wait for each other (a row lock on PostgreSQL, the write lock on SQLite): the
    room can never be overbooked, whatever the number of people clicking at once.
    """

    workshop_key = models.UUIDField(_("workshop"), unique=True)
    taken = models.PositiveIntegerField(_("confirmed seats"), default=0)
    version = models.PositiveBigIntegerField(default=0)

    objects = WorkshopSeatsQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop seats")
        verbose_name_plural = _("workshop seats")

    def __str__(self):
        return f"{self.workshop_key}: {self.taken}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationEmail(models.TextChoices):
    """The emails a registrant gets (workshops/tasks.py), a branch each of its templates
    (never shown as a choice: no label to translate)."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"  # a seat became free: now confirmed
    REMINDER = "reminder"  # the day before

    @property
    def status(self):
        """The registration's status this email is written for: sent only while it holds."""
        if self is RegistrationEmail.WAITLISTED:
            return RegistrationStatus.WAITLISTED
        return RegistrationStatus.CONFIRMED


class RegistrationSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone (staff)")


class Registration(models.Model):
    """A person (and up to four companions) registered for a workshop."""

    workshop_key = models.UUIDField(_("workshop"), db_index=True)
    workshop = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("workshop page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page in the language the person registered on."),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS_PER_REGISTRATION)]
    )
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=RegistrationSource.choices,
        default=RegistrationSource.ONLINE,
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The reminder before the workshop (workshops/reminders.py): set when it is queued, once.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["workshop_key", "status", "created_at"])]
        permissions = [("view_registrant_details", _("Can see registrants' contact details"))]

    def __str__(self):
        return f"{self.name} ({self.seats})"
