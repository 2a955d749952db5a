"""Work targets (党建目标), the weekly ranking (亮赛比) and inspections (督查) with their
rectification (整改).

A sub-district's yearly `Plan` holds `Target`s, each with an owner, a deadline, a weight and a
measure: a metric of the catalogue (`assessment/metrics.py`, computed from the portal's records)
or a figure the owner reports with evidence (`TargetReport`), reviewed by staff. The weights of an
adopted plan sum to 100 (`services.targets.adopt_plan`). A `RankingWeek` freezes the week's
ranking of branches once published. An `Inspection` visits one branch with a `Checklist`; each
`Finding` scores one item; a `Rectification` is owed by an owner by a deadline, reminded once,
escalated once when left open past it, and closed when its evidence is accepted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.metrics import metric_choices
from assessment.querysets import (
    ChecklistQuerySet,
    InspectionQuerySet,
    PlanQuerySet,
    RankingRowQuerySet,
    RankingWeekQuerySet,
    RectificationQuerySet,
    SettingsQuerySet,
    TargetQuerySet,
    TargetReportQuerySet,
)

SCORE = {"max_digits": 7, "decimal_places": 2}
STAR_SCORE = {
    "max_digits": 4,
    "decimal_places": 1,
    "validators": [MinValueValidator(-50), MaxValueValidator(50)],
}


class AssessmentSettings(models.Model):
    """The local figures of the assessment for one sub-district (all local: RULES.md): the
    ranking's points, the reminder lead, whether the ranking is public, the year-end grade caps."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="assessment_settings",
        verbose_name=_("sub-district"),
    )
    points_per_meeting = models.PositiveSmallIntegerField(
        _("ranking points per meeting held"), default=10, validators=[MaxValueValidator(100)]
    )
    points_per_volunteer_hour = models.PositiveSmallIntegerField(
        _("ranking points per volunteer hour"), default=2, validators=[MaxValueValidator(100)]
    )
    points_per_claimed_need = models.PositiveSmallIntegerField(
        _("ranking points per claimed need"), default=5, validators=[MaxValueValidator(100)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind rectification owners this many days before the deadline"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    ranking_public = models.BooleanField(
        _("show the published weekly ranking on the public page"), default=False
    )
    # The caps on the year-end grades: at most `good_percent` of the branches graded 好 and
    # `fairly_good_percent` 较好; a total below `poor_below` is 差.
    good_percent = models.PositiveSmallIntegerField(
        _("at most this per cent graded good"), default=30, validators=[MaxValueValidator(100)]
    )
    fairly_good_percent = models.PositiveSmallIntegerField(
        _("at most this per cent graded fairly good"),
        default=40,
        validators=[MaxValueValidator(100)],
    )
    poor_below = models.DecimalField(
        _("a total below this is poor"), default=60, validators=[MaxValueValidator(100)], **SCORE
    )
    # The score the year-end grade gives a branch's star rating (支部创星: the average points
    # of its members plus the score the level above gives; points reads it through
    # `assessment.figures.year_results`). A score staff enter by hand in points replaces it.
    star_score_good = models.DecimalField(
        _("star-rating score of a branch graded good"), default=10, **STAR_SCORE
    )
    star_score_fairly_good = models.DecimalField(
        _("star-rating score of a branch graded fairly good"), default=5, **STAR_SCORE
    )
    star_score_average = models.DecimalField(
        _("star-rating score of a branch graded average"), default=0, **STAR_SCORE
    )
    star_score_poor = models.DecimalField(
        _("star-rating score of a branch graded poor"), default=-10, **STAR_SCORE
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")
        constraints = [
            models.CheckConstraint(
                name="assessment_settings_caps_at_most_all",
                condition=Q(good_percent__lte=100 - models.F("fairly_good_percent")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> AssessmentSettings:
        """The sub-district's settings, or the defaults (unsaved) when it never changed them."""
        found = cls.objects.filter(sub_district_id=sub_district_id).first()
        return found or cls(sub_district_id=sub_district_id)


class Plan(models.Model):
    """A sub-district's targets for one year; adopted once its weights sum to 100."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="target_plans",
        verbose_name=_("sub-district"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=100)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("target plan")
        verbose_name_plural = _("target plans")
        ordering = ["-year", "sub_district"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "year"], name="assessment_one_plan_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's records")
    REPORTED = "reported", _("Reported by the owner with evidence")


class Target(models.Model):
    """One target of a plan, for one branch, for the branches of one sector, or for every
    branch of the sub-district (neither given)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    title = models.CharField(_("target"), max_length=200)
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("branch"),
    )
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_targets",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    measure = models.CharField(_("measure"), max_length=10, choices=MeasureKind.choices)
    metric = models.CharField(_("metric"), max_length=40, choices=metric_choices, blank=True)
    goal = models.DecimalField(_("goal"), validators=[MinValueValidator(0)], **SCORE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                name="assessment_target_measure_named",
                condition=(Q(measure="computed") & ~Q(metric=""))
                | (Q(measure="reported") & Q(metric="")),
            ),
            models.CheckConstraint(
                name="assessment_target_one_scope",
                condition=Q(organization__isnull=True) | Q(sector=""),
            ),
            models.CheckConstraint(
                name="assessment_target_weight_in_range",
                condition=Q(weight__gte=1, weight__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class TargetReport(models.Model):
    """What the owner reports on a target measured by report: a figure, a text and evidence."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="reports", verbose_name=_("target")
    )
    value = models.DecimalField(_("figure reached"), validators=[MinValueValidator(0)], **SCORE)
    text = models.TextField(_("what was done"))
    evidence = models.FileField(_("evidence"), upload_to="assessment/evidence/%Y/%m/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)

    objects = TargetReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("target report")
        verbose_name_plural = _("target reports")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.target} · {self.value}"


class RankingWeek(models.Model):
    """A week's ranking of a sub-district's branches (亮赛比), frozen when published."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="ranking_weeks",
        verbose_name=_("sub-district"),
    )
    week_start = models.DateField(_("week beginning"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # Set when the secretaries were told of the publication: claimed by a conditional update,
    # so they are told once whatever the number of runs.
    notified_at = models.DateTimeField(_("secretaries notified at"), null=True, blank=True)

    objects = RankingWeekQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly ranking")
        verbose_name_plural = _("weekly rankings")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "week_start"], name="assessment_one_ranking_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_district} {self.week_start}"


class RankingRow(models.Model):
    week = models.ForeignKey(
        RankingWeek, on_delete=models.CASCADE, related_name="rows", verbose_name=_("week")
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("branch"),
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), **SCORE)
    meetings = models.PositiveIntegerField(_("meetings held"))
    volunteer_hours = models.DecimalField(_("volunteer hours"), **SCORE)
    claimed_needs = models.PositiveIntegerField(_("needs claimed"))

    objects = RankingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking row")
        verbose_name_plural = _("ranking rows")
        ordering = ["week", "rank", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "organization"], name="assessment_ranked_once_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} #{self.rank}"

    @property
    def name(self) -> str:
        return self.organization.name


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Routine inspection")
    SPECIAL = "special", _("Special inspection")


class Checklist(models.Model):
    """An inspection checklist: items, each with the most points it can give."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="inspection_checklists",
        verbose_name=_("sub-district"),
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection checklist")
        verbose_name_plural = _("inspection checklists")
        ordering = ["sub_district", "title"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item"), max_length=200)
    max_score = models.DecimalField(_("most points"), validators=[MinValueValidator(0)], **SCORE)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "position"], name="assessment_checklist_item_position"
            ),
            models.CheckConstraint(
                name="assessment_checklist_item_positive", condition=Q(max_score__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    """A visit to one branch with a checklist; its score is the sum of its findings' scores."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("checklist")
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("branch"),
    )
    visited_on = models.DateField(_("visited on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    score = models.DecimalField(_("score"), default=0, editable=False, **SCORE)
    max_score = models.DecimalField(_("most points"), default=0, editable=False, **SCORE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.visited_on}"


class Finding(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    score = models.DecimalField(_("points given"), validators=[MinValueValidator(0)], **SCORE)
    note = models.CharField(_("finding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="assessment_finding_once"),
            models.CheckConstraint(
                name="assessment_finding_score_positive", condition=Q(score__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.score}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "Open")
    SUBMITTED = "submitted", _("Evidence submitted")
    CLOSED = "closed", _("Closed")


class Rectification(models.Model):
    """A rectification owed after an inspection: an owner, a deadline, evidence, closed by
    staff. Reminded once (`reminded_at`) and escalated once (`escalated_at`)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("inspection"),
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("finding"),
    )
    description = models.CharField(_("what must be rectified"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_rectifications",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    evidence_text = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="assessment/rectification/%Y/%m/", blank=True
    )
    submitted_at = models.DateTimeField(_("evidence submitted at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                name="assessment_closed_has_date",
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.description


class YearGrade(models.TextChoices):
    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class AssessmentRound(models.Model):
    """A sub-district's year-end assessment (述职评议): the weights of its three parts (sum
    100, by the database), the representatives' voting window, and the decision."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name=_("sub-district"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    metrics_weight = models.PositiveSmallIntegerField(_("weight of the targets"), default=50)
    inspection_weight = models.PositiveSmallIntegerField(_("weight of the inspections"), default=20)
    report_weight = models.PositiveSmallIntegerField(
        _("weight of the secretary's report"), default=30
    )
    opens_on = models.DateField(_("rating opens on"))
    closes_on = models.DateField(_("rating closes on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end assessment")
        verbose_name_plural = _("year-end assessments")
        ordering = ["-year", "sub_district"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "year"], name="assessment_one_round_per_year"
            ),
            models.CheckConstraint(
                name="assessment_round_weights_100",
                condition=Q(
                    metrics_weight=100 - models.F("inspection_weight") - models.F("report_weight")
                ),
            ),
            models.CheckConstraint(
                name="assessment_round_window_in_order", condition=Q(closes_on__gte=F("opens_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_district} {self.year}"


class BranchAssessment(models.Model):
    """One branch in a round: the secretary's report (述职), the committee's rating, the parts
    of the score, the total, rank and grade once decided."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="branches", verbose_name=_("round")
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="year_assessments",
        verbose_name=_("branch"),
    )
    report_text = models.TextField(_("secretary's report"), blank=True)
    committee_score = models.DecimalField(
        _("committee's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **SCORE,
    )
    metrics_score = models.DecimalField(_("targets"), null=True, blank=True, **SCORE)
    inspection_score = models.DecimalField(_("inspections"), null=True, blank=True, **SCORE)
    report_score = models.DecimalField(_("report"), null=True, blank=True, **SCORE)
    total = models.DecimalField(_("total"), null=True, blank=True, **SCORE)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=YearGrade.choices, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch assessment")
        verbose_name_plural = _("branch assessments")
        ordering = ["round", "rank", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"], name="assessment_branch_once_a_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.organization}"


class RepresentativeTurnout(models.Model):
    """That a representative rated the round's reports, and nothing of what they gave (as the
    appraisal's turnout, ADR 0009): random key, no time; one per voter and round."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="turnout", verbose_name=_("round")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representative"),
    )

    class Meta:
        verbose_name = _("representatives' turnout")
        verbose_name_plural = _("representatives' turnout")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="assessment_one_rating_ballot")
        ]

    def __str__(self) -> str:
        return str(self.round)


class Representative(models.Model):
    """Who may rate the reports of a round (党员代表, 群众代表)."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("round"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representative"),
    )

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="assessment_representative_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Rating(models.Model):
    """One grade given to one branch's report on a secret ballot: no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey(
        BranchAssessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("branch")
    )
    grade = models.CharField(_("grade"), max_length=20, choices=YearGrade.choices)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["branch", "grade"])]

    def __str__(self) -> str:
        return self.get_grade_display()
