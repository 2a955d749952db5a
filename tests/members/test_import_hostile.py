"""Broken and hostile spreadsheets: every one gets a clear Chinese message, writes nothing, and
never costs more than the reader's budget (counted in rows read, not in seconds)."""

from __future__ import annotations

import functools
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from branches.models import Community
from members import tabular
from members.errors import ImportRejected
from members.inservice import services as inservice
from members.models import CommunityRegistration, Member, MemberChange
from tests.members.factories import MemberFactory, valid_id
from tests.members.test_roster import HEADINGS, row, workbook

pytestmark = pytest.mark.django_db

NOT_READABLE = "无法读取此文件"


def rewrite(content: bytes, part: str, change) -> bytes:
    """The same workbook with one part of its zip changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = change(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def roster_with_formula(branch_name: str, *, cached: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append(row(branch_name, 1, 职业=None))
    sheet["H2"] = '=CONCATENATE("教","师")'  # 职业, an optional column
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    if cached:
        content = rewrite(
            content, SHEET, lambda d: d.replace(b"</f><v></v>", "</f><v>教师</v>".encode())
        )
        assert "<v>教师</v>".encode() in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    return content


def far_column_rows(content: bytes, count: int) -> bytes:
    """A sheet declaring A1:XFD<n> and holding `count` empty rows with a styled far cell."""

    def change(data: bytes) -> bytes:
        last = data.count(b"<row ")
        rows = "".join(
            f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(last + 1, last + count + 1)
        )
        data = re.sub(
            rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:XFD{last + count}"/>'.encode(), data
        )
        return data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    return rewrite(content, SHEET, change)


@pytest.fixture
def community(sub_district, branch):
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    return community


def snapshot():
    return Member.objects.count(), MemberChange.objects.count()


def post_roster(client, content: bytes, name: str = "roster.xlsx"):
    return client.post(reverse("staff:member-import"), {"file": SimpleUploadedFile(name, content)})


@functools.lru_cache(maxsize=2)
def hostile_files(branch_name: str) -> dict[str, tuple[bytes, str, str]]:
    good = workbook([row(branch_name, 1)])
    bomb_strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (b"<si><t>" + b"A" * 1_000_000 + b"</t></si>") * 40
        + b"</sst>"
    )
    return {
        "truncated sheet": (
            rewrite(good, SHEET, lambda d: d[: len(d) // 2]),
            "roster.xlsx",
            NOT_READABLE,
        ),
        "malformed content types": (
            rewrite(good, "[Content_Types].xml", lambda d: d[:40] + b"<<<"),
            "roster.xlsx",
            NOT_READABLE,
        ),
        "not a zip": (b"PK\x03\x04 not really a zip", "roster.xlsx", NOT_READABLE),
        "zip of something else": (
            _zip_of({"a.txt": b"x"}),
            "roster.xlsx",
            NOT_READABLE,
        ),
        "huge shared strings": (
            _zip_of(
                {
                    **{
                        i.filename: zipfile.ZipFile(io.BytesIO(good)).read(i.filename)
                        for i in zipfile.ZipFile(io.BytesIO(good)).infolist()
                    },
                    "xl/sharedStrings.xml": bomb_strings,
                }
            ),
            "roster.xlsx",
            "解压后超过",
        ),
        "utf-16 csv": (
            (",".join(HEADINGS) + "\n").encode("utf-16"),
            "roster.csv",
            "UTF-16",
        ),
        "binary csv": (b"\xff\x80\x81\xfd" * 10, "roster.csv", "无法识别"),
    }


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "case",
    [
        "truncated sheet",
        "malformed content types",
        "not a zip",
        "zip of something else",
        "huge shared strings",
        "utf-16 csv",
        "binary csv",
    ],
)
def test_a_broken_or_hostile_roster_gets_a_clear_message_and_writes_nothing(clients, branch, case):
    content, name, message = hostile_files(branch.name)[case]
    response = post_roster(clients["staff"], content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == (0, 0)


def test_the_same_files_are_refused_by_the_in_service_import(clients, branch, community):
    url = reverse("staff:registration-bulk")
    for case, (content, name, message) in hostile_files(branch.name).items():
        response = clients["staff"].post(
            url, {"mode": "file", "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 400, case
        assert message in response.content.decode(), case
    assert not CommunityRegistration.objects.exists()


@pytest.mark.parametrize("cached", [False, True])
def test_a_formula_cell_is_refused_with_its_row_and_column(clients, branch, cached):
    response = post_roster(clients["staff"], roster_with_formula(branch.name, cached=cached))
    assert response.status_code == 400
    assert "公式" in response.content.decode()
    assert response.context["errors"] == [
        {
            "row": 2,
            "column": "职业",
            "message": "第 2 行 H 列是公式；请填写数值本身（复制后“选择性粘贴”为数值）。",
        }
    ]
    assert snapshot() == (0, 0)


def test_a_huge_declared_dimension_of_empty_rows_stops_early(clients, branch, settings):
    """300,000 empty far-column rows under a declared A1:XFD300002: the reader stops after the
    run of empty rows the budget allows, whatever the dimension says."""
    content = far_column_rows(workbook([]), 300_000)
    with tabular.open_table(io.BytesIO(content), name="r.xlsx", width=len(HEADINGS)) as table:
        assert list(table.rows()) == []
    assert table.rows_read <= settings.IMPORT_MAX_EMPTY_RUN + 1
    response = post_roster(clients["staff"], content)
    assert response.status_code == 400
    assert "没有党员数据" in response.content.decode()
    assert snapshot() == (0, 0)


def test_rows_above_a_run_of_empty_formatted_rows_are_imported(clients, branch):
    content = far_column_rows(workbook([row(branch.name, 1), row(branch.name, 2)]), 300_000)
    response = post_roster(clients["staff"], content)
    assert response.status_code == 302
    assert Member.objects.filter(organization=branch).count() == 2


def test_budgets_of_rows_cells_and_columns_are_enforced(clients, branch, settings):
    settings.IMPORT_MAX_ROWS = 10
    content = workbook([row(branch.name, n) for n in range(1, 12)])
    response = post_roster(clients["staff"], content)
    assert response.status_code == 400 and "超过 10 行" in response.content.decode()

    settings.IMPORT_MAX_ROWS = 10_000
    settings.IMPORT_MAX_CELLS = 100
    content = workbook([row(branch.name, n) for n in range(1, 12)])
    response = post_roster(clients["staff"], content)
    assert response.status_code == 400 and "单元格超过 100 个" in response.content.decode()

    settings.IMPORT_MAX_CELLS = 200_000
    content = workbook([row(branch.name, 1)], headings=[*HEADINGS, *[f"x{n}" for n in range(40)]])
    response = post_roster(clients["staff"], content)
    assert response.status_code == 400 and "超过 40 列" in response.content.decode()
    assert snapshot() == (0, 0)


def test_a_roster_in_gb18030_csv_is_imported(clients, branch):
    lines = [",".join(HEADINGS), ",".join(row(branch.name, 1)), ",".join(row(branch.name, 2))]
    content = ("\r\n".join(lines) + "\r\n").encode("gb18030")
    response = post_roster(clients["staff"], content, "花名册.csv")
    assert response.status_code == 302
    assert set(Member.objects.values_list("full_name", flat=True)) == {"导入党员1", "导入党员2"}


def test_a_roster_in_utf8_csv_with_bom_is_imported(clients, branch):
    lines = [",".join(HEADINGS), ",".join(row(branch.name, 1))]
    content = ("\n".join(lines)).encode("utf-8-sig")
    response = post_roster(clients["staff"], content, "roster.csv")
    assert response.status_code == 302
    assert Member.objects.get().full_name == "导入党员1"


def test_in_service_import_reads_a_gb18030_csv(other_branch, community, other_secretary):
    member = MemberFactory(organization=other_branch, id_number=valid_id(7))
    today = timezone.localdate().isoformat()
    text = ",".join(inservice.BULK_HEADINGS) + "\n"
    text += f"{valid_id(7)},{member.full_name},{community.name},{today},摄影,\n"
    done = inservice.import_registrations(
        actor=other_secretary,
        upload=io.BytesIO(text.encode("gb18030")),
        size=None,
        name="报到.csv",
        employer_name="郑州四十七中",
    )
    assert [r.member for r in done] == [member]
    assert Community.objects.filter(pk=community.pk).exists()


def test_in_service_import_refuses_a_formula(other_branch, community, other_secretary):
    book = Workbook()
    sheet = book.active
    sheet.append(inservice.BULK_HEADINGS)
    sheet.append([valid_id(7), "某人", community.name, None, "=1+1", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected) as caught:
        inservice.import_registrations(actor=other_secretary, upload=buffer, size=None)
    assert caught.value.errors[0]["row"] == 2 and caught.value.errors[0]["column"] == "特长"
    assert not CommunityRegistration.objects.exists()


def test_data_rows_spaced_out_by_empty_runs_are_bounded_too(settings):
    """Rows just short of the empty-run stop, again and again: the total of rows read is capped
    at IMPORT_MAX_ROWS + IMPORT_MAX_EMPTY_RUN."""
    settings.IMPORT_MAX_ROWS = 10
    settings.IMPORT_MAX_EMPTY_RUN = 10
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for n in range(5):
        sheet.cell(row=2 + n * 9, column=1, value=f"党员{n}")  # 8 empty rows between
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with (
        pytest.raises(ImportRejected, match="10"),
        tabular.open_table(buffer, name="r.xlsx", width=len(HEADINGS)) as table,
    ):
        list(table.rows())
    assert table.rows_read == 21


API_IMPORT = "/api/v1/members/import/"


@pytest.mark.parametrize(
    "case",
    [
        "truncated sheet",
        "malformed content types",
        "not a zip",
        "huge shared strings",
        "utf-16 csv",
        "binary csv",
    ],
)
def test_the_api_refuses_broken_or_hostile_rosters_with_a_chinese_message(clients, branch, case):
    content, name, message = hostile_files(branch.name)[case]
    response = clients["staff"].post(API_IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert snapshot() == (0, 0)


def test_the_api_refuses_a_formula_with_its_row_and_column(clients, branch):
    content = roster_with_formula(branch.name, cached=True)
    response = clients["staff"].post(
        API_IMPORT, {"file": SimpleUploadedFile("roster.xlsx", content)}
    )
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "职业")]
    assert snapshot() == (0, 0)


def test_the_api_imports_a_small_roster_and_checks_permissions(clients, branch):
    def send(role):
        content = workbook([row(branch.name, 1)])
        return clients[role].post(API_IMPORT, {"file": SimpleUploadedFile("roster.xlsx", content)})

    assert send("anonymous").status_code in (401, 403)
    assert send("resident").status_code == 403
    assert snapshot() == (0, 0)
    response = send("secretary")
    assert response.status_code == 201 and response.json() == {"created": 1}
    assert Member.objects.get().organization == branch


def test_the_api_queues_a_large_roster_and_shows_the_job_to_its_requester_only(
    clients, branch, settings, tmp_path
):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    content = workbook([row(branch.name, n) for n in range(1, 4)])
    response = clients["secretary"].post(
        API_IMPORT, {"file": SimpleUploadedFile("roster.xlsx", content)}
    )
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["kind"] == "roster"
    assert Member.objects.count() == 0
    url = f"/api/v1/import-jobs/{job['id']}/"
    assert clients["secretary"].get(url).json()["status"] == "queued"
    assert clients["staff"].get(url).status_code == 404
    assert clients["other_secretary"].get(url).status_code == 404
