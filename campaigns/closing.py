"""Closing a campaign: its result stored once, leaders and donors told, refunds when an
all-or-nothing campaign fails (docs/operations.md, "Closing").

``CampaignClosing`` is written once per campaign (its translation key) when its closing time
has passed: from then on the campaign's status reads the stored result, never the dates.
Each step records when it finished; ``ClosingEmail`` records each address told, so that a
run killed half-way and started again does each thing exactly once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
