"""The roster export read as values (one query, labels from dicts) gives exactly what the export
built from model instances and `get_FOO_display` gave, in XLSX and in CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members.models import Member
from members.roster import _neutral, export_headings
from tests.access import assert_access
from tests.branches.factories import CommunityFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _model_rows() -> list[list]:
    """The export as it was written before: a model instance per member, `get_FOO_display`."""
    members = (
        Member.objects.filter(state="active")
        .select_related("organization", "party_group", "community")
        .order_by("organization__path", "full_name", "pk")
    )
    return [
        [
            m.full_name,
            m.get_gender_display(),
            m.ethnicity,
            m.birth_date,
            m.id_number_masked,
            m.phone_masked,
            m.get_education_display(),
            m.occupation,
            m.work_unit,
            m.address,
            m.community.name if m.community_id else "",
            m.organization.name,
            m.party_group.name if m.party_group_id else "",
            m.get_status_display(),
            m.get_category_display(),
            m.joined_on,
            m.confirmed_on,
            "是" if m.in_hardship else "否",
            m.get_state_display(),
        ]
        for m in members
    ]


def _read_back(rows: list[list], headings: list | None = None) -> list[list]:
    """What a spreadsheet reads from those rows written by openpyxl, as the export wrote them."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append(headings or export_headings())
    for row in rows:
        sheet.append([_neutral(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return [list(r) for r in load_workbook(buffer).worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def varied(branch, other_branch, party_group):
    community = CommunityFactory(name="联盟新城社区")
    MemberFactory(
        organization=branch,
        party_group=party_group,
        community=community,
        full_name="甲",
        gender="female",
        education="undergraduate",
        category="retired",
        in_hardship=True,
        occupation="=cmd|' /C calc'!A0",
        work_unit="+1",
        address="@x",
    )
    MemberFactory(
        organization=branch,
        full_name="乙",
        gender="male",
        education="",
        category="",
        phone="",
        ethnicity="回族",
        confirmed_on=None,
    )
    MemberFactory(
        organization=other_branch,
        full_name="丙",
        status="probationary",
        phone="12345",
        joined_on=dt.date(2024, 7, 1),
        confirmed_on=None,
    )
    MemberFactory(organization=other_branch, full_name="丁", state="left")  # not exported


def test_xlsx_export_is_identical_to_the_model_based_one(clients, varied):
    response = clients["staff"].get(reverse("staff:member-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="member-roster-')
    body = b"".join(response.streaming_content)
    exported = [
        list(r) for r in load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True)
    ]
    expected = _read_back(_model_rows())
    assert len(expected) == 4  # headings and three active members
    assert exported == expected
    first = next(r for r in exported if r[0] == "甲")
    assert first[7] == "'=cmd|' /C calc'!A0"  # a formula is written as text
    assert first[1] == "女" and first[17] == "是" and first[10] == "联盟新城社区"


def test_csv_export_has_the_same_rows_as_text(clients, varied):
    response = clients["staff"].get(reverse("staff:member-export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 Chinese only after a BOM
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    def text(value):
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else str(_neutral(value))

    assert rows == [export_headings()] + [[text(v) for v in r] for r in _model_rows()]
    second = next(r for r in rows if r[0] == "乙")
    assert second[1] == "男" and second[17] == "否" and second[16] == "" and second[5] == ""


def test_csv_export_access_matrix(clients):
    assert_access(clients, reverse("staff:member-export-csv"), {
        "anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200,
    })  # fmt: skip


@pytest.mark.parametrize("name", ["staff:member-export", "staff:member-export-csv"])
def test_export_reads_its_rows_in_a_fixed_number_of_queries(
    clients, branch, name, django_assert_max_num_queries
):
    MemberFactory.create_batch(40, organization=branch)
    client = clients["staff"]
    client.get(reverse(name))  # session and scope warmed
    # session, user, second-factor device, roles, permissions (2), scope, the audit entry and
    # the rows: one query however many there are, in a transaction of its own (SET LOCAL of
    # the cursor's planning, and here a savepoint and its release)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
        b"".join(response.streaming_content)


def test_the_sheet_writer_reads_back_as_openpyxl_wrote():
    from decimal import Decimal

    from members.sheetwriter import write_xlsx

    rows = [
        ["名称", "数", "日期", "是否"],
        ['a & <b> "c"', 3, dt.date(2024, 2, 29), True],
        ["  前后空格  ", 2.5, None, False],
        ["", Decimal("1.25"), dt.date(1950, 1, 1), "控制\x07字符"],
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, "名册 & <x>", rows)
    book = load_workbook(buffer)
    assert book.sheetnames == ["名册 & <x>"]
    got = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    clean = [[v.replace("\x07", "") if isinstance(v, str) else v for v in r] for r in rows]
    assert got == _read_back(clean[1:], headings=clean[0])
    with pytest.raises(TypeError):
        write_xlsx(io.BytesIO(), "x", [[object()]])
