from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import override as translation_override
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from accounts.models import AuditEntry
from members.errors import ImportRejected
from members.models import Member, MemberChange
from members.roster import import_roster
from tests.access import assert_access
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db

HEADINGS = [
    "姓名", "性别", "民族", "出生日期", "公民身份号码", "手机号码", "学历", "职业", "工作单位",
    "家庭住址", "居住社区", "所在党支部", "党小组", "党员状态", "人员类别", "入党日期", "转正日期",
    "困难党员",
]  # fmt: skip


def row(branch_name: str, sequence: int, **overrides):
    values = {
        "姓名": f"导入党员{sequence}",
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1980-05-01",
        "公民身份号码": valid_id(sequence),
        "手机号码": "13900000000",
        "学历": "大学本科",
        "职业": "教师",
        "工作单位": "郑州四十七中",
        "家庭住址": "",
        "居住社区": "",
        "所在党支部": branch_name,
        "党小组": "",
        "党员状态": "正式党员",
        "人员类别": "在职党员",
        "入党日期": "2005-07-01",
        "转正日期": "2006-07-01",
        "困难党员": "否",
    }
    values.update(overrides)
    return [values[h] for h in HEADINGS]


def workbook(rows, headings=HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="roster.xlsx"):
    return SimpleUploadedFile(name, content)


def snapshot():
    return Member.objects.count(), MemberChange.objects.count()


def test_template_has_the_chinese_headings(clients):
    response = clients["secretary"].get(reverse("staff:member-import-template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADINGS


def test_import_access_matrix(clients, branch):
    assert_access(clients, reverse("staff:member-import"), {
        "anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200,
    })  # fmt: skip


def test_imports_a_valid_roster(clients, branch, party_group):
    content = workbook([row(branch.name, 1, 党小组=party_group.name), row(branch.name, 2)])
    response = clients["secretary"].post(reverse("staff:member-import"), {"file": upload(content)})
    assert response.status_code == 302
    assert Member.objects.filter(organization=branch).count() == 2
    assert Member.objects.get(full_name="导入党员1").party_group == party_group
    assert MemberChange.objects.filter(action="imported").count() == 2
    assert AuditEntry.objects.filter(action="member.roster_imported").exists()


def test_one_bad_row_rejects_the_whole_file_with_every_error(clients, branch, other_branch):
    MemberFactory(organization=branch, full_name="已有党员", id_number=valid_id(9))
    rows = [
        row(branch.name, 1),
        row(branch.name, 2, 公民身份号码="990000198005010010"),  # bad check digit
        row(branch.name, 3, 出生日期="1981-01-01"),  # birth date differs from the number
        row(branch.name, 4, 入党日期="昨天"),  # not a date
        row(branch.name, 5, 姓名=""),  # required
        row(other_branch.name, 6),  # out of the secretary's scope
        row(branch.name, 1),  # same number as row 2 of the file
        row(branch.name, 9),  # already in the database
        row(branch.name, 10, 转正日期="2004-01-01"),  # confirmed before joining
        row(branch.name, 11, 党员状态="党员"),  # not a choice
    ]
    before = snapshot()
    response = clients["secretary"].post(
        reverse("staff:member-import"), {"file": upload(workbook(rows))}
    )
    assert response.status_code == 400
    assert snapshot() == before
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert errors == {
        (3, "公民身份号码"),
        (4, "公民身份号码"),
        (5, "入党日期"),
        (6, "姓名"),
        (7, "所在党支部"),
        (8, "公民身份号码"),
        (9, "公民身份号码"),
        (10, "转正日期"),
        (11, "党员状态"),
    }
    body = response.content.decode()
    assert "已有党员" in body  # the secretary may know where the duplicate is
    assert "导入失败" in body or "未导入" in body


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a workbook", "roster.xlsx", "不是 Excel"),
        (b"", "roster.xlsx", "文件"),
        (b"a,b,c", "roster.txt", ".xlsx"),
        # A CSV file is read since the shared reader (members.tabular); this one is no roster.
        (b"a,b,c", "roster.csv", "标题"),
    ],
)
def test_refuses_files_that_are_not_rosters(clients, content, name, message):
    response = clients["staff"].post(
        reverse("staff:member-import"), {"file": upload(content, name)}
    )
    assert message in response.content.decode()
    assert snapshot() == (0, 0)


def test_refuses_wrong_headings(clients, branch):
    content = workbook([row(branch.name, 1)], headings=["name", "id"])
    response = clients["staff"].post(reverse("staff:member-import"), {"file": upload(content)})
    assert response.status_code == 400 and "标题" in response.content.decode()
    assert snapshot() == (0, 0)


def test_refuses_an_oversized_file(clients, settings):
    settings.MEMBER_IMPORT_MAX_BYTES = 100
    response = clients["staff"].post(reverse("staff:member-import"), {"file": upload(b"x" * 200)})
    assert "MB" in response.content.decode() and snapshot() == (0, 0)


def test_hostile_strings_are_stored_as_text_and_exported_neutralised(clients, branch):
    content = workbook([row(branch.name, 1, 职业="@SUM(A1)", 工作单位="<script>x</script>")])
    assert (
        clients["staff"].post(reverse("staff:member-import"), {"file": upload(content)}).status_code
        == 302
    )
    member = Member.objects.get()
    assert member.work_unit == "<script>x</script>"
    body = clients["staff"].get(reverse("staff:member-detail", args=[member.pk])).content.decode()
    assert "<script>x</script>" not in body
    exported = clients["staff"].get(reverse("staff:member-export"))
    sheet = load_workbook(io.BytesIO(exported.getvalue())).worksheets[0]
    assert member.occupation == "@SUM(A1)"
    assert sheet.cell(2, 8).value == "'@SUM(A1)"


def test_export_is_masked_and_scoped(clients, branch, other_branch):
    MemberFactory(
        organization=branch, full_name="本支部", id_number=valid_id(51), phone="13912345678"
    )
    MemberFactory(organization=other_branch, full_name="别的支部", id_number=valid_id(52))
    response = clients["secretary"].get(reverse("staff:member-export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    flat = " ".join(str(v) for r in values for v in r)
    assert "本支部" in flat and "别的支部" not in flat
    assert valid_id(51) not in flat and "990000********" in flat and "13912345678" not in flat
    assert AuditEntry.objects.filter(action="member.roster_exported").exists()


def test_export_access_matrix(clients):
    assert_access(clients, reverse("staff:member-export"), {
        "anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200,
    })  # fmt: skip


def _drop_downs(book) -> dict[str, list[str]]:
    """Column letter -> the values its list validation offers (read from the referenced range)."""
    sheet = book.worksheets[0]
    offered = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        source, cells = validation.formula1.lstrip("=").rsplit("!", 1)
        lists = book[source.strip("'")]
        values = [c.value for row in lists[cells.replace("$", "")] for c in row]
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row > 1000
            offered[get_column_letter(cell_range.min_col)] = values
    return offered


def test_template_keeps_id_numbers_as_text_and_offers_drop_downs(clients):
    response = clients["secretary"].get(reverse("staff:member-import-template"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    column = {h: get_column_letter(i) for i, h in enumerate(HEADINGS, start=1)}
    assert sheet.column_dimensions[column["公民身份号码"]].number_format == "@"
    assert sheet.column_dimensions[column["手机号码"]].number_format == "@"
    offered = _drop_downs(book)
    assert offered[column["性别"]] == ["男", "女"]
    assert offered[column["党员状态"]] == ["预备党员", "正式党员"]
    assert "大学本科" in offered[column["学历"]]
    assert "在职党员" in offered[column["人员类别"]]
    assert offered[column["困难党员"]] == ["是", "否"]
    assert len(offered[column["民族"]]) == 56 and "汉族" in offered[column["民族"]]
    assert column["公民身份号码"] not in offered and column["姓名"] not in offered


def test_the_untouched_template_imports_as_no_rows_not_as_an_error(clients, secretary):
    template = clients["secretary"].get(reverse("staff:member-import-template")).content
    before = snapshot()
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as rejected:
        import_roster(actor=secretary, upload=io.BytesIO(template))
    assert rejected.value.errors == []  # no row was read, so no row is in error
    assert str(rejected.value.message) == "文件的标题行下没有党员数据。"
    response = clients["secretary"].post(reverse("staff:member-import"), {"file": upload(template)})
    assert "文件的标题行下没有党员数据" in response.content.decode()
    assert snapshot() == before


def test_the_template_shows_its_example_on_the_instructions_sheet(clients):
    template = clients["secretary"].get(reverse("staff:member-import-template")).content
    notes = load_workbook(io.BytesIO(template)).worksheets[1]
    rows = {r[0]: r for r in notes.iter_rows(values_only=True) if r and r[0]}
    assert rows["姓名"][3] == "张三" and rows["党员状态"][3] == "正式党员"


def _export_cost(client, monkeypatch) -> tuple[int, int, int]:
    """(queries, catalogue lookups, data rows) of one roster export."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    lookups = 0

    def counting(name):
        real = getattr(translation._trans, name)

        def lookup(*args):
            nonlocal lookups
            lookups += 1
            return real(*args)

        return lookup

    with monkeypatch.context() as patched:
        for name in ("gettext", "pgettext"):
            patched.setattr(translation._trans, name, counting(name))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("staff:member-export"))
    assert response.status_code == 200
    rows = load_workbook(io.BytesIO(response.getvalue())).worksheets[0].max_row - 1
    return len(captured.captured_queries), lookups, rows


def test_export_cost_does_not_grow_with_the_rows(clients, branch, monkeypatch):
    """Labels come from dicts built once per export: neither queries nor translations per row."""
    client = clients["staff"]
    for i in range(3):
        MemberFactory(organization=branch, full_name=f"甲{i}", education="undergraduate")
    few = _export_cost(client, monkeypatch)
    for i in range(12):
        MemberFactory(organization=branch, full_name=f"乙{i}", in_hardship=True)
    many = _export_cost(client, monkeypatch)
    assert (few[2], many[2]) == (3, 15)
    assert many[:2] == few[:2]


def test_export_labels_are_in_the_users_language(clients, branch):
    MemberFactory(organization=branch, full_name="标签", gender="female", in_hardship=True)
    response = clients["staff"].get(reverse("staff:member-export"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    cells = [c.value for c in next(sheet.iter_rows(min_row=2))]
    member = Member.objects.get(full_name="标签")
    with translation_override("zh-hans"):
        expected = [
            member.get_gender_display(),
            member.get_status_display(),
            member.get_category_display(),
            member.get_state_display(),
        ]
    assert cells[1] == expected[0] == "女"
    assert [cells[13], cells[14] or "", cells[18]] == expected[1:]  # a blank cell reads None
    assert cells[17] == "是"
