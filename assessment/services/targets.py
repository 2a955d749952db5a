"""Plans and targets: create, add, adopt (weights sum to 100), reports with evidence and their
review, and the publication of the weekly ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import notify_user, record_audit
from activities.uploads import check_upload
from assessment.errors import AlreadyPublished, TargetRefused
from assessment.metrics import CATALOGUE
from assessment.models import (
    MeasureKind,
    Plan,
    RankingRow,
    RankingWeek,
    ReportStatus,
    Target,
    TargetReport,
)
from assessment.ranking import weekly_ranking
from assessment.rules import TOTAL_WEIGHT, weights_complete
from branches.models import Organization, OrganizationKind, Sector, SubDistrict
from config.celery import send_after_commit

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def create_plan(*, sub_district: SubDistrict, year: int, title: str, actor: User | None) -> Plan:
    """A sub-district's plan for `year`: one a year."""
    title = title.strip()
    if not title:
        raise TargetRefused(_("Give the plan a title."), field="title")
    if not 2000 <= year <= 2100:
        raise TargetRefused(_("Enter a year between 2000 and 2100."), field="year")
    if Plan.objects.filter(sub_district=sub_district, year=year).exists():
        raise TargetRefused(_("The sub-district already has a plan for this year."), field="year")
    plan = Plan.objects.create(sub_district=sub_district, year=year, title=title)
    record_audit(actor=actor, action="assessment.plan_created", target=plan)
    return plan


@transaction.atomic
def add_target(
    *,
    plan: Plan,
    title: str,
    owner: User,
    deadline: dt.date,
    weight: int,
    goal: Decimal,
    metric: str = "",
    organization: Organization | None = None,
    sector: str = "",
    actor: User | None,
) -> Target:
    """A target of `plan`. Refused once the plan is adopted, when the weights would pass 100,
    for an unknown metric, a branch outside the sub-district, a deadline outside the year."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.adopted_on is not None:
        raise TargetRefused(_("The plan is adopted: its targets no longer change."))
    title = title.strip()
    if not title:
        raise TargetRefused(_("Describe the target."), field="title")
    if metric and metric not in CATALOGUE:
        raise TargetRefused(_("Unknown metric."), field="metric")
    if not 1 <= weight <= TOTAL_WEIGHT:
        raise TargetRefused(_("A weight is between 1 and 100."), field="weight")
    if goal < 0:
        raise TargetRefused(_("The goal cannot be negative."), field="goal")
    if deadline.year != plan.year:
        raise TargetRefused(_("The deadline must fall in the plan's year."), field="deadline")
    if organization is not None and sector:
        raise TargetRefused(_("Name a branch or a sector, not both."), field="sector")
    if sector and sector not in Sector.values:
        raise TargetRefused(_("Unknown sector."), field="sector")
    if organization is not None and (
        organization.sub_district_id != plan.sub_district_id
        or organization.kind not in (OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH)
    ):
        raise TargetRefused(_("Choose a branch of the plan's sub-district."), field="organization")
    if not owner.is_active:
        raise TargetRefused(_("The owner's account is not active."), field="owner")
    used = plan.targets.aggregate(total=Sum("weight"))["total"] or 0
    if used + weight > TOTAL_WEIGHT:
        raise TargetRefused(
            _("The weights would come to %(total)d; a plan's weights sum to 100.")
            % {"total": used + weight},
            field="weight",
        )
    target = Target.objects.create(
        plan=plan,
        title=title,
        owner=owner,
        deadline=deadline,
        weight=weight,
        goal=goal,
        measure=MeasureKind.COMPUTED if metric else MeasureKind.REPORTED,
        metric=metric,
        organization=organization,
        sector=sector,
    )
    record_audit(actor=actor, action="assessment.target_added", target=target)
    return target


@transaction.atomic
def remove_target(*, target: Target, actor: User | None) -> None:
    plan = Plan.objects.select_for_update().get(pk=target.plan_id)
    if plan.adopted_on is not None:
        raise TargetRefused(_("The plan is adopted: its targets no longer change."))
    record_audit(actor=actor, action="assessment.target_removed", target=plan)
    target.delete()


@transaction.atomic
def adopt_plan(*, plan: Plan, actor: User | None) -> Plan:
    """Adopt the plan: refused unless its targets' weights sum to exactly 100."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.adopted_on is not None:
        raise TargetRefused(_("The plan is already adopted."))
    weights = list(plan.targets.values_list("weight", flat=True))
    if not weights_complete(weights):
        raise TargetRefused(
            _("The weights of the targets sum to %(total)d, not 100.") % {"total": sum(weights)}
        )
    plan.adopted_on = timezone.localdate()
    plan.save(update_fields=["adopted_on"])
    record_audit(actor=actor, action="assessment.plan_adopted", target=plan)
    return plan


@transaction.atomic
def submit_report(
    *,
    target: Target,
    value: Decimal,
    text: str,
    evidence: UploadedFile | None,
    actor: User,
) -> TargetReport:
    """The owner's report on a target measured by report. The evidence is checked by its
    content (JPEG, PNG, WebP or PDF) and size (10 MB), never by its name."""
    if target.measure != MeasureKind.REPORTED:
        raise TargetRefused(_("This target is computed from the records: nothing to report."))
    if target.owner_id != actor.pk:
        raise TargetRefused(_("Only the target's owner reports on it."))
    text = text.strip()
    if not text:
        raise TargetRefused(_("Say what was done."), field="text")
    if value < 0:
        raise TargetRefused(_("The figure cannot be negative."), field="value")
    if evidence is not None:
        check_upload(evidence, max_bytes=MAX_EVIDENCE_BYTES)
    report = TargetReport(target=target, value=value, text=text, submitted_by=actor)
    if evidence is not None:
        report.evidence.save(evidence.name or "evidence", evidence, save=False)
    report.save()
    record_audit(actor=actor, action="assessment.report_submitted", target=target)
    return report


@transaction.atomic
def review_report(
    *, report: TargetReport, accept: bool, note: str = "", actor: User
) -> TargetReport:
    """Staff accept a report (its figure counts) or return it with a note."""
    report = TargetReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.PENDING:
        raise TargetRefused(_("This report is already reviewed."))
    if not accept and not note.strip():
        raise TargetRefused(_("Say why the report is returned."), field="note")
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.review_note = note.strip()
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    record_audit(
        actor=actor,
        action="assessment.report_accepted" if accept else "assessment.report_returned",
        target=report.target,
    )
    return report


@transaction.atomic
def publish_ranking(
    *, sub_district: SubDistrict, week_start: dt.date, actor: User | None
) -> RankingWeek:
    """Freeze the week's ranking of the sub-district's branches and show it to secretaries.
    Only a week that has ended; once per week (409 the second time)."""
    if week_start.weekday() != 0:
        raise TargetRefused(_("A ranking week begins on a Monday."), field="week_start")
    if week_start + dt.timedelta(days=6) >= timezone.localdate():
        raise TargetRefused(_("Publish a week once it has ended."), field="week_start")
    week, _created = RankingWeek.objects.select_for_update().get_or_create(
        sub_district=sub_district, week_start=week_start
    )
    if week.published_at is not None:
        raise AlreadyPublished(_("This week's ranking is already published."))
    rows = weekly_ranking(Organization.objects.filter(sub_district=sub_district), week_start)
    week.rows.all().delete()
    RankingRow.objects.bulk_create(
        RankingRow(
            week=week,
            organization_id=row.organization_id,
            rank=row.rank,
            score=row.score,
            meetings=row.meetings,
            volunteer_hours=row.volunteer_hours,
            claimed_needs=row.claimed_needs,
        )
        for row in rows
    )
    week.published_at = timezone.now()
    week.published_by = actor
    week.save(update_fields=["published_at", "published_by"])
    record_audit(actor=actor, action="assessment.ranking_published", target=week)
    # The secretaries are told after commit; the periodic scan tells them if the broker is down.
    send_after_commit("assessment.tasks.notify_ranking", week.pk)
    return week


def notify_ranking(pk: int) -> bool:
    """Tell the secretaries of the ranked branches that the week's ranking is published, with
    their branch's rank, once: the week is claimed by a conditional update, so a second run (or
    a second worker) sends nothing. True when this call sent the messages."""
    from accounts.models import RoleAssignment

    with transaction.atomic():
        claimed = RankingWeek.objects.filter(
            pk=pk, published_at__isnull=False, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if claimed != 1:
            return False
        week = RankingWeek.objects.get(pk=pk)
        ranked = {
            row.organization_id: row
            for row in week.rows.select_related("organization").order_by("rank")
        }
        total = len(ranked)
        lines: dict[int, list[str]] = {}
        users = {}
        for assignment in (
            RoleAssignment.objects.filter(
                role=Role.SECRETARY,
                is_active=True,
                user__is_active=True,
                organization_id__in=list(ranked),
            )
            .select_related("user")
            .order_by("user_id", "organization_id")
        ):
            row = ranked[assignment.organization_id]
            users[assignment.user_id] = assignment.user
            lines.setdefault(assignment.user_id, []).append(
                _("%(branch)s: rank %(rank)d of %(total)d, %(score)s points")
                % {"branch": row.name, "rank": row.rank, "total": total, "score": row.score}
            )
        subject = _("Weekly ranking of %(day)s") % {"day": week.week_start.isoformat()}
        for user_id, user in users.items():
            notify_user(
                user=user,
                subject=subject,
                body="\n".join([*lines[user_id], _("The whole ranking is on the workbench.")]),
            )
        record_audit(actor=None, action="assessment.ranking_notified", target=week)
    return True


def unnotified_rankings() -> list[int]:
    """Published weeks whose secretaries were not told yet (the scan's redo)."""
    return list(
        RankingWeek.objects.published()
        .filter(notified_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
