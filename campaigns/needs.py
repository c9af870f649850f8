"""Ways to help a campaign besides money: its needs (tasks, things to lend or give) and the
offers of help residents make.

A campaign exists once per language; its needs belong to the campaign in all its languages
(``campaign_key``: the pages' translation_key, as gifts and workshop registrations are keyed).
A need is written once, by staff or one of the campaign's leaders, in the language they write
in (``language``): the page of another language shows it as it is, marked with its language.

A need's row is also its lock: every change to its places goes through campaigns/offers.py,
which first updates this row, so two offers never take the same last place.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpers.i18n import content_language

# Sent once an offer made online is saved (``offer=``): the leaders' space tells the leaders.
offer_made = Signal()

MAX_PEOPLE_PER_OFFER = 5
MAX_THINGS_PER_OFFER = 20


class NeedKind(models.TextChoices):
    TASK = "task", _("A task (people to help)")
    THING = "thing", _("Something to lend or give")


class OfferStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone (staff)")
    SPACE = "space", _("Added by a project leader")


class OfferEmail(models.TextChoices):
    """The emails a helper gets (campaigns/help_tasks.py), a branch each of its template."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"  # a place became free: now confirmed

    @property
    def status(self):
        """The offer's status this email is written for: sent only while it holds."""
        if self is OfferEmail.WAITLISTED:
            return OfferStatus.WAITLISTED
        return OfferStatus.CONFIRMED


class NeedQuerySet(models.QuerySet):
    def of(self, campaign_key):
        return self.filter(campaign_key=campaign_key)

    def with_counts(self):
        """Each need with ``waiting`` (offers on its waiting list) in the same query."""
        waiting = (
            HelpOffer.objects.filter(need=OuterRef("pk"), status=OfferStatus.WAITLISTED)
            .order_by()
            .values("need")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waiting=Coalesce(Subquery(waiting[:1], output_field=models.IntegerField()), 0)
        )

    def taking_offers(self, now=None):
        """Open, and their date (if any) not come yet (at ``now``): full ones still take
        offers (they wait)."""
        return self.filter(is_open=True).filter(
            Q(starts_at__isnull=True) | Q(starts_at__gt=now or timezone.now())
        )

    def shown(self):
        """The needs shown on the campaign page: those taking offers first, in their order;
        a closed or past need only if someone answered it (a record of the help given)."""
        taking = Q(is_open=True) & (Q(starts_at__isnull=True) | Q(starts_at__gt=timezone.now()))
        return (
            self.filter(taking | Q(taken__gt=0))
            .with_counts()
            .annotate(taking=models.ExpressionWrapper(taking, output_field=models.BooleanField()))
            .order_by("-taking", "sort_order", "pk")
        )


class Need(models.Model):
    """What a project needs besides money: people for a task, or something to lend or give."""

    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NeedKind.choices)
    title = models.CharField(
        _("what"),
        max_length=150,
        help_text=_("E.g. “Build the planters”, “Lend a drill”, “A room for 20 people”."),
    )
    description = models.TextField(_("details"), blank=True, max_length=800)
    language = models.CharField(
        _("written in"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language of the title and details: readers of other languages see it."),
    )
    starts_at = models.DateTimeField(
        _("when"),
        null=True,
        blank=True,
        help_text=_("Paris time. Empty: whenever suits. Offers close when it starts."),
    )
    place = models.CharField(_("where"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours per person"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
        help_text=_("For a task: how long it takes each person (counted as hours offered)."),
    )
    wanted = models.PositiveSmallIntegerField(
        _("how many"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("People for a task, items for a thing. Offers beyond it wait on a list."),
    )
    taken = models.PositiveIntegerField(_("confirmed"), default=0)
    is_open = models.BooleanField(
        _("taking offers"),
        default=True,
        help_text=_("Untick when the project no longer needs it (people can still call)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["sort_order", "pk"]
        permissions = [("view_helper_details", _("Can see helpers' contact details"))]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == NeedKind.THING and self.hours:
            raise ValidationError({"hours": _("Hours are counted for tasks only.")})

    @property
    def written_in(self):
        """The language the need is written in (its lang/dir and name)."""
        return content_language(self.language)

    @property
    def places_left(self):
        return max(self.wanted - self.taken, 0)

    @property
    def is_full(self):
        return self.taken >= self.wanted

    @property
    def is_past(self):
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def state(self):
        """ "open", "waitlist" (full: new offers wait), "closed" (by staff or a leader) or
        "past" (its date has come)."""
        if self.is_past:
            return "past"
        if not self.is_open:
            return "closed"
        return "waitlist" if self.is_full else "open"

    @property
    def accepts_offers(self):
        return self.state in ("open", "waitlist")

    @property
    def max_per_offer(self):
        return MAX_PEOPLE_PER_OFFER if self.kind == NeedKind.TASK else MAX_THINGS_PER_OFFER

    @property
    def percent_filled(self):
        return min(100, round(100 * self.taken / self.wanted)) if self.wanted else 0


class HelpOfferQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=OfferStatus.CONFIRMED)

    def waiting(self, need_id):
        """The waiting list of a need, first come first."""
        return self.filter(need_id=need_id, status=OfferStatus.WAITLISTED).order_by(
            "created_at", "pk"
        )


class HelpOffer(models.Model):
    """A resident's offer: to come and help (with up to four others), or to lend or give."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="offers"
    )
    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES)
    quantity = models.PositiveSmallIntegerField(
        _("how many"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THINGS_PER_OFFER)],
        default=1,
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=OfferSource.choices, default=OfferSource.ONLINE
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = HelpOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["need", "status", "created_at"])]

    def __str__(self):
        # after erasure (campaigns/help_personal_data.py) the name is blank: the number then
        return f"{self.name or f'#{self.pk}'} ({self.quantity})"


class HelpFigures:
    """What a campaign (or all campaigns) received besides money: people who help, hours
    offered, things lent or given. Confirmed offers only; no personal data leaves here."""

    def __init__(self, people=0, hours=Decimal(0), things=0):
        self.people = people
        self.hours = hours
        self.things = things

    def __bool__(self):
        return bool(self.people)

    def __eq__(self, other):
        return isinstance(other, HelpFigures) and self.as_dict() == other.as_dict()

    def __repr__(self):
        return f"HelpFigures({self.as_dict()})"

    @property
    def hours_text(self):
        """Hours without a useless ".0"."""
        hours = self.hours.quantize(Decimal("0.1"))
        return str(hours.normalize()) if hours == hours.to_integral() else str(hours)

    def as_dict(self):
        return {"people": self.people, "hours": float(self.hours), "things": self.things}

    @classmethod
    def of(cls, campaign_keys=None):
        """{campaign_key: HelpFigures} (``campaign_keys``: those campaigns; None: all), in
        two queries.

        People: a person helps once however many needs they answered (found by email, else
        phone, else counted once per offer), with the people who come with them on a task.
        Hours: people × hours per person of each task. Things: items lent or given."""
        offers = HelpOffer.objects.confirmed()
        if campaign_keys is not None:
            offers = offers.filter(campaign_key__in=list(campaign_keys))
        rows = offers.values_list(
            "pk", "campaign_key", "email", "phone", "quantity", "need__kind", "need__hours"
        )
        found = {}
        people = {}
        for pk, key, email, phone, quantity, kind, hours in rows.order_by():
            figures = found.setdefault(key, cls())
            person = email.lower() or "".join(c for c in phone if c.isdigit()) or f"#{pk}"
            companions = quantity if kind == NeedKind.TASK else 1
            seen = people.setdefault(key, {})
            seen[person] = max(seen.get(person, 0), companions)
            if kind == NeedKind.TASK:
                figures.hours += quantity * (hours or 0)
            else:
                figures.things += quantity
        for key, seen in people.items():
            found[key].people = sum(seen.values())
        return found

    @classmethod
    def for_campaign(cls, campaign_key):
        return cls.of([campaign_key]).get(campaign_key, cls())

    @classmethod
    def total(cls):
        total = cls()
        for figures in cls.of().values():
            total.people += figures.people
            total.hours += figures.hours
            total.things += figures.things
        return total


def needs_summary(campaign_keys):
    """{campaign_key: (open needs, needs)} for listings and open data, in one query."""
    rows = (
        Need.objects.filter(campaign_key__in=list(campaign_keys))
        .order_by()
        .values("campaign_key")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
        .values_list("campaign_key", "open", "total")
    )
    return {key: (open_, total) for key, open_, total in rows}


def confirmed_quantity(need_id):
    return (
        HelpOffer.objects.confirmed()
        .filter(need_id=need_id)
        .aggregate(n=Coalesce(Sum("quantity"), 0))["n"]
    )
