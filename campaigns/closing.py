"""Closing a campaign: its result stored once, leaders and donors told, refunds when an
all-or-nothing campaign fails (docs/operations.md, "Closing and refunds").

``CampaignClosing`` is written once per campaign (its translation key) when its closing time
has passed: from then on the campaign's status reads the stored result, never the dates.
Each step records when it finished; ``ClosingEmail`` records each address told, so that a
run killed half-way and started again does each thing exactly once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.models import Dispute, DisputeStatus, Donation, DonationSource, DonationStatus


class ClosingResult(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Not funded")
    CLOSED = "closed", _("Closed")


class CampaignClosing(models.Model):
    """A campaign's result, stored when it closed, and how far its closing has gone."""

    campaign_key = models.UUIDField(_("campaign"), unique=True)
    closes_at = models.DateTimeField(_("closing time"))
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)
    result = models.CharField(_("result"), max_length=12, choices=ClosingResult.choices)
    funding_rule = models.CharField(_("funding rule"), max_length=20)
    goal_cents = models.PositiveIntegerField(_("goal (cents)"))
    threshold_cents = models.PositiveIntegerField(_("success threshold (cents)"))
    raised_by_close_cents = models.BigIntegerField(_("raised by the closing time (cents)"))
    leaders_told_at = models.DateTimeField(_("leaders told"), null=True, blank=True)
    donors_told_at = models.DateTimeField(_("donors told"), null=True, blank=True)
    refunds_asked_at = models.DateTimeField(_("every refund asked"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign closing")
        verbose_name_plural = _("campaign closings")
        ordering = ["-closes_at", "-pk"]

    def __str__(self):
        return f"{self.campaign_key}: {self.get_result_display()}"


class ClosingEmail(models.Model):
    """One address told of a campaign's closing (a leader or a donor who asked for news)."""

    class Audience(models.TextChoices):
        LEADER = "leader", _("Project leader")
        DONOR = "donor", _("Donor")

    closing = models.ForeignKey(CampaignClosing, on_delete=models.CASCADE, related_name="emails")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("closing email")
        constraints = [
            models.UniqueConstraint(
                fields=["closing", "audience", "email"], name="closing_email_once_per_address"
            )
        ]

    def __str__(self):
        return f"{self.closing_id} → {self.email}"


ALL_OR_NOTHING = "all_or_nothing"  # FundingRule.ALL_OR_NOTHING (models.py imports this module)


def result_of(funding_rule, raised_by_close_cents, threshold_cents):
    """The ClosingResult of a campaign that raised ``raised_by_close_cents`` by its closing
    time: succeeded from its threshold, else failed (all or nothing) or closed (keep it all)."""
    if raised_by_close_cents >= threshold_cents:
        return ClosingResult.SUCCEEDED
    if funding_rule == ALL_OR_NOTHING:
        return ClosingResult.FAILED
    return ClosingResult.CLOSED


def threshold_percent(closing):
    """The success threshold of a stored closing as a percentage of its goal (e.g. 80)."""
    return round(closing.threshold_cents * 100 / closing.goal_cents) if closing.goal_cents else 0


def closing_of(campaign_key):
    """The stored CampaignClosing of the campaign ``campaign_key`` (its translation key), or
    None while it has not been closed."""
    return CampaignClosing.objects.filter(campaign_key=campaign_key).first()


def closing_id(key_field="translation_key"):
    """A Subquery giving the primary key of each campaign's stored CampaignClosing (None
    while not closed)."""
    rows = CampaignClosing.objects.filter(campaign_key=models.OuterRef(key_field))
    return models.Subquery(rows.values("pk")[:1])


def stored_result(key_field="translation_key"):
    """A Subquery giving the stored result of each campaign of a queryset of pages (None
    while not closed): listings annotate it so that no card reads its closing alone."""
    rows = CampaignClosing.objects.filter(campaign_key=models.OuterRef(key_field))
    return models.Subquery(rows.values("result")[:1])


def has_result(result, key_field="translation_key"):
    """An Exists() expression: the campaign was closed with ``result`` (a ClosingResult or a
    list of them)."""
    results = result if isinstance(result, (list, tuple, set)) else [result]
    return models.Exists(
        CampaignClosing.objects.filter(campaign_key=models.OuterRef(key_field), result__in=results)
    )


def is_closed(key_field="translation_key"):
    return models.Exists(CampaignClosing.objects.filter(campaign_key=models.OuterRef(key_field)))


def refund_due_keys():
    """The keys of the campaigns whose gifts must be given back: closed as failed under the
    all-or-nothing rule (registered with donations.returns for the staff's list of offline
    gifts to give back, see campaigns/apps.py)."""
    return list(
        CampaignClosing.objects.filter(
            result=ClosingResult.FAILED, funding_rule=ALL_OR_NOTHING
        ).values_list("campaign_key", flat=True)
    )


def refund_progress(campaign_key):
    """How far the money of a failed all-or-nothing campaign has been given back, in one
    query: {"online": gifts paid online, "online_refunded": of which refunded (or taken
    back by a lost dispute), "offline": gifts recorded by staff, "offline_returned": of
    which given back}."""
    counted = models.Q(status__in=[DonationStatus.PAID, DonationStatus.REFUNDED]) & models.Q(
        paid_at__isnull=False
    )
    # a lost dispute gave the money back through the cardholder's bank
    lost = Dispute.objects.filter(donation=models.OuterRef("pk"), status=DisputeStatus.LOST)
    refunded = models.Q(status=DonationStatus.REFUNDED) | models.Q(models.Exists(lost))
    online = models.Q(source=DonationSource.ONLINE)
    offline = models.Q(source=DonationSource.OFFLINE)
    return Donation.objects.filter(counted, campaign_key=campaign_key).aggregate(
        online=models.Count("pk", filter=online),
        online_refunded=models.Count("pk", filter=online & refunded),
        offline=models.Count("pk", filter=offline),
        offline_returned=models.Count(
            "pk", filter=offline & (refunded | models.Q(returned_on__isnull=False))
        ),
    )


def close_due_campaigns(now=None):
    """Queue the closing of every campaign whose closing time has passed and whose closing
    is not finished (see campaigns/tasks.py); returns their keys. ``manage.py
    close_campaigns`` calls it from cron."""
    # campaigns.tasks imports the models, which import this module
    from .tasks import close_due_campaigns as queue  # noqa: PLC0415

    return queue(now)
