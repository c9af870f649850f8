"""Project proposals: a leader (from their space) or a resident (from a public form, with an
email or a phone number) proposes a project; staff triage it in the admin (proposal_admin.py).
Accepting one creates a draft campaign page the leader then fills in (proposal_actions.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import District
from helpers.money import format_money


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalSource(models.TextChoices):
    SPACE = "space", _("A leader, from their space")
    PUBLIC = "public", _("A resident, from the public form")
    STAFF = "staff", _("Entered by the team (phone, workshop…)")


class ProposalQuerySet(models.QuerySet):
    def of_leader(self, user):
        """The proposals ``user`` made or was linked to, newest first."""
        return self.filter(leader=user).select_related("district", "campaign").order_by("-pk")


class Proposal(models.Model):
    """A project someone would like to crowdfund, and what the team decided about it."""

    title = models.CharField(_("project title"), max_length=120)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: another place, or the proposer does not know."),
    )
    purpose = models.TextField(_("what it is for"), max_length=3000)
    budget_cents = models.PositiveIntegerField(_("rough budget (cents)"))
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    other_languages = models.CharField(_("other languages spoken"), max_length=200, blank=True)

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language for our messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)
    source = models.CharField(
        _("came from"), max_length=10, choices=ProposalSource.choices, default=ProposalSource.STAFF
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    decline_message = models.TextField(
        _("message to the proposer"),
        blank=True,
        max_length=3000,
        help_text=_("Required to decline: emailed to the proposer in their language."),
    )
    campaign = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("draft campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("received on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def budget_display(self):
        return format_money(self.budget_cents)

    def languages_display(self):
        """The languages spoken, named in the active language, then the free text."""
        names = dict(settings.LANGUAGES)
        spoken = [str(names[code]) for code in self.languages if code in names]
        if self.other_languages:
            spoken.append(self.other_languages)
        return ", ".join(spoken)
