"""Roster import at scale: a 5,000-row file, validated and written all or nothing."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from members import roster
from members.models import Member
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory
from tests.members.factories import valid_id

pytestmark = pytest.mark.django_db

ROWS = 5000


def build_file(branch_names: list[str]) -> bytes:
    import datetime as dt

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(roster.headings())
    for i in range(ROWS):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=i // 1000 * 400 + i % 1000 * 13)
        sheet.append(
            [f"党员{i}", "男", "汉族", born.isoformat(), valid_id(i % 1000, born), "13900000000",
             "大学本科", "职员", "某单位", "某地址", "", branch_names[i % len(branch_names)], "",
             "正式党员", "在职党员", f"{born.year + 25}-07-01", "", "否"]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_of_a_5000_row_roster(timer):
    sub_district = SubDistrictFactory(name="压测街道")
    root = OrganizationFactory(sub_district=sub_district, name="压测党工委")
    names = [OrganizationFactory(parent=root, name=f"压测支部{b:02d}").name for b in range(20)]
    staff = UserFactory(username="bench_staff", is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    content = build_file(names)

    start = time.perf_counter()
    result = roster.import_roster(actor=staff, upload=io.BytesIO(content))
    elapsed = (time.perf_counter() - start) * 1000
    assert result.created == ROWS == Member.objects.count()
    timer.rows["import 5,000 rows (first run)"] = {
        "median_ms": round(elapsed, 2),
        "p95_ms": round(elapsed, 2),
        "runs": 1,
    }

    def rejected() -> None:
        # Every row is now a duplicate: the whole file is validated and refused.
        try:
            roster.import_roster(actor=staff, upload=io.BytesIO(content))
        except roster.ImportRejected as exc:
            assert len(exc.errors) == ROWS

    timer.measure("validate 5,000 duplicate rows (refused)", rejected, repeat=3)
    assert elapsed < 20_000, "a 5,000-row import should take a few seconds"
