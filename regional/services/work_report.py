"""The regional committee's yearly work report: assembled from the records, narrated by staff,
submitted once and then frozen.

The figures are plain JSON (numbers, dates as ISO strings, names), so a submitted report reads
the same years later, whatever happens to the rows it was assembled from; the sentences of the
printed report are generated from these figures at print time, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict
from accounts.models import User
from accounts.services import record_audit
from regional.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    ItemStatus,
    JointMeeting,
    MeetingStatus,
    Need,
    Project,
    ProjectStatus,
    RegionalCommittee,
    RegionalMembership,
    Resolution,
    Resource,
    TopicSubmission,
    UnitEvaluation,
    WorkReport,
    WorkReportStatus,
)
from regional.services.joint import JointRuleBroken, settings_for

MAX_NARRATIVE = 10000


class ReportFrozen(Conflict):
    pass


def _counts(rows: Any, key: str = "status") -> dict[str, int]:
    return {row[key]: row["n"] for row in rows.values(key).annotate(n=Count("pk")).order_by()}


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def assemble_figures(
    committee: RegionalCommittee, year: int, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Everything the report says about `year`, read from the records in a fixed number of
    queries (no query per unit or per meeting)."""
    today = today or timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    meetings = list(
        JointMeeting.objects.filter(committee=committee, year=year).order_by("scheduled_on", "pk")
    )
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    per_meeting: dict[int, Counter[str]] = {m.pk: Counter() for m in held}
    per_unit: dict[int, Counter[str]] = {}
    for meeting_id, unit_id, status in Attendance.objects.filter(
        meeting_id__in=[m.pk for m in held]
    ).values_list("meeting_id", "unit_id", "status"):
        per_meeting[meeting_id][status] += 1
        per_unit.setdefault(unit_id, Counter())[status] += 1

    seats = (
        RegionalMembership.objects.filter(committee=committee)
        .during(start, end)
        .select_related("unit")
        .order_by("unit__name", "pk")
    )
    seats_of: dict[int, list[RegionalMembership]] = {}
    for seat in seats:
        seats_of.setdefault(seat.unit_id, []).append(seat)
    attendance = []
    for unit_id, unit_seats in seats_of.items():
        expected = sum(1 for m in held if any(s.in_force_on(m.scheduled_on) for s in unit_seats))
        counts = per_unit.get(unit_id, Counter())
        attended = counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.DELEGATE]
        attendance.append(
            {
                "unit": unit_seats[0].unit.name,
                "expected": expected,
                "present": counts[AttendanceStatus.PRESENT],
                "delegate": counts[AttendanceStatus.DELEGATE],
                "absent": counts[AttendanceStatus.ABSENT],
                "rate": _percent(attended, expected),
            }
        )
    expected_total = sum(row["expected"] for row in attendance)
    attended_total = sum(row["present"] + row["delegate"] for row in attendance)

    items = ActionItem.objects.filter(
        resolution__meeting__committee=committee, resolution__meeting__year=year
    )
    item_counts = _counts(items)
    overdue = list(
        items.exclude(status=ActionStatus.DONE)
        .filter(deadline__lt=today)
        .select_related("owner_unit", "owner_community")
        .order_by("deadline", "pk")
    )

    needs = Need.objects.filter(committee=committee, created_at__year=year)
    resources = Resource.objects.filter(committee=committee, created_at__year=year)
    projects = Project.objects.filter(committee=committee, created_at__year=year)
    project_counts = _counts(projects)
    from_needs = projects.filter(Q(need__isnull=False) | Q(released_need__isnull=False)).count()

    evaluations = list(
        UnitEvaluation.objects.filter(committee=committee, year=year)
        .select_related("unit")
        .order_by("unit__name")
    )
    scores = [e.score for e in evaluations if e.score is not None]

    return {
        "as_of": today.isoformat(),
        "meetings": {
            "per_year": settings_for(committee.sub_district_id).meetings_per_year,
            "held": len(held),
            "planned": sum(1 for m in meetings if m.status == MeetingStatus.PLANNED),
            "cancelled": sum(1 for m in meetings if m.status == MeetingStatus.CANCELLED),
            "list": [
                {
                    "date": m.scheduled_on.isoformat(),
                    "topic": m.topic,
                    "present": per_meeting[m.pk][AttendanceStatus.PRESENT],
                    "delegate": per_meeting[m.pk][AttendanceStatus.DELEGATE],
                    "absent": per_meeting[m.pk][AttendanceStatus.ABSENT],
                }
                for m in held
            ],
        },
        "attendance": attendance,
        "attendance_rate": _percent(attended_total, expected_total),
        "absences": sum(row["absent"] for row in attendance),
        "topics": TopicSubmission.objects.filter(
            meeting__committee=committee, meeting__year=year
        ).count(),
        "resolutions": Resolution.objects.filter(
            meeting__committee=committee, meeting__year=year
        ).count(),
        "action_items": {
            "total": sum(item_counts.values()),
            "open": item_counts.get(ActionStatus.OPEN, 0),
            "in_progress": item_counts.get(ActionStatus.IN_PROGRESS, 0),
            "done": item_counts.get(ActionStatus.DONE, 0),
            "overdue": len(overdue),
            "overdue_list": [
                {"title": i.title, "owner": str(i.owner), "deadline": i.deadline.isoformat()}
                for i in overdue
            ],
        },
        "lists": {
            "needs": _lists_row(_counts(needs)),
            "resources": _lists_row(_counts(resources)),
            "projects": {
                "started": sum(project_counts.values()),
                "from_needs": from_needs,
                "from_resources": sum(project_counts.values()) - from_needs,
                "in_progress": project_counts.get(ProjectStatus.IN_PROGRESS, 0),
                "done": project_counts.get(ProjectStatus.DONE, 0),
                "released": project_counts.get(ProjectStatus.RELEASED, 0),
            },
        },
        "evaluations": {
            "evaluated": len(evaluations),
            "average_score": round(sum(scores) / len(scores), 1) if scores else None,
            "commended": [e.unit.name for e in evaluations if e.commended],
            "failed": [
                {"unit": e.unit.name, "comment": e.comment} for e in evaluations if e.failed_duties
            ],
        },
    }


def _lists_row(counts: dict[str, int]) -> dict[str, int]:
    return {
        "added": sum(counts.values()),
        "open": counts.get(ItemStatus.OPEN, 0),
        "claimed": counts.get(ItemStatus.CLAIMED, 0),
        "closed": counts.get(ItemStatus.CLOSED, 0),
    }


def _check_year(committee: RegionalCommittee, year: int, today: dt.date) -> None:
    first = committee.founded_on.year if committee.founded_on else 2000
    if not first <= year <= today.year:
        raise JointRuleBroken(
            _("A work report covers a year from %(first)s to %(last)s.")
            % {"first": first, "last": today.year},
            field="year",
        )


def _check_text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > MAX_NARRATIVE:
        raise JointRuleBroken(
            _("Keep the text under %(limit)s characters.") % {"limit": MAX_NARRATIVE},
            field=field,
        )
    return value


@transaction.atomic
def save_work_report(
    *,
    committee: RegionalCommittee,
    year: int,
    summary: str,
    next_year_plan: str,
    dated: dt.date | None = None,
    actor: User | None,
    today: dt.date | None = None,
) -> WorkReport:
    """Create or update the draft report of `committee` for `year`, reassembling its figures.
    A submitted report is frozen: refused with `ReportFrozen`."""
    today = today or timezone.localdate()
    _check_year(committee, year, today)
    summary = _check_text(summary, "summary")
    next_year_plan = _check_text(next_year_plan, "next_year_plan")
    dated = dated or today
    if dated.year < year:
        raise JointRuleBroken(
            _("A report cannot be dated before the year it reports on."), field="dated"
        )
    report = WorkReport.objects.select_for_update().filter(committee=committee, year=year).first()
    created = report is None
    if report is None:
        try:
            with transaction.atomic():
                report = WorkReport.objects.create(
                    committee=committee,
                    year=year,
                    dated=dated,
                    created_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Someone else has just started this report; reload the page.")
            ) from exc
    if report.is_frozen:
        raise ReportFrozen(_("This report was submitted and can no longer be changed."))
    report.summary = summary
    report.next_year_plan = next_year_plan
    report.dated = dated
    report.figures = assemble_figures(committee, year, today=today)
    report.save()
    record_audit(
        actor=actor,
        action="joint.work_report_created" if created else "joint.work_report_saved",
        target=report,
        data={"committee": committee.pk, "year": year},
    )
    return report


@transaction.atomic
def submit_work_report(
    *, report: WorkReport, actor: User | None, today: dt.date | None = None
) -> WorkReport:
    """Submit the report: its figures are assembled one last time and everything is frozen.
    Refused without a summary and a plan for next year."""
    today = today or timezone.localdate()
    report = WorkReport.objects.select_for_update().get(pk=report.pk)
    if report.is_frozen:
        raise ReportFrozen(_("This report was submitted and can no longer be changed."))
    if not report.summary.strip():
        raise JointRuleBroken(_("Write the summary of the year's work."), field="summary")
    if not report.next_year_plan.strip():
        raise JointRuleBroken(_("Write the plan for next year."), field="next_year_plan")
    report.figures = assemble_figures(report.committee, report.year, today=today)
    report.status = WorkReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor if actor is not None and actor.is_authenticated else None
    report.save()
    record_audit(
        actor=actor,
        action="joint.work_report_submitted",
        target=report,
        data={"committee": report.committee_id, "year": report.year},
    )
    return report
