"""The ledger written by recomputation: idempotent, corrected by its sources, capped in SQL,
dated rules, approvals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Attendance, MakeUpTask, MeetingKind
from members.models import Member
from points.models import PointEntry, PointRule
from points.services.recompute import recompute_member, recompute_points
from tests.points.conftest import held
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerFactory,
    VolunteerTeamFactory,
)

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def ledger(member=None):
    rows = PointEntry.objects.order_by("member_id", "event", "source_kind", "source_id")
    if member is not None:
        rows = rows.filter(member=member)
    return [
        (r.pk, r.member_id, r.event, r.source_kind, r.source_id, r.day, r.points, r.approved)
        for r in rows
    ]


def total(member, first=YEAR[0], last=YEAR[1]):
    return sum(
        (
            e.points
            for e in PointEntry.objects.filter(
                member=member, approved=True, day__gte=first, day__lte=last
            )
        ),
        Decimal(0),
    )


def recompute(branch):
    return recompute_points(
        members=Member.objects.filter(organization=branch), first=YEAR[0], last=YEAR[1]
    )


def test_base_and_attendance_give_the_default_points(branch, member, colleague):
    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "absent"})
    recompute(branch)
    assert total(member) == Decimal(62)  # base 60 + present 2
    assert total(colleague) == Decimal(57)  # base 60 − absent without leave 3
    entry = PointEntry.objects.get(member=member, event="attendance.general_meeting.present")
    assert entry.day == dt.date(2026, 3, 12) and entry.title == "会议2026-03-12"


def test_recomputing_twice_gives_the_same_ledger_and_writes_nothing(branch, member, colleague):
    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "leave"})
    first = recompute(branch)
    before = ledger()
    again = recompute(branch)
    assert ledger() == before  # same rows, same primary keys
    assert first.inserted_or_updated == len(before)
    assert again.inserted_or_updated == 0 and again.deleted == 0


def test_a_corrected_attendance_moves_exactly_its_entries(branch, member, colleague):
    meeting = held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "present"})
    recompute(branch)
    colleague_before = ledger(colleague)
    Attendance.objects.filter(meeting=meeting, member=member).update(status="absent")
    result = recompute(branch)
    assert ledger(colleague) == colleague_before  # untouched, same rows
    events = {row[2] for row in ledger(member)}
    assert "attendance.general_meeting.absent" in events
    assert "attendance.general_meeting.present" not in events
    assert (result.inserted_or_updated, result.deleted) == (1, 1)
    assert total(member) == Decimal(57)


def test_a_re_recorded_meeting_with_new_attendance_rows_keeps_unchanged_entries(
    branch, member, colleague
):
    meeting = held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "present"})
    recompute(branch)
    before = ledger()
    Attendance.objects.filter(meeting=meeting).delete()  # record_meeting rewrites the rows
    for m in (member, colleague):
        Attendance.objects.create(
            meeting=meeting, member=m, member_name=m.full_name, status="present"
        )
    assert recompute(branch).inserted_or_updated == 0
    assert ledger() == before


def test_a_cancelled_source_removes_its_entry(branch, member):
    meeting = held(branch, dt.date(2026, 3, 12), rows={member: "present"})
    recompute(branch)
    meeting.status = "cancelled"
    meeting.save()
    recompute(branch)
    assert not PointEntry.objects.filter(source_kind="attendance").exists()


def _volunteer_hours(member, branch, minutes_by_day):
    volunteer = VolunteerFactory(sub_district=branch.sub_district, member=member)
    team = VolunteerTeamFactory(community__sub_district=branch.sub_district)
    for day, minutes in minutes_by_day:
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        activity = ServiceActivityFactory(
            team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=12)
        )
        EnrollmentFactory(activity=activity, volunteer=volunteer, credit_minutes=minutes)


def test_volunteer_hours_stop_at_the_monthly_cap_exactly(branch, member):
    # 4 h + 5 h + 3 h in March: the cap of 10 leaves 1 point for the third, none after it.
    _volunteer_hours(
        member,
        branch,
        [
            (dt.date(2026, 3, 2), 240),
            (dt.date(2026, 3, 9), 300),
            (dt.date(2026, 3, 16), 180),
            (dt.date(2026, 3, 23), 60),
            (dt.date(2026, 4, 1), 120),
        ],
    )
    recompute(branch)
    hours = list(
        PointEntry.objects.filter(member=member, event="volunteer_hours")
        .order_by("day")
        .values_list("day", "raw_points", "points")
    )
    assert [(d.isoformat(), raw, pts) for d, raw, pts in hours] == [
        ("2026-03-02", Decimal("4.0"), Decimal("4.0")),
        ("2026-03-09", Decimal("5.0"), Decimal("5.0")),
        ("2026-03-16", Decimal("3.0"), Decimal("1.0")),
        ("2026-03-23", Decimal("1.0"), Decimal("0.0")),
        ("2026-04-01", Decimal("2.0"), Decimal("2.0")),  # a new month, a new cap
    ]


def test_a_yearly_cap_on_a_deduction_bounds_what_it_takes(branch, member):
    recompute(branch)  # seeds the rule table
    PointRule.objects.filter(event="attendance.theme_day.absent").update(cap_year=Decimal(5))
    for month in (2, 3, 4):
        held(branch, dt.date(2026, month, 10), MeetingKind.THEME_DAY, rows={member: "absent"})
    recompute(branch)
    points = list(
        PointEntry.objects.filter(member=member, event="attendance.theme_day.absent")
        .order_by("day")
        .values_list("points", flat=True)
    )
    assert points == [Decimal(-3), Decimal(-2), Decimal(0)]


def test_a_rule_changed_in_june_applies_from_june(branch, member, sub_district):
    recompute(branch)
    PointRule.objects.create(
        sub_district=sub_district,
        event="attendance.general_meeting.present",
        valid_from=dt.date(2026, 6, 1),
        points=Decimal(4),
    )
    held(branch, dt.date(2026, 5, 31), rows={member: "present"})
    held(branch, dt.date(2026, 6, 1), rows={member: "present"})
    recompute(branch)
    by_day = dict(
        PointEntry.objects.filter(member=member, source_kind="attendance").values_list(
            "day", "points"
        )
    )
    assert by_day == {dt.date(2026, 5, 31): Decimal(2), dt.date(2026, 6, 1): Decimal(4)}


def test_make_up_study_done_in_time_earns_and_overdue_loses(branch, member, colleague):
    meeting = held(branch, dt.date(2026, 5, 10), rows={member: "leave", colleague: "leave"})
    MakeUpTask.objects.create(
        meeting=meeting, member=member, due_on=dt.date(2026, 6, 9), done_on=dt.date(2026, 6, 9)
    )
    MakeUpTask.objects.create(meeting=meeting, member=colleague, due_on=dt.date(2026, 6, 9))
    recompute(branch)
    assert PointEntry.objects.get(member=member, source_kind="make_up").points == Decimal(1)
    overdue = PointEntry.objects.get(member=colleague, source_kind="make_up")
    assert (overdue.event, overdue.points, overdue.day) == (
        "make_up_overdue",
        Decimal(-2),
        dt.date(2026, 6, 9),
    )


def test_one_member_is_recomputed_alone(branch, member, colleague):
    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "present"})
    recompute_member(member=member, first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31))
    assert PointEntry.objects.filter(member=colleague).count() == 0
    assert total(member) == Decimal(62)  # the whole year: the base of 1 January too


def test_the_recomputation_is_a_fixed_number_of_statements(branch, django_assert_max_num_queries):
    from tests.members.factories import MemberFactory

    members = [MemberFactory(organization=branch) for _ in range(30)]
    for month in range(1, 7):
        held(branch, dt.date(2026, month, 5), rows=dict.fromkeys(members, "present"))
    with django_assert_max_num_queries(14):
        recompute(branch)
    assert PointEntry.objects.count() == 30 * 7


def test_dues_paid_on_time_earn_and_three_months_late_lose(branch):
    from dues.models import DuesBill
    from dues.services.billing import bill_month
    from dues.services.payments import record_payments
    from tests.dues.factories import DuesBaseFactory

    payer = DuesBaseFactory(member__organization=branch).member
    for month in (1, 2, 3, 4):
        bill_month(dt.date(2026, month, 1))
    bills = {b.month.month: b.pk for b in DuesBill.objects.filter(member=payer)}
    # January by its month's end: on time. February on 1 May: three months late to the day.
    # March on 31 May: late, yet not three months. April never: late since 1 July (the clock
    # stands in December).
    record_payments(actor=None, bill_ids=[bills[1]], paid_on=dt.date(2026, 1, 31), method="cash")
    record_payments(actor=None, bill_ids=[bills[2]], paid_on=dt.date(2026, 5, 1), method="cash")
    record_payments(actor=None, bill_ids=[bills[3]], paid_on=dt.date(2026, 5, 31), method="cash")
    recompute(branch)
    entries = sorted(
        (e.event, e.day, e.points)
        for e in PointEntry.objects.filter(member=payer, source_kind="dues")
    )
    assert entries == [
        ("dues_on_time", dt.date(2026, 1, 1), Decimal(1)),
        ("dues_three_months_late", dt.date(2026, 5, 1), Decimal(-5)),
        ("dues_three_months_late", dt.date(2026, 7, 1), Decimal(-5)),
    ]


def test_the_appraisal_grade_counts_only_once_the_sub_district_sets_its_points(
    branch, member, colleague
):
    """RULES.md gives no figures for the grade: it is seeded at 0 points (no entry), and a
    sub-district's own figure applies to the grade the general meeting decided, on that day."""
    from appraisal.models import Campaign, Participant

    campaign = Campaign.objects.create(
        organization=branch,
        year=2025,
        opens_on=dt.date(2026, 1, 5),
        closes_on=dt.date(2026, 1, 20),
        proposed_on=dt.date(2026, 1, 22),
        decided_on=dt.date(2026, 1, 25),
    )
    Participant.objects.create(
        campaign=campaign, member=member, is_graded=True, can_vote=True, final_grade="excellent"
    )
    Participant.objects.create(
        campaign=campaign, member=colleague, is_graded=True, can_vote=True, final_grade="qualified"
    )
    recompute(branch)
    rules = PointRule.objects.filter(
        sub_district=branch.sub_district, event__startswith="appraisal."
    )
    assert rules.count() == 4
    assert set(rules.values_list("points", flat=True)) == {Decimal(0)}
    assert not PointEntry.objects.filter(source_kind="appraisal").exists()
    before = total(member)

    rules.filter(event="appraisal.excellent").update(points=Decimal(5))
    recompute(branch)
    entry = PointEntry.objects.get(source_kind="appraisal")
    assert (entry.member_id, entry.day, entry.points) == (member.pk, dt.date(2026, 1, 25), 5)
    assert total(member) == before + 5
    assert total(colleague) == Decimal(60)
