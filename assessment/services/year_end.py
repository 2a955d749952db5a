"""The year-end assessment (述职评议): a round per sub-district and year, the secretaries'
reports, the committee's rating, the representatives' secret ballot (as the appraisal's: the
turnout row says who rated, the ratings carry no voter; ADR 0009), and the decision that scores,
ranks and grades every branch within the local caps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict
from accounts.models import User
from accounts.services import record_audit
from assessment.errors import TargetRefused
from assessment.models import (
    AssessmentRound,
    AssessmentSettings,
    BranchAssessment,
    Plan,
    Rating,
    Representative,
    RepresentativeTurnout,
    YearGrade,
)
from assessment.progress import plan_progress
from assessment.rules import GRADE_POINTS, weights_of_round_complete, year_grades
from assessment.services.inspections import inspection_scores
from branches.models import Organization, OrganizationKind, SubDistrict

CENT = Decimal("0.01")


class AlreadyRated(Conflict):
    """A second ballot by the same representative (409)."""


@transaction.atomic
def open_round(
    *,
    sub_district: SubDistrict,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    weights: tuple[int, int, int] = (50, 20, 30),
    representatives: list[User] = (),  # type: ignore[assignment]
    actor: User | None,
) -> AssessmentRound:
    """Open the year's round with every active branch of the sub-district; the weights of
    targets, inspections and report sum to 100 (refused otherwise)."""
    if not weights_of_round_complete(*weights):
        raise TargetRefused(
            _("The weights sum to %(total)d, not 100.") % {"total": sum(weights)}, field="weights"
        )
    if closes_on < opens_on:
        raise TargetRefused(_("The rating closes before it opens."), field="closes_on")
    if AssessmentRound.objects.filter(sub_district=sub_district, year=year).exists():
        raise TargetRefused(_("The year's assessment is already open."), field="year")
    metrics, inspection, report = weights
    assessment_round = AssessmentRound.objects.create(
        sub_district=sub_district,
        year=year,
        metrics_weight=metrics,
        inspection_weight=inspection,
        report_weight=report,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    BranchAssessment.objects.bulk_create(
        BranchAssessment(round=assessment_round, organization_id=pk)
        for pk in Organization.objects.filter(
            sub_district=sub_district,
            status="active",
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH],
        ).values_list("pk", flat=True)
    )
    Representative.objects.bulk_create(
        Representative(round=assessment_round, user=user) for user in set(representatives)
    )
    record_audit(actor=actor, action="assessment.round_opened", target=assessment_round)
    return assessment_round


@transaction.atomic
def name_representatives(
    *, assessment_round: AssessmentRound, users: list[User], actor: User | None
) -> int:
    """Name more representatives (党员代表, 群众代表: members or residents with an account) who
    rate the round's reports; one already named stays once. Until the round is decided.
    Returns how many were added."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _open(assessment_round)
    if not users:
        raise TargetRefused(_("Name at least one representative."), field="people")
    before = assessment_round.representatives.count()
    Representative.objects.bulk_create(
        [Representative(round=assessment_round, user=user) for user in set(users)],
        ignore_conflicts=True,
    )
    added = assessment_round.representatives.count() - before
    record_audit(actor=actor, action="assessment.representatives_named", target=assessment_round)
    return added


@transaction.atomic
def remove_representative(
    *, assessment_round: AssessmentRound, user: User, actor: User | None
) -> None:
    """Take a representative named in error off the round, until it is decided. One who has
    already rated stays: the ballot is secret (ADR 0009), so their grades cannot be told apart
    from the others' and taken back, and removing them would leave a turnout without a voter."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _open(assessment_round)
    named = assessment_round.representatives.filter(user=user)
    if not named.exists():
        raise TargetRefused(_("This person is not a representative of the assessment."))
    if RepresentativeTurnout.objects.filter(round=assessment_round, voter=user).exists():
        raise TargetRefused(
            _(
                "%(name)s has already rated the reports and stays a representative: "
                "the ballot is secret and cannot be taken back."
            )
            % {"name": user}
        )
    named.delete()
    record_audit(actor=actor, action="assessment.representative_removed", target=assessment_round)


def _open(assessment_round: AssessmentRound) -> None:
    if assessment_round.decided_on is not None:
        raise TargetRefused(_("The assessment is decided: nothing changes any more."))


@transaction.atomic
def record_report(*, branch: BranchAssessment, text: str, actor: User | None) -> BranchAssessment:
    """The secretary's report (述职) of their branch."""
    _open(branch.round)
    text = text.strip()
    if not text:
        raise TargetRefused(_("Write the report."), field="text")
    branch.report_text = text
    branch.save(update_fields=["report_text"])
    record_audit(actor=actor, action="assessment.report_recorded", target=branch)
    return branch


@transaction.atomic
def rate_by_committee(
    *, branch: BranchAssessment, score: Decimal, actor: User | None
) -> BranchAssessment:
    """The sub-district committee's rating of a branch's report, 0 to 100."""
    _open(branch.round)
    if not Decimal(0) <= score <= Decimal(100):
        raise TargetRefused(_("A rating is between 0 and 100."), field="score")
    branch.committee_score = score
    branch.save(update_fields=["committee_score"])
    record_audit(actor=actor, action="assessment.committee_rated", target=branch)
    return branch


@transaction.atomic
def cast_rating(
    *, assessment_round: AssessmentRound, voter: User, grades: Mapping[int, str]
) -> None:
    """A representative's secret ballot: a grade for every branch of the round. The unique
    turnout row refuses a second ballot (two at once: the second fails on the constraint)."""
    assessment_round = AssessmentRound.objects.select_for_update(no_key=True).get(
        pk=assessment_round.pk
    )
    today = timezone.localdate()
    if (
        assessment_round.decided_on is not None
        or not assessment_round.opens_on <= today <= assessment_round.closes_on
    ):
        raise TargetRefused(
            _("Rating is open from %(opens)s to %(closes)s.")
            % {
                "opens": assessment_round.opens_on.isoformat(),
                "closes": assessment_round.closes_on.isoformat(),
            }
        )
    if not assessment_round.representatives.filter(user=voter).exists():
        raise TargetRefused(_("You are not a representative of this assessment."))
    branches = set(assessment_round.branches.values_list("pk", flat=True))
    if set(grades) != branches or any(g not in YearGrade.values for g in grades.values()):
        raise TargetRefused(_("Rate every branch once with a grade."))
    try:
        with transaction.atomic():
            RepresentativeTurnout.objects.create(round=assessment_round, voter=voter)
    except IntegrityError:
        raise AlreadyRated(_("You have already rated this assessment.")) from None
    # Inserted in the order of their random keys: no order ties the rows to each other.
    ratings = [Rating(branch_id=pk, grade=grade) for pk, grade in grades.items()]
    Rating.objects.bulk_create(sorted(ratings, key=lambda rating: rating.id))
    record_audit(actor=None, action="assessment.rating_cast", target=assessment_round)


def _metrics_scores(assessment_round: AssessmentRound, ids: list[int]) -> dict[int, Decimal]:
    """Per branch: the weighted share of its targets reached (each capped at 100 %), from the
    year's adopted plan; a branch no target covers has no figure."""
    plan = Plan.objects.filter(
        sub_district_id=assessment_round.sub_district_id,
        year=assessment_round.year,
        adopted_on__isnull=False,
    ).first()
    if plan is None:
        return {}
    end = dt.date(assessment_round.year, 12, 31)
    today = min(timezone.localdate(), end)
    items = list(plan.targets.select_related("owner"))
    weighted: dict[int, list[Decimal]] = {}
    for progress in plan_progress(plan, items, today, branch_ids=set(ids)):
        goal = progress.target.goal
        weight = Decimal(progress.target.weight)
        if progress.target.measure == "computed":
            figures = [(f.organization_id, f.value) for f in progress.figures]
        else:
            covered = progress.target.organization_id
            figures = [(covered, progress.reported)] if covered in ids else []
        for pk, value in figures:
            reached = Decimal(1) if not goal else min((value or Decimal(0)) / goal, Decimal(1))
            sums = weighted.setdefault(pk, [Decimal(0), Decimal(0)])
            sums[0] += weight * reached
            sums[1] += weight
    return {
        pk: (100 * got / total).quantize(CENT, ROUND_HALF_UP)
        for pk, (got, total) in weighted.items()
        if total
    }


def _report_scores(assessment_round: AssessmentRound) -> dict[int, Decimal]:
    """Half the committee's rating, half the representatives' average (grade points); either
    alone when the other is missing."""
    counted: dict[int, list[int]] = {}
    for pk, grade, n in (
        Rating.objects.filter(branch__round=assessment_round)
        .values_list("branch_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        sums = counted.setdefault(pk, [0, 0])
        sums[0] += GRADE_POINTS[grade] * n
        sums[1] += n
    result = {}
    for branch in assessment_round.branches.all():
        parts = []
        if branch.committee_score is not None:
            parts.append(branch.committee_score)
        if branch.pk in counted:
            points, n = counted[branch.pk]
            parts.append(Decimal(points) / n)
        if parts:
            result[branch.pk] = (sum(parts, Decimal(0)) / len(parts)).quantize(CENT)
    return result


@transaction.atomic
def decide_round(*, assessment_round: AssessmentRound, actor: User | None) -> AssessmentRound:
    """Score every branch (targets, inspections, report by the round's weights; a missing part
    counts 0), rank and grade them within the sub-district's caps, once."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _open(assessment_round)
    branches = list(assessment_round.branches.select_related("organization"))
    org_ids = [b.organization_id for b in branches]
    metrics = _metrics_scores(assessment_round, org_ids)
    inspected = inspection_scores(org_ids, assessment_round.year)
    reports = _report_scores(assessment_round)
    for branch in branches:
        branch.metrics_score = metrics.get(branch.organization_id)
        branch.inspection_score = inspected.get(branch.organization_id)
        branch.report_score = reports.get(branch.pk)
        branch.total = (
            (
                (branch.metrics_score or 0) * assessment_round.metrics_weight
                + (branch.inspection_score or 0) * assessment_round.inspection_weight
                + (branch.report_score or 0) * assessment_round.report_weight
            )
            / Decimal(100)
        ).quantize(CENT, ROUND_HALF_UP)
    caps = AssessmentSettings.for_sub_district(assessment_round.sub_district_id)
    graded = year_grades(
        [(b.pk, b.total) for b in branches],
        good_percent=caps.good_percent,
        fairly_good_percent=caps.fairly_good_percent,
        poor_below=caps.poor_below,
    )
    for branch in branches:
        branch.rank, branch.grade = graded[branch.pk]
    BranchAssessment.objects.bulk_update(
        branches,
        ["metrics_score", "inspection_score", "report_score", "total", "rank", "grade"],
    )
    assessment_round.decided_on = timezone.localdate()
    assessment_round.save(update_fields=["decided_on"])
    record_audit(actor=actor, action="assessment.round_decided", target=assessment_round)
    return assessment_round
