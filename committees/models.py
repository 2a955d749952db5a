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
from committees.querysets import (
    CommitteePositionQuerySet,
    CommitteeTermQuerySet,
    TermExtensionQuerySet,
    TermLengthRuleQuerySet,
)
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


class RuleKind(models.TextChoices):
    COMMITTEE = "committee", _("Grassroots party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")


class TermLengthRule(models.Model):
    """One row of the dated table of term lengths (RULES.md; 党章, 任期意见): from
    `effective_from`, a kind of committee in or outside a community or village serves `years`.

    Rows without a sub-district are the defaults seeded from the rules; a sub-district's own row
    with the same day, kind and column replaces the default for it (an inactive one switches the
    default off). The rule of a term is the one in force on the day the term began
    (`committees.rules.term_rule`)."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="term_length_rules",
        verbose_name=_("sub-district"),
        help_text=_("Empty: the default for every sub-district."),
    )
    effective_from = models.DateField(_("in force from"))
    kind = models.CharField(_("kind of committee"), max_length=20, choices=RuleKind.choices)
    in_community = models.BooleanField(
        _("in communities and villages"),
        default=False,
        help_text=_("The column for organisations in 社区 and 村; the other column otherwise."),
    )
    years = models.PositiveSmallIntegerField(_("term in years"))
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "A rule still to be confirmed stays inactive until the sub-district confirms it."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = TermLengthRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("term-length rule")
        verbose_name_plural = _("term-length rules")
        ordering = ["sub_district", "-effective_from", "kind", "in_community"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "effective_from", "kind", "in_community"],
                condition=Q(sub_district__isnull=False),
                name="term_rule_unique_local",
            ),
            models.UniqueConstraint(
                fields=["effective_from", "kind", "in_community"],
                condition=Q(sub_district__isnull=True),
                name="term_rule_unique_default",
            ),
            models.CheckConstraint(
                name="term_rule_years_1_to_5", condition=Q(years__gte=1, years__lte=5)
            ),
        ]

    def __str__(self) -> str:
        column = _("community/village") if self.in_community else _("others")
        return f"{self.effective_from} {self.get_kind_display()} ({column}): {self.years}"


class TermExtension(models.Model):
    """An extension of a term approved by the level above (任期意见: at most one year in all):
    it moves the term's planned end from `previous_end_on` to `extended_to`."""

    term = models.ForeignKey(
        CommitteeTerm, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("term")
    )
    previous_end_on = models.DateField(_("planned end before"))
    extended_to = models.DateField(_("extended to"))
    approved_by = models.CharField(_("approved by"), max_length=100)
    approved_on = models.DateField(_("approved on"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TermExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("term extension")
        verbose_name_plural = _("term extensions")
        ordering = ["term", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="term_extension_moves_forward",
                condition=Q(extended_to__gt=F("previous_end_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.extended_to}"
