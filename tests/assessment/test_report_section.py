from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from assessment.services import inspections
from branches.models import OrganizationKind, Sector
from branches.services.tree import found_organization
from reports.figures import build_figures, section, table_of
from reports.scope import ReportScope
from tests.assessment.conftest import TODAY
from tests.branches.factories import SubDistrictFactory

pytestmark = pytest.mark.django_db


def test_the_pack_shows_inspections_and_overdue_rectifications(staff, secretary):
    # Founded through the tree's service, so the branch has its dated history (the pack reads
    # the branches as they stood at the quarter's end).
    sub_district = SubDistrictFactory(name="测试街道")
    root = found_organization(
        sub_district=sub_district,
        parent=None,
        name="测试街道党工委",
        kind=OrganizationKind.WORK_COMMITTEE,
        founded_on=dt.date(2019, 1, 1),
        actor=None,
    )
    branch = found_organization(
        sub_district=sub_district,
        parent=root,
        name="甲社区党支部",
        kind=OrganizationKind.BRANCH,
        sector=Sector.COMMUNITY,
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    checklist = inspections.create_checklist(
        sub_district=sub_district,
        title="日常督查",
        kind="routine",
        items=[("记录", Decimal(10)), ("阵地", Decimal(10))],
        actor=staff,
    )
    items = list(checklist.items.order_by("position").values_list("pk", flat=True))
    visit = inspections.record_inspection(
        checklist=checklist,
        organization=branch,
        visited_on=dt.date(2026, 5, 20),
        inspectors="张三",
        summary="",
        scores={items[0]: (Decimal(9), ""), items[1]: (Decimal(6), "")},
        actor=staff,
    )
    inspections.add_rectification(
        inspection=visit,
        description="更新阵地标识",
        owner=secretary,
        deadline=dt.date(2026, 6, 5),
        actor=staff,
    )
    with translation.override("en"):
        figures = build_figures(ReportScope(sub_district=sub_district), 2026, 2, today=TODAY)
    found = section(figures, "assessment")
    assert found["figures"] == {"inspections": 1, "overdue": 1, "graded": 0}
    rows = {row[0]: row[1:] for row in table_of(figures, "assessment", "per_branch")["rows"]}
    assert rows == {branch.name: [1, Decimal("75.0"), 1, "", "", ""]}
