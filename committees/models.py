"""Branch committees: terms and the positions members hold in them.

The models moved here from `branches` and keep their tables (`Meta.db_table`): see
docs/architecture.md, "Moving models between apps".
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.dated import DatedRow, DatedSpan, span_constraints
from branches.models import Organization
from committees.querysets import CommitteePositionQuerySet, CommitteeTermQuerySet
from members.models import Member


class CommitteeTerm(DatedRow):
    """One term of an organisation's committee, from election to the next (换届).

    A dated row (`accounts/dated.py`) whose two days keep the labels an election gives them, and
    whose guards (`span_constraints`) keep the names they were created with.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="committee_terms",
        verbose_name=_("organisation"),
    )
    started_on = models.DateField(_("elected on"))
    planned_end_on = models.DateField(_("term ends on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommitteeTermQuerySet.as_manager()

    class Meta:
        db_table = "branches_committeeterm"
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["organization", "-started_on"]
        constraints = [
            models.CheckConstraint(
                name="committee_term_end_after_start",
                condition=Q(planned_end_on__gt=F("started_on")),
            ),
            *span_constraints(
                "committee_term",
                open_per=["organization"],
                in_order_name="committee_term_ended_after_start",
                one_open_name="committee_one_current_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.started_on:%Y}–{self.planned_end_on:%Y}"


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANISATION = "organisation", _("Organisation member")
    PUBLICITY = "publicity", _("Publicity member")
    DISCIPLINE = "discipline", _("Discipline member")
    MEMBER = "member", _("Committee member")


class CommitteePosition(DatedSpan):
    """A member holding a position in a term (`started_on` … `ended_on`, `accounts/dated.py`);
    ended early when they step down (`close_span`), and with the term when the next one starts.

    Its guards are its own (one open position per member and term, one secretary at a time);
    the table has never had the in-order check of `span_constraints`: adding it is a schema
    change for a migration of its own, after checking the rows (a position appointed from a day
    after the next election is ended with its term on that election day, before it began)."""

    term = models.ForeignKey(
        CommitteeTerm, on_delete=models.CASCADE, related_name="positions", verbose_name=_("term")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="committee_positions",
        verbose_name=_("member"),
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)

    objects = CommitteePositionQuerySet.as_manager()

    class Meta:
        db_table = "branches_committeeposition"
        verbose_name = _("committee position")
        verbose_name_plural = _("committee positions")
        ordering = ["term", "position", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(position="secretary", ended_on__isnull=True),
                name="committee_one_secretary",
            ),
            models.UniqueConstraint(
                fields=["term", "member"],
                condition=Q(ended_on__isnull=True),
                name="committee_one_position_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.member}"


class TermReminder(models.Model):
    """A reminder that a term is ending, sent once per term and lead time (90 and 30 days)."""

    term = models.ForeignKey(CommitteeTerm, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "branches_termreminder"
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        constraints = [
            models.UniqueConstraint(fields=["term", "days_before"], name="term_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.term} −{self.days_before}"
