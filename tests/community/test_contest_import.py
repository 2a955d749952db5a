"""Question bank import: all or nothing, each bad row listed (row, column, message in Chinese),
duplicates in the file and in the bank, files checked by content and size."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from community.contests import imports
from community.contests.models import Question, QuestionKind
from members.errors import ImportRejected
from tests.community.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows, headings=None):
    workbook = Workbook()
    sheet = workbook.active
    with translation.override("zh-hans"):
        sheet.append(headings or imports.headings())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _row(kind, text, options, answer, topic="党章党规", explanation=""):
    options = list(options) + [None] * (6 - len(options))
    return [kind, text, *options, answer, topic, explanation]


GOOD = [
    _row("单选", "党的最高理想是？", ["共产主义", "小康", "现代化"], "A", explanation="见党章总纲"),
    _row("多选题", "“三会”是指？", ["党员大会", "支委会", "党小组会", "职代会"], "C,A,B"),
    _row("判断", "中国共产党成立于1921年。", [], "正确"),
    _row("判断题", "党的地方各级代表大会每四年举行一次。", [], "错"),
]


def test_imports_every_kind(sub_district, staff):
    assert (
        imports.import_questions(
            actor=staff, sub_district=sub_district, upload=_xlsx(GOOD), name="q.xlsx"
        )
        == 4
    )
    by_text = {q.text: q for q in Question.objects.all()}
    assert by_text["“三会”是指？"].answer == "ABC"
    assert by_text["“三会”是指？"].kind == QuestionKind.MULTIPLE
    assert by_text["党的最高理想是？"].options == ["共产主义", "小康", "现代化"]
    assert by_text["中国共产党成立于1921年。"].answer == "A"
    assert by_text["党的地方各级代表大会每四年举行一次。"].options == ["正确", "错误"]
    assert by_text["党的地方各级代表大会每四年举行一次。"].answer == "B"


def test_one_bad_row_imports_nothing_and_every_error_is_listed(sub_district, staff):
    rows = [
        *GOOD,
        _row("填空", "问题五", ["甲", "乙"], "A"),
        _row("单选", "", ["甲", "乙"], "A"),
        _row("单选", "问题七", ["甲"], "A"),
        _row("单选", "问题八", ["甲", "乙"], "C"),
        _row("单选", "问题九", ["甲", "乙"], "AB"),
        _row("多选", "问题十", ["甲", "乙", "丙"], "B"),
        _row("判断", "问题十一", [], "也许"),
        _row("单选", "党的最高理想是？", ["甲", "乙"], "A"),
        _row("单选", "<script>alert(1)</script>" * 30, ["甲", "乙"], "A"),
    ]
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as refused:
        imports.import_questions(
            actor=staff, sub_district=sub_district, upload=_xlsx(rows), name="q.xlsx"
        )
    errors = refused.value.errors
    assert [e["row"] for e in errors] == [6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert "不" in refused.value.message or "错误" in refused.value.message
    assert all(e["message"] for e in errors)
    assert errors[0]["column"] == "题型"
    assert "第 2 行" in errors[7]["message"] or "2" in errors[7]["message"]
    assert not Question.objects.exists()


def test_a_question_already_in_the_bank_is_refused(sub_district, staff):
    QuestionFactory(sub_district=sub_district, text="党的最高理想是？")
    with pytest.raises(ImportRejected) as refused:
        imports.import_questions(
            actor=staff, sub_district=sub_district, upload=_xlsx(GOOD), name="q.xlsx"
        )
    assert [e["row"] for e in refused.value.errors] == [2]
    assert Question.objects.count() == 1


def test_wrong_headings_and_empty_files_are_refused(sub_district, staff):
    with pytest.raises(ImportRejected, match="列标题"):
        imports.import_questions(
            actor=staff,
            sub_district=sub_district,
            upload=_xlsx(GOOD, headings=["姓名", "性别"]),
            name="q.xlsx",
        )
    with pytest.raises(ImportRejected):
        imports.import_questions(
            actor=staff, sub_district=sub_district, upload=_xlsx([]), name="q.xlsx"
        )
    assert not Question.objects.exists()


def test_files_are_checked_by_content_and_size(sub_district, staff):
    fake = io.BytesIO("题型,题目\n<html>".encode("utf-16"))
    with pytest.raises(ImportRejected):
        imports.import_questions(actor=staff, sub_district=sub_district, upload=fake, name="q.xlsx")
    with pytest.raises(ImportRejected, match="MB"):
        imports.import_questions(
            actor=staff,
            sub_district=sub_district,
            upload=io.BytesIO(b"PK\x03\x04" + b"0" * (imports.MAX_BYTES + 1)),
            name="q.xlsx",
        )
    assert not Question.objects.exists()


def test_formulas_are_refused(sub_district, staff):
    rows = [_row("单选", "=1+1", ["甲", "乙"], "A")]
    with pytest.raises(ImportRejected):
        imports.import_questions(
            actor=staff, sub_district=sub_district, upload=_xlsx(rows), name="q.xlsx"
        )
    assert not Question.objects.exists()


def test_the_template_imports_as_no_rows(sub_district, staff):
    with pytest.raises(ImportRejected, match="没有题目行"):
        imports.import_questions(
            actor=staff,
            sub_district=sub_district,
            upload=io.BytesIO(imports.template_workbook()),
            name="t.xlsx",
        )
