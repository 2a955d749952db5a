# ruff: noqa: F811  (the `world` fixture is imported from test_figures and named by the tests)
"""A past quarter's figures as the quarter was: members in the branch that kept them on its last
day (transfers accepted since are undone for the count), their status then, and the committees
whose terms were in force then."""

from __future__ import annotations

import datetime as dt

import pytest

from committees.models import CommitteeTerm
from members.models import MembershipState, MemberStatus, TransferKind
from members.transfers import accept_transfer, issue_transfer
from reports.figures import members_on, moves_since, section
from reports.scope import ReportScope
from tests.members.factories import MemberFactory
from tests.reports.test_figures import (
    build,
    rows,
    world,  # noqa: F401  (the fixture)
)

pytestmark = pytest.mark.django_db

END = dt.date(2026, 6, 30)


def move(member, to, clock, day: dt.date) -> None:
    """An internal transfer issued and accepted on `day` (the clock set to it)."""
    clock.set(day, 10)
    transfer = issue_transfer(
        actor=None, member=member, kind=TransferKind.INTERNAL, issued_on=day, to_organization=to
    )
    accept_transfer(actor=None, transfer=transfer)


def members(world, branch) -> int:
    return build(world, organization=branch)["sections"][0]["figures"]["members"]


def test_a_member_who_moved_branch_after_the_quarter_counts_in_the_old_branch(world, clock):
    a, b = world["a"], world["b"]
    mover = MemberFactory(organization=a)
    MemberFactory(organization=b)
    move(mover, b, clock, dt.date(2026, 8, 3))
    mover.refresh_from_db()
    assert mover.organization == b  # today's branch

    assert members(world, a) == 1
    assert members(world, b) == 1
    assert section(build(world), "members")["figures"]["total"] == 2  # once, not twice
    scope_a = ReportScope(sub_district=world["sub_district"], organization=a)
    assert set(members_on(scope_a, END)) == {mover}
    # The day after it moved, the member is b's.
    assert set(members_on(scope_a, dt.date(2026, 8, 3))) == set()


def test_a_member_who_moved_during_the_quarter_counts_in_the_new_branch(world, clock):
    a, b = world["a"], world["b"]
    mover = MemberFactory(organization=a)
    move(mover, b, clock, dt.date(2026, 5, 12))
    assert members(world, a) == 0
    assert members(world, b) == 1


def test_the_first_transfer_after_the_quarter_says_where_the_member_was(world, clock):
    a, b, village = world["a"], world["b"], world["village"]
    mover = MemberFactory(organization=a)
    move(mover, b, clock, dt.date(2026, 7, 20))
    move(mover, village, clock, dt.date(2026, 9, 1))
    assert members(world, a) == 1
    assert members(world, b) == 0
    assert members(world, village) == 0
    scope = ReportScope(sub_district=world["sub_district"], organization=village)
    moves = moves_since(scope, END)
    assert moves.away == {mover.pk} and not moves.back


def test_a_member_from_another_sub_district_counts_there_until_the_move(world, clock):
    a = world["a"]
    newcomer = MemberFactory(organization=world["other_branch"])
    move_day = dt.date(2026, 7, 15)
    clock.set(move_day, 10)
    transfer = issue_transfer(
        actor=None,
        member=newcomer,
        kind=TransferKind.INTERNAL,
        issued_on=move_day,
        to_organization=a,
    )
    accept_transfer(actor=None, transfer=transfer)
    assert section(build(world), "members")["figures"]["total"] == 0
    assert members(world, a) == 0


def test_joined_after_is_not_counted_and_left_after_is(world):
    a = world["a"]
    MemberFactory(
        organization=a,
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 7, 1),
        confirmed_on=None,
    )
    MemberFactory(organization=a, state=MembershipState.LEFT, state_changed_on=dt.date(2026, 7, 1))
    MemberFactory(organization=a, state=MembershipState.LEFT, state_changed_on=END)
    # Full today, confirmed after the quarter: probationary at its end.
    MemberFactory(organization=a, joined_on=dt.date(2025, 9, 1), confirmed_on=dt.date(2026, 9, 1))
    figures = build(world, organization=a)
    assert section(figures, "organisation")["figures"]["members"] == 2
    assert rows(figures, "members", "by_status")["Full member"] == [1]
    assert rows(figures, "members", "by_status")["Probationary member"] == [1]
    assert rows(figures, "members", "flows")["Left the party"] == [1]


def term(organization, started_on, *, ended_on=None, years=5):
    return CommitteeTerm.objects.create(
        organization=organization,
        started_on=started_on,
        planned_end_on=started_on.replace(year=started_on.year + years),
        ended_on=ended_on,
    )


def test_committees_are_those_in_office_on_the_quarters_last_day(world):
    a, b, village, enterprise = world["a"], world["b"], world["village"], world["enterprise"]
    term(a, dt.date(2024, 3, 1))  # in office
    term(b, dt.date(2026, 7, 1))  # started the day after the quarter: not yet
    term(village, dt.date(2021, 3, 1), ended_on=dt.date(2026, 6, 29), years=3)  # gone by the end
    term(village, dt.date(2026, 6, 30))  # elected on the last day: in office, elected in it
    term(enterprise, dt.date(2020, 5, 1), years=5)  # overdue: ended 2025-05-01 on paper
    changes = rows(build(world), "organisation", "changes")
    assert changes["Committees in office at quarter end"] == [3]
    assert changes["Committees overdue for election at quarter end"] == [1]
    assert changes["Committees elected or renewed"] == [1]
