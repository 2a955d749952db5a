"""The report pack's points section: branches ranked by star rating (average + the level above's
score), members per star level, the year to the quarter's end only; top members by name only
where the sub-district shows members their rank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from branches.services.tree import found_organization
from members.models import Member
from points.models import BranchScore, PointsSettings
from points.services.recompute import recompute_points
from reports.figures import build_figures, section, table_of
from reports.scope import ReportScope
from tests.members.factories import MemberFactory
from tests.points.conftest import held

pytestmark = pytest.mark.django_db


def _branch(work_committee, name):
    return found_organization(
        sub_district=work_committee.sub_district,
        parent=work_committee,
        name=name,
        kind="branch",
        sector="community",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )


@pytest.fixture
def two_branches(work_committee, clock):
    clock.set(dt.date(2026, 7, 15))
    east, west = _branch(work_committee, "东苑支部"), _branch(work_committee, "西苑支部")
    a, b = MemberFactory(organization=east, full_name="甲"), MemberFactory(organization=east)
    c = MemberFactory(organization=west, full_name="丙")
    held(east, dt.date(2026, 3, 12), rows={a: "present", b: "absent"})
    held(west, dt.date(2026, 3, 13), rows={c: "present"})
    # After the quarter: not in Q1's pack.
    held(west, dt.date(2026, 5, 13), rows={c: "present"})
    recompute_points(
        members=Member.objects.all(), first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31)
    )
    BranchScore.objects.create(organization=east, year=2026, score=Decimal(5), reason="上级评定")
    return east, west


def test_branches_ranked_by_star_rating_as_of_the_quarter(two_branches, work_committee):
    PointsSettings.objects.update_or_create(
        sub_district=work_committee.sub_district, defaults={"show_rank_to_members": False}
    )
    with translation.override("en"):
        figures = build_figures(ReportScope(sub_district=work_committee.sub_district), 2026, 1)
    rows = table_of(figures, "points", "branches")["rows"]
    # East: (62 + 57) / 2 = 59.5 + 5 = 64.5; west: 62 (May's +2 is after the quarter).
    assert [row[1:6] for row in rows] == [
        ["东苑支部", 2, 59.5, 5.0, 64.5],
        ["西苑支部", 1, 62.0, 0.0, 62.0],
    ]
    assert [row[0] for row in rows] == [1, 2]
    assert section(figures, "points")["figures"]["branches"] == 2
    # Where members are not shown their rank, no names in the pack.
    assert [t["key"] for t in section(figures, "points")["tables"]] == ["branches"]


def test_top_members_by_name_when_the_sub_district_shows_ranks(two_branches, work_committee):
    PointsSettings.objects.update_or_create(
        sub_district=work_committee.sub_district, defaults={"show_rank_to_members": True}
    )
    with translation.override("en"):
        figures = build_figures(ReportScope(sub_district=work_committee.sub_district), 2026, 1)
    top = table_of(figures, "points", "top_members")["rows"]
    assert [row[1] for row in top[:2]] == ["丙", "甲"]  # equal totals: by name
    assert {row[3] for row in top[:2]} == {62.0}
    assert len(top[0]) == 5  # rank, name, branch, points, stars: nothing personal beyond names
