"""The branch's points register (XLSX): a row per member with points per source, total, stars and
rank; every counted entry with its source on the second sheet; scoped; queries do not grow."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member
from points.services.recompute import recompute_points
from tests.members.factories import MemberFactory
from tests.points.conftest import held

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _recompute():
    recompute_points(members=Member.objects.all(), first=YEAR[0], last=YEAR[1])


def _sheets(response):
    workbook = load_workbook(io.BytesIO(response.content))
    register, entries = workbook.worksheets
    return list(register.iter_rows(values_only=True)), list(entries.iter_rows(values_only=True))


def test_register_rows_totals_and_sources(client, secretary, branch, member, colleague):
    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "absent"})
    held(branch, dt.date(2026, 4, 9), rows={member: "present", colleague: "present"})
    _recompute()
    client.force_login(secretary)
    url = reverse("staff:points-branch-register", args=[branch.pk]) + "?year=2026"
    response = client.get(url)
    assert response.status_code == 200
    register, entries = _sheets(response)
    header = register[1]
    assert header[:2] == ("名次", "姓名")
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in register[2:]}
    assert rows["张三"]["名次"] == 1
    assert Decimal(str(rows["张三"]["合计"])) == Decimal(64)  # base 60 + 2 + 2
    assert Decimal(str(rows["李四"]["合计"])) == Decimal(59)  # base 60 − 3 + 2
    assert Decimal(str(rows["李四"]["会议出勤"])) == Decimal(-1)
    # Every counted entry with its source, traceable: 2 bases + 4 attendances.
    assert len(entries) - 1 == 6
    assert {row[2] for row in entries[1:]} == {"年度基础分", "会议出勤"}
    assert ("李四", dt.datetime(2026, 3, 12), "会议出勤") in {row[:3] for row in entries[1:]}


def test_register_is_scoped(client, other_secretary, branch, member):
    client.force_login(other_secretary)
    url = reverse("staff:points-branch-register", args=[branch.pk])
    assert client.get(url).status_code == 404


def test_register_queries_do_not_grow(
    client, secretary, branch, member, django_assert_max_num_queries
):
    client.force_login(secretary)
    url = reverse("staff:points-branch-register", args=[branch.pk]) + "?year=2026"
    held(branch, dt.date(2026, 3, 12), rows={member: "present"})
    _recompute()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    others = MemberFactory.create_batch(15, organization=branch)
    held(branch, dt.date(2026, 5, 12), rows=dict.fromkeys(others, "present"))
    _recompute()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    register, entries = _sheets(response)
    assert len(register) - 2 == 16
