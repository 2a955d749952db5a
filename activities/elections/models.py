"""An election (换届选举): the meeting that elects a branch committee, its figures, its candidates
and the approval of the level above. It names the meeting and the term it opened by string, so
this module imports nothing of `activities.models` (which imports it, to register the models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import ScopedQuerySet
from committees.models import Position


class ElectionQuerySet(ScopedQuerySet):
    scope_organization_prefix = "meeting__organization__"


class CandidateQuerySet(ScopedQuerySet):
    scope_organization_prefix = "election__meeting__organization__"


class Election(models.Model):
    """The record of an election, written once by `activities.elections.services.record_election`
    when the level above has approved it; the new committee term opens with it."""

    meeting = models.OneToOneField(
        "activities.Meeting",
        on_delete=models.PROTECT,
        related_name="election",
        verbose_name=_("meeting"),
    )
    term = models.OneToOneField(
        "committees.CommitteeTerm",
        on_delete=models.PROTECT,
        related_name="election",
        verbose_name=_("committee term"),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    entitled = models.PositiveIntegerField(_("voters entitled"))
    present = models.PositiveIntegerField(_("voters present"))
    ballots_cast = models.PositiveIntegerField(_("ballots cast"))
    ballots_valid = models.PositiveIntegerField(_("valid ballots"))
    ballots_invalid = models.PositiveIntegerField(_("invalid ballots"))
    first_meeting_on = models.DateField(_("committee's first meeting on"))
    approved_by = models.CharField(_("approved by"), max_length=100)
    approved_on = models.DateField(_("approved on"))
    approval_reference = models.CharField(_("approval document number"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-approved_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="election_seats_positive", condition=Q(seats__gte=1)),
            models.CheckConstraint(
                name="election_present_within_entitled", condition=Q(present__lte=F("entitled"))
            ),
            models.CheckConstraint(
                name="election_ballots_within_present", condition=Q(ballots_cast__lte=F("present"))
            ),
            models.CheckConstraint(
                name="election_ballots_add_up",
                condition=Q(ballots_cast=F("ballots_valid") + F("ballots_invalid")),
            ),
            models.CheckConstraint(
                name="election_approved_after_first_meeting",
                condition=Q(approved_on__gte=F("first_meeting_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.organization} {self.meeting.held_on}"


class ElectionCandidate(models.Model):
    """A candidate on the ballot, the votes they received, and (if elected) their position."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("election")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="election_candidacies",
        verbose_name=_("member"),
    )
    member_name = models.CharField(_("name"), max_length=50)
    votes = models.PositiveIntegerField(_("votes"))
    elected = models.BooleanField(_("elected"), default=False)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "-votes", "member_name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="election_candidate_once"),
            models.CheckConstraint(
                name="election_position_only_if_elected",
                condition=Q(elected=True) | Q(position=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} {self.votes}"
