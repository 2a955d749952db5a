from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.compliance import checks_by_branch, checks_for, counts_by_kind, heat_map
from activities.models import CadenceRule, MeetingKind
from branches.models import OrganizationKind
from committees.services.terms import start_committee_term
from tests.activities.factories import MeetingFactory
from tests.branches.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


def find(checks, kind, label, lecture_kind=""):
    return next(
        c
        for c in checks
        if c.rule.kind == kind and c.rule.lecture_kind == lecture_kind and c.period.label == label
    )


def test_a_quarterly_general_meeting_is_met_by_one_held_in_the_quarter(branch):
    MeetingFactory(
        organization=branch, kind=MeetingKind.GENERAL_MEETING, held_on=dt.date(2026, 2, 3)
    )
    checks = checks_for([branch], dt.date(2026, 1, 1), dt.date(2026, 12, 31), TODAY)
    assert find(checks, "general_meeting", "2026Q1").met
    q2 = find(checks, "general_meeting", "2026Q2")
    assert not q2.met and q2.missing
    q4 = find(checks, "general_meeting", "2026Q4")
    assert not q4.closed and not q4.missing  # still open


def test_theme_day_is_monthly_and_a_planned_meeting_does_not_count(branch):
    MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 5, 10))
    MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY)  # planned, not held
    checks = checks_for([branch], dt.date(2026, 5, 1), dt.date(2026, 6, 30), TODAY)
    assert find(checks, "theme_day", "2026-05").met
    assert not find(checks, "theme_day", "2026-06").met


def test_committee_meetings_are_required_only_of_branches_with_a_committee(branch, other_branch):
    start_committee_term(organization=branch, started_on=dt.date(2024, 1, 1), actor=None)
    checks = checks_for([branch, other_branch], dt.date(2026, 3, 1), dt.date(2026, 3, 31), TODAY)
    kinds = {(c.organization_id, c.rule.kind) for c in checks}
    assert (branch.pk, "committee_meeting") in kinds
    assert (other_branch.pk, "committee_meeting") not in kinds


def test_party_groups_are_checked_monthly_for_group_meetings_only(party_group):
    checks = checks_for([party_group], dt.date(2026, 3, 1), dt.date(2026, 3, 31), TODAY)
    assert {c.rule.kind for c in checks} == {"group_meeting"}


def test_any_lecture_counts_quarterly_but_only_the_secretarys_counts_for_the_yearly_rule(branch):
    MeetingFactory(
        organization=branch,
        kind=MeetingKind.LECTURE,
        lecture_kind="expert",
        held_on=dt.date(2025, 4, 2),
    )
    checks = checks_for([branch], dt.date(2025, 1, 1), dt.date(2025, 12, 31), TODAY)
    assert find(checks, "lecture", "2025Q2").met
    assert not find(checks, "lecture", "2025", "secretary").met


def test_a_sub_district_may_override_a_local_rule(branch):
    CadenceRule.objects.create(
        sub_district=branch.sub_district,
        kind="lecture",
        lecture_kind="",
        applies_to="branch",
        granularity="month",
        required=1,
        is_local=True,
    )
    checks = checks_for([branch], dt.date(2026, 1, 1), dt.date(2026, 1, 31), TODAY)
    lecture = [c for c in checks if c.rule.kind == "lecture" and not c.rule.lecture_kind]
    assert [c.period.granularity for c in lecture] == ["month"]


def test_heat_map_rows_are_branches_with_their_groups_and_a_rate(branch, party_group):
    MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 1, 9))
    MeetingFactory(
        organization=party_group, kind=MeetingKind.GROUP_MEETING, held_on=dt.date(2026, 1, 12)
    )
    rows = heat_map([branch], 2026, TODAY)
    assert len(rows) == 1
    january = rows[0].cells[0]
    assert january.state == "complete"
    assert rows[0].cells[1].state == "behind"  # February: nothing held
    assert rows[0].cells[11].state in ("open", "future")
    assert 0 <= rows[0].rate < 100


def test_heat_map_query_count_does_not_grow(work_committee, django_assert_max_num_queries):
    branches = [OrganizationFactory(parent=work_committee, name="甲支部")]
    with django_assert_max_num_queries(6) as few:
        heat_map(branches, 2026, TODAY)
    for i in range(15):
        branch = OrganizationFactory(parent=work_committee, name=f"支部{i}")
        OrganizationFactory(parent=branch, name="党小组", kind=OrganizationKind.PARTY_GROUP)
        MeetingFactory(organization=branch, held_on=dt.date(2026, 3, 3))
        branches.append(branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        heat_map(branches, 2026, TODAY)


def test_counts_by_kind_in_a_range(branch):
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 12)):
        MeetingFactory(organization=branch, kind="lecture", lecture_kind="lead_study", held_on=day)
    MeetingFactory(
        organization=branch, kind="lecture", lecture_kind="secretary", held_on=dt.date(2026, 2, 1)
    )
    counts = counts_by_kind([branch], dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert counts == [("lecture", "lead_study", 2)]


def _branches_with_groups(work_committee, n: int, prefix: str) -> list:
    branches = []
    for i in range(n):
        branch = OrganizationFactory(parent=work_committee, name=f"{prefix}{i}")
        OrganizationFactory(parent=branch, name="党小组", kind=OrganizationKind.PARTY_GROUP)
        MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 3, 3))
        branches.append(branch)
    return branches


def test_heat_map_and_checks_run_as_many_queries_for_3_branches_as_for_12(work_committee):
    few = _branches_with_groups(work_committee, 3, "甲")
    many = few + _branches_with_groups(work_committee, 9, "乙")
    counts = []
    for branches in (few, many):
        with CaptureQueriesContext(connection) as heat:
            heat_map(branches, 2026, TODAY)
        with CaptureQueriesContext(connection) as checks:
            checks_by_branch(branches, dt.date(2026, 4, 1), dt.date(2026, 6, 30), TODAY)
        counts.append((len(heat.captured_queries), len(checks.captured_queries)))
    assert counts[0] == counts[1]


def test_meetings_outside_the_periods_asked_change_nothing(branch):
    def quarter_two() -> list[tuple]:
        checks = checks_for([branch], dt.date(2026, 4, 1), dt.date(2026, 6, 30), TODAY)
        return sorted((c.rule.kind, c.rule.lecture_kind, c.period.label, c.held) for c in checks)

    MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 5, 8))
    before = quarter_two()
    for day in (dt.date(2026, 3, 31), dt.date(2026, 7, 1), dt.date(2025, 5, 8)):
        MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=day)
        MeetingFactory(organization=branch, kind=MeetingKind.GENERAL_MEETING, held_on=day)
    assert quarter_two() == before
    assert ("theme_day", "", "2026-05", 1) in before


def test_a_request_inside_a_quarter_counts_the_whole_quarter_for_a_quarterly_rule(branch):
    MeetingFactory(
        organization=branch, kind=MeetingKind.GENERAL_MEETING, held_on=dt.date(2026, 4, 2)
    )
    checks = checks_for([branch], dt.date(2026, 5, 10), dt.date(2026, 5, 20), TODAY)
    general = find(checks, "general_meeting", "2026Q2")
    assert general.held == 1 and general.met
    assert find(checks, "theme_day", "2026-05").held == 0


def test_a_quarter_asked_reads_the_meetings_of_that_quarter_only(branch):
    """With no yearly rule in force, no meeting of another quarter is read (the old build
    fetched the whole year of monthly counts for a one-quarter report)."""
    CadenceRule.objects.filter(granularity="year").update(is_active=False)
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    with CaptureQueriesContext(connection) as captured:
        checks_by_branch([branch], *q2, TODAY)
    days = [
        value
        for query in captured.captured_queries
        for value in re.findall(r"'(\d{4}-\d{2}-\d{2})'", query["sql"])
    ]
    assert days, "the meetings query is bounded by dates"
    assert all(q2[0].isoformat() <= day <= q2[1].isoformat() for day in days)


def test_each_period_is_judged_by_the_committee_in_office_then(branch, other_branch):
    """A committee that ended in March owes 支委会 up to March only; one elected in May owes
    them from May: past months are judged by their own committee, not by today's."""
    term = start_committee_term(organization=branch, started_on=dt.date(2023, 1, 1), actor=None)
    term.ended_on = dt.date(2026, 3, 31)
    term.save(update_fields=["ended_on"])
    start_committee_term(organization=other_branch, started_on=dt.date(2026, 5, 1), actor=None)
    MeetingFactory(
        organization=branch, kind=MeetingKind.COMMITTEE_MEETING, held_on=dt.date(2026, 2, 9)
    )
    checks = checks_for([branch, other_branch], dt.date(2026, 1, 1), dt.date(2026, 6, 30), TODAY)

    def months(org):
        return sorted(
            c.period.label
            for c in checks
            if c.organization_id == org.pk and c.rule.kind == "committee_meeting"
        )

    assert months(branch) == ["2026-01", "2026-02", "2026-03"]
    assert months(other_branch) == ["2026-05", "2026-06"]
    assert find(checks, "committee_meeting", "2026-02").met
    assert not find(checks, "committee_meeting", "2026-01").met


def test_the_heat_map_asks_no_committee_meeting_of_a_month_with_no_committee(branch):
    term = start_committee_term(organization=branch, started_on=dt.date(2023, 1, 1), actor=None)
    term.ended_on = dt.date(2026, 3, 31)
    term.save(update_fields=["ended_on"])
    row = heat_map([branch], 2026, TODAY)[0]
    owed = {cell.month.label: [rule.kind for rule in cell.missing] for cell in row.cells}
    assert "committee_meeting" in owed["2026-03"]
    assert "committee_meeting" not in owed["2026-04"]


def test_the_builds_take_a_fixed_number_of_queries_whatever_the_branches_and_periods(
    work_committee, django_assert_num_queries
):
    """Rules, the meetings held counted per organisation, kind and month, and the committee
    terms in office (plus the party groups for the heat map and the checks per branch): 4
    queries for those two, 3 for the checks of given organisations; the same for 1 branch and a
    month as for 12 and 3 years."""
    one = _branches_with_groups(work_committee, 1, "丙")
    start_committee_term(organization=one[0], started_on=dt.date(2024, 1, 1), actor=None)
    twelve = one + _branches_with_groups(work_committee, 11, "丁")
    for branches, start, end in [
        (one, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (twelve, dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
    ]:
        with django_assert_num_queries(4):
            heat_map(branches, end.year, TODAY)
        with django_assert_num_queries(4):
            checks_by_branch(branches, start, end, TODAY)
        with django_assert_num_queries(3):
            checks_for(branches, start, end, TODAY)


def test_the_heat_map_counts_what_the_checks_count(branch, party_group):
    """The heat map's cells agree with the checks listed one by one."""
    start_committee_term(organization=branch, started_on=dt.date(2026, 2, 10), actor=None)
    for day, kind, org in [
        (dt.date(2026, 1, 9), MeetingKind.THEME_DAY, branch),
        (dt.date(2026, 2, 20), MeetingKind.COMMITTEE_MEETING, branch),
        (dt.date(2026, 4, 2), MeetingKind.GENERAL_MEETING, branch),
        (dt.date(2026, 5, 12), MeetingKind.GROUP_MEETING, party_group),
    ]:
        MeetingFactory(organization=org, kind=kind, held_on=day)
    row = heat_map([branch], 2026, TODAY)[0]
    checks = checks_by_branch([branch], dt.date(2026, 1, 1), dt.date(2026, 12, 31), TODAY)[
        branch.pk
    ]
    for cell in row.cells:
        ending = [c for c in checks if c.period.end.month == cell.month.start.month]
        assert (cell.total, cell.met) == (len(ending), sum(c.met for c in ending))
        assert sorted(cell.missing_labels) == sorted(c.label for c in ending if not c.met)
    closed = [c for c in checks if c.closed]
    assert row.rate == round(100 * sum(c.met for c in closed) / len(closed))


def test_a_recorded_talk_meets_the_yearly_talk_rule_and_an_election_counts_as_a_general_meeting(
    branch,
):
    from activities.models import Talk
    from tests.members.factories import MemberFactory

    first, second = MemberFactory.create_batch(2, organization=branch)
    checks = checks_for([branch], dt.date(2026, 1, 1), dt.date(2026, 12, 31), TODAY)
    assert not find(checks, "talk", "2026").met
    assert not find(checks, "general_meeting", "2026Q2").met
    Talk.objects.create(
        organization=branch, first=first, second=second, held_on=dt.date(2026, 4, 2), topic="谈心"
    )
    MeetingFactory(organization=branch, kind=MeetingKind.ELECTION, held_on=dt.date(2026, 5, 6))
    checks = checks_for([branch], dt.date(2026, 1, 1), dt.date(2026, 12, 31), TODAY)
    assert find(checks, "talk", "2026").met
    assert find(checks, "general_meeting", "2026Q2").met
