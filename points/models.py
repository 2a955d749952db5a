"""Member points (党员积分) and star ratings (星级党员 / 支部创星).

Every point is derived from a record the portal already holds: the dated rule table says what an
event is worth in a sub-district from a given day, and the ledger (`PointEntry`) holds one row per
(member, rule, source record), written only by recomputation (`points.services.recompute`). The
only rows a person types are manual awards (with a reason and an approver who is not the member),
approvals of entries whose rule needs one, and the score the level above gives a branch.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from activities.models import AttendanceStatus, MeetingKind
from appraisal.models import Grade
from points.querysets import (
    BranchScoreQuerySet,
    EntryApprovalQuerySet,
    ManualAwardQuerySet,
    PointEntryQuerySet,
    PointRuleQuerySet,
    PointsSettingsQuerySet,
)


def appraisal_event(grade: str) -> str:
    return f"appraisal.{grade}"


def attendance_event(kind: str, status: str) -> str:
    return f"attendance.{kind}.{status}"


def _event_choices() -> list[tuple[str, object]]:
    choices: list[tuple[str, object]] = [("base", _("Yearly base"))]
    for kind, kind_label in MeetingKind.choices:
        for status, status_label in AttendanceStatus.choices:
            label = _("absent without leave") if status == AttendanceStatus.ABSENT else status_label
            choices.append(
                (attendance_event(kind, status), format_lazy("{} · {}", kind_label, label))
            )
    choices += [
        ("make_up_done", _("Make-up study done")),
        ("make_up_overdue", _("Make-up study not done in time")),
        ("volunteer_hours", _("Volunteer service (credit hours)")),
        ("community_service", _("In-service community service (reviewed)")),
        ("wish_fulfilled", _("Small wish fulfilled")),
        ("good_deed", _("Good deed")),
        ("dues_on_time", _("Dues paid on time (a month)")),
        ("dues_three_months_late", _("Dues three months late (a month)")),
        ("manual_award", _("Manual award")),
        ("manual_deduction", _("Manual deduction")),
    ]
    # The grade the branch general meeting decided in the year's democratic appraisal. RULES.md
    # gives no figures: each grade's rule is seeded at 0 points (no entry) for a sub-district to
    # set.
    for grade, grade_label in Grade.choices:
        choices.append(
            (appraisal_event(grade), format_lazy("{} · {}", _("Democratic appraisal"), grade_label))
        )
    return choices


EVENT_CHOICES = _event_choices()
EVENT_LABELS = dict(EVENT_CHOICES)


class PointRule(models.Model):
    """What an event is worth in a sub-district from `valid_from` until the next row of the same
    event (a rule changed in June applies from June; the months before keep the old figure).

    `points` is per unit of the source's quantity (an attendance, an hour, an award point);
    caps bound the total of the event's entries per member and month / year (in absolute value,
    so a cap on a deduction bounds what it takes); `needs_approval` makes each entry count only
    once a person approved it."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="point_rules",
        verbose_name=_("sub-district"),
    )
    event = models.CharField(_("event"), max_length=50, choices=EVENT_CHOICES)
    valid_from = models.DateField(_("in force from"))
    points = models.DecimalField(_("points per unit"), max_digits=6, decimal_places=1)
    cap_month = models.DecimalField(
        _("cap per month"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    cap_year = models.DecimalField(
        _("cap per year"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["sub_district", "event", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "event", "valid_from"], name="point_rule_once_a_day"
            ),
            models.CheckConstraint(
                name="point_rule_caps_positive",
                condition=(Q(cap_month__isnull=True) | Q(cap_month__gte=0))
                & (Q(cap_year__isnull=True) | Q(cap_year__gte=0)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.points:+} ({self.valid_from})"


class PointsSettings(models.Model):
    """The star thresholds of a sub-district (RULES.md: local figures are settings). A member's
    stars come from the year's total; a branch's from its members' average plus the score the
    level above gives."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="points_settings",
        verbose_name=_("sub-district"),
    )
    member_star_thresholds = models.JSONField(
        _("member star thresholds"),
        default=list,
        blank=True,
        help_text=_("Year totals for one to five stars, ascending; empty: the defaults."),
    )
    branch_star_thresholds = models.JSONField(
        _("branch star thresholds"),
        default=list,
        blank=True,
        help_text=_("Branch ratings for one to five stars, ascending; empty: the defaults."),
    )
    show_rank_to_members = models.BooleanField(_("show members their rank"), default=True)
    public_top_members = models.PositiveSmallIntegerField(
        _("top members named on the resident site"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "How many of a month's top members the resident site's honour roll names (names and "
            "branches only, no points); 0: the sub-district is not shown."
        ),
    )

    objects = PointsSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("points settings")
        verbose_name_plural = _("points settings")

    def __str__(self) -> str:
        return str(self.sub_district)

    def member_thresholds(self) -> list[Decimal]:
        return [Decimal(str(x)) for x in self.member_star_thresholds] or [
            Decimal(str(x)) for x in settings.POINTS_MEMBER_STAR_THRESHOLDS
        ]

    def branch_thresholds(self) -> list[Decimal]:
        return [Decimal(str(x)) for x in self.branch_star_thresholds] or [
            Decimal(str(x)) for x in settings.POINTS_BRANCH_STAR_THRESHOLDS
        ]


class PointEntry(models.Model):
    """One line of the ledger: a member's points for one source record under one rule.

    Written only by `recompute_points`; `source_kind` names the registry's source
    (`points.sources`) and `source_id` the record (for attendance and make-up study, the meeting:
    the member is part of the key), `link_pk` the row whose page shows it."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="point_entries",
        verbose_name=_("party member"),
        db_index=False,  # the unique constraint and the index below begin with it
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("branch"),
        db_index=False,
    )
    rule = models.ForeignKey(
        PointRule, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rule")
    )
    event = models.CharField(_("event"), max_length=50, choices=EVENT_CHOICES)
    source_kind = models.CharField(_("source"), max_length=30)
    source_id = models.BigIntegerField(_("source record"))
    link_pk = models.BigIntegerField(_("linked record"))
    day = models.DateField(_("counts for"))
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    raw_points = models.DecimalField(_("points before caps"), max_digits=8, decimal_places=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=1)
    approved = models.BooleanField(_("counts"), default=True)
    title = models.CharField(_("source"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["member", "-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "rule", "source_kind", "source_id"],
                name="point_entry_once_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "day"], name="point_entry_branch_day"),
            models.Index(fields=["member", "day"], name="point_entry_member_day"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day} {self.event} {self.points:+}"

    @property
    def event_label(self) -> str:
        return str(EVENT_LABELS.get(self.event, self.event))


class ManualAwardStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ManualAward(models.Model):
    """Points a person decides (an award or, with negative points, a deduction): proposed with a
    reason, counted once approved by someone who is not the member."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="manual_awards",
        verbose_name=_("party member"),
    )
    day = models.DateField(_("counts for"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ManualAwardStatus.choices,
        default=ManualAwardStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ManualAwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("manual award")
        verbose_name_plural = _("manual awards")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="manual_award_not_zero", condition=~Q(points=0)),
            models.CheckConstraint(
                name="manual_award_decided_has_decider",
                condition=Q(status="pending") | Q(decided_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+} {self.reason}"


class EntryApproval(models.Model):
    """A person's approval of one source record's points where the rule asks for one (a good
    deed, by default). The recomputation reads it like any other source: it survives
    recomputation because it is not part of the ledger."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="point_approvals",
        verbose_name=_("party member"),
    )
    event = models.CharField(_("event"), max_length=50, choices=EVENT_CHOICES)
    source_kind = models.CharField(_("source"), max_length=30)
    source_id = models.BigIntegerField(_("source record"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    objects = EntryApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("points approval")
        verbose_name_plural = _("points approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "event", "source_kind", "source_id"],
                name="entry_approval_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.event} {self.source_kind}#{self.source_id}"


class BranchScore(models.Model):
    """The score the level above gives a branch for a year (支部创星), entered with a reason."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.CASCADE,
        related_name="point_scores",
        verbose_name=_("branch"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BranchScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch score")
        verbose_name_plural = _("branch scores")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="branch_score_once"),
            models.CheckConstraint(name="branch_score_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.score:+}"
