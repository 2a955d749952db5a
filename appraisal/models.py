"""Democratic appraisal of members (民主评议党员): a yearly campaign per branch.

Ballot secrecy is kept by the tables themselves: `Turnout` says who voted (one row per voter
and campaign, so a second ballot is refused by the database), `Vote` holds the grades with no
voter, no timestamp and a random key, so no column joins a voter to a grade. Paper ballots are
kept as counts (`PaperTally`) entered by the secretary.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appraisal.querysets import (
    CampaignQuerySet,
    FollowUpQuerySet,
    ParticipantQuerySet,
    SettingsQuerySet,
)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class AppraisalSettings(models.Model):
    """The local figures of appraisal for one sub-district (RULES.md: "local")."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="appraisal_settings",
        verbose_name=_("sub-district"),
    )
    excellent_numerator = models.PositiveSmallIntegerField(
        _("share of excellent: numerator"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    excellent_denominator = models.PositiveSmallIntegerField(
        _("share of excellent: denominator"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("At most numerator/denominator of those graded may be excellent (1/3)."),
    )
    rectification_months = models.PositiveSmallIntegerField(
        _("rectification period for unqualified (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")
        constraints = [
            models.CheckConstraint(
                name="appraisal_settings_share_at_most_one",
                condition=Q(excellent_numerator__lte=F("excellent_denominator"))
                & Q(excellent_denominator__gte=1),
            )
        ]

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> AppraisalSettings:
        """The sub-district's settings, or the defaults (unsaved) when it never changed them."""
        found = cls.objects.filter(sub_district_id=sub_district_id).first()
        return found or cls(sub_district_id=sub_district_id)


class Campaign(models.Model):
    """One branch's appraisal of one year, with the window in which ballots are cast."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="appraisal_campaigns",
        verbose_name=_("branch"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("voting opens on"))
    closes_on = models.DateField(_("voting closes on"))
    paper_ballots = models.PositiveIntegerField(
        _("paper ballots cast"), null=True, blank=True, editable=False
    )
    proposed_on = models.DateField(_("committee proposed on"), null=True, blank=True)
    decided_on = models.DateField(_("general meeting decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal campaign")
        verbose_name_plural = _("appraisal campaigns")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="appraisal_one_campaign_per_year"
            ),
            models.CheckConstraint(
                name="appraisal_window_in_order", condition=Q(closes_on__gte=F("opens_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None


class Participant(models.Model):
    """A member taking part in a campaign, as they stood when it opened: full members are graded
    (and vote unless under 留党察看), 预备党员 take part with no grade and no vote."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="participants", verbose_name=_("campaign")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="appraisals",
        verbose_name=_("member"),
    )
    is_graded = models.BooleanField(_("graded"))
    can_vote = models.BooleanField(_("votes"))
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    proposed_grade = models.CharField(
        _("committee's proposed grade"), max_length=20, choices=Grade.choices, blank=True
    )
    final_grade = models.CharField(
        _("grade decided"), max_length=20, choices=Grade.choices, blank=True
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal participant")
        verbose_name_plural = _("appraisal participants")
        ordering = ["campaign", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"], name="appraisal_participant_once"
            ),
            models.CheckConstraint(
                name="appraisal_ungraded_has_no_grade",
                condition=Q(is_graded=True) | (Q(proposed_grade="") & Q(final_grade="")),
            ),
            models.CheckConstraint(
                name="appraisal_voter_is_graded", condition=Q(can_vote=False) | Q(is_graded=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.member}"


class Turnout(models.Model):
    """That a member voted online in a campaign, and nothing of what they voted. Its key is random
    and it has no timestamp, so neither its order nor its time lines it up with `Vote` rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="turnout", verbose_name=_("campaign")
    )
    voter = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("voter")
    )

    class Meta:
        verbose_name = _("appraisal turnout")
        verbose_name_plural = _("appraisal turnout")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "voter"], name="appraisal_one_ballot"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.voter}"


class Vote(models.Model):
    """One grade given to one participant on one secret ballot: no voter, no time, random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="votes", verbose_name=_("campaign")
    )
    appraisee = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", verbose_name=_("appraisee")
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)

    class Meta:
        verbose_name = _("appraisal vote")
        verbose_name_plural = _("appraisal votes")
        indexes = [models.Index(fields=["campaign", "appraisee", "grade"])]

    def __str__(self) -> str:
        return self.get_grade_display()


class PaperTally(models.Model):
    """The count of paper ballots giving `grade` to one participant, entered by the secretary."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="paper_tallies", verbose_name=_("campaign")
    )
    appraisee = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="paper_tallies",
        verbose_name=_("appraisee"),
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    count = models.PositiveIntegerField(_("ballots"))

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["appraisee", "grade"], name="appraisal_paper_tally_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisee} · {self.get_grade_display()} · {self.count}"


class FollowUp(models.Model):
    """The branch's handling of a member graded 不合格: rectification until `deadline`, then the
    general meeting decides (`outcome`)."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("member"),
    )
    deadline = models.DateField(_("rectification deadline"))
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("unqualified follow-up")
        verbose_name_plural = _("unqualified follow-ups")
        ordering = ["deadline"]

    def __str__(self) -> str:
        return f"{self.participant} · {self.deadline}"


class VoterReminderKind(models.TextChoices):
    OPENED = "opened", _("Voting opened")
    CLOSING = "closing", _("Voting closes soon")


class VoterReminder(models.Model):
    """The claim that a member was told of a campaign's ballot (voting opened, or closes
    tomorrow and they have not voted): one row each, so every notice goes out once. It says
    that a member had not voted online by a day, which the turnout list shows the secretary
    anyway, and nothing of any grade."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    kind = models.CharField(_("notice"), max_length=10, choices=VoterReminderKind.choices)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appraisal ballot reminder")
        verbose_name_plural = _("appraisal ballot reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member", "kind"], name="appraisal_voter_reminded_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.member_id} · {self.kind}"
