"""Question bank import (XLSX or CSV, Chinese headings), all or nothing like the roster import.

The file is read by `members.tabular` (checked by content and size: the zip container, its
unpacked size, formulas refused, row and cell budgets). Every row is checked — type, text,
options, the right answer against the options, duplicates inside the file and in the bank —
and either every question is written in one transaction, or nothing is and the caller gets
`ImportRejected` with every error by row and column, in the user's language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.services import record_audit
from community.contests import rules
from community.contests.models import LETTERS, TRUE_FALSE_OPTIONS, Question, QuestionKind
from members import tabular
from members.errors import ImportRejected

MAX_ROWS = 2000
MAX_BYTES = 2 * 1_048_576
TEXT_MAX = 500
OPTION_MAX = 200


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    example: str = ""


COLUMNS = (
    Column("kind", pgettext_lazy("question heading", "Type"), "单选"),
    Column(
        "text", pgettext_lazy("question heading", "Question"), "中国共产党的最高理想和最终目标是？"
    ),
    Column("option_A", pgettext_lazy("question heading", "Option A")),
    Column("option_B", pgettext_lazy("question heading", "Option B")),
    Column("option_C", pgettext_lazy("question heading", "Option C")),
    Column("option_D", pgettext_lazy("question heading", "Option D")),
    Column("option_E", pgettext_lazy("question heading", "Option E")),
    Column("option_F", pgettext_lazy("question heading", "Option F")),
    Column("answer", pgettext_lazy("question heading", "Right answer"), "A"),
    Column("topic", pgettext_lazy("question heading", "Topic"), "党章党规"),
    Column("explanation", pgettext_lazy("question heading", "Explanation"), ""),
)
KIND_WORDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "single": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "multiple": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    "true_false": QuestionKind.TRUE_FALSE,
}
TRUE_WORDS = {"正确", "对", "√", "是", "A", "TRUE", "T"}
FALSE_WORDS = {"错误", "错", "×", "否", "B", "FALSE", "F"}


def headings() -> list[str]:
    return [str(c.label) for c in COLUMNS]


def template_workbook() -> bytes:
    """The template: headings, one example row of each type, answers as letters."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Questions")
    sheet.append(headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 50
    notes = workbook.create_sheet(_("Instructions"))
    for line in (
        _("Type: 单选 (single choice), 多选 (multiple choice) or 判断 (true or false)."),
        _("Options A to F; a single or multiple choice question needs at least two."),
        _("Right answer: the letters, e.g. A or ACD; for true or false, 正确 or 错误."),
        _("Fill in the first sheet from its second row. Rows are imported all or nothing."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_questions(
    *, actor: Any, sub_district: Any, upload: BinaryIO, name: str = "", size: int | None = None
) -> int:
    """Check every row and add them all to `sub_district`'s bank, or raise `ImportRejected`
    with every error and write nothing. Returns the number of questions added."""
    if size is not None and size > MAX_BYTES:
        raise ImportRejected(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // 1_048_576},
            errors=[],
        )
    labels = {c.key: str(c.label) for c in COLUMNS}
    errors: list[dict[str, Any]] = []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    budget = tabular.Budget.from_settings(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    with tabular.open_table(upload, name=name, width=len(COLUMNS), budget=budget) as table:
        expected = headings()
        with translation.override("zh-hans"):
            expected_zh = headings()
        header = table.header[: len(expected)]
        header += [""] * (len(expected) - len(header))
        if header not in (expected, expected_zh):
            raise ImportRejected(
                _("The headings of the first row do not match the template."), errors=[]
            )
        for number, cells in table.rows():
            row = {c.key: _text(v) for c, v in zip(COLUMNS, cells, strict=True)}
            row_errors: list[tuple[str, str]] = []
            kind = KIND_WORDS.get(row["kind"].lower() if row["kind"].isascii() else row["kind"])
            if kind is None:
                row_errors.append(("kind", _("Write 单选, 多选 or 判断.")))
            text = row["text"]
            if not text:
                row_errors.append(("text", _("This column is required.")))
            elif len(text) > TEXT_MAX:
                row_errors.append(("text", _("At most %(n)d characters.") % {"n": TEXT_MAX}))
            options = [row[f"option_{letter}"] for letter in LETTERS]
            while options and not options[-1]:
                options.pop()
            answer = ""
            if kind == QuestionKind.TRUE_FALSE:
                word = row["answer"].upper()
                if word in TRUE_WORDS:
                    answer = "A"
                elif word in FALSE_WORDS:
                    answer = "B"
                else:
                    row_errors.append(("answer", _("Write 正确 or 错误.")))
                options = list(TRUE_FALSE_OPTIONS)
            elif kind is not None:
                if len(options) < 2 or not all(options):
                    row_errors.append(
                        ("option_A", _("Give at least two options, from A on, without gaps."))
                    )
                elif any(len(o) > OPTION_MAX for o in options):
                    row_errors.append(
                        (
                            "option_A",
                            _("An option has at most %(n)d characters.") % {"n": OPTION_MAX},
                        )
                    )
                try:
                    answer = rules.normalize_answer(
                        row["answer"], kind=kind, option_count=len(options)
                    )
                except ValueError:
                    answer = ""
                if not answer:
                    row_errors.append(
                        (
                            "answer",
                            _("“%(value)s” is not a right answer among the options.")
                            % {"value": row["answer"][:20]},
                        )
                    )
                elif kind == QuestionKind.MULTIPLE and len(answer) < 2:
                    row_errors.append(
                        ("answer", _("A multiple choice question has two right answers or more."))
                    )
            if len(row["topic"]) > 50:
                row_errors.append(("topic", _("At most %(n)d characters.") % {"n": 50}))
            if len(row["explanation"]) > TEXT_MAX:
                row_errors.append(("explanation", _("At most %(n)d characters.") % {"n": TEXT_MAX}))
            if text and text in seen:
                row_errors.append(
                    (
                        "text",
                        _("The same question is already on row %(row)d of this file.")
                        % {"row": seen[text]},
                    )
                )
            elif text:
                seen[text] = number
            if row_errors:
                errors.extend(
                    {"row": number, "column": labels[key], "message": message}
                    for key, message in row_errors
                )
                continue
            questions.append(
                Question(
                    sub_district=sub_district,
                    kind=kind,
                    text=text,
                    options=options,
                    answer=answer,
                    topic=row["topic"],
                    explanation=row["explanation"],
                )
            )
    if not questions and not errors:
        raise ImportRejected(_("The file has no question rows under the headings."), errors=[])
    existing = set(
        Question.objects.filter(sub_district=sub_district, text__in=list(seen)).values_list(
            "text", flat=True
        )
    )
    for text in sorted(existing, key=lambda t: seen[t]):
        errors.append(
            {
                "row": seen[text],
                "column": labels["text"],
                "message": _("This question is already in the bank."),
            }
        )
    if errors:
        errors.sort(key=lambda e: e["row"])
        raise ImportRejected(
            _(
                "The questions were not imported: %(n)d errors. "
                "Correct them and import the file again."
            )
            % {"n": len(errors)},
            errors=errors,
        )
    try:
        with transaction.atomic():
            Question.objects.bulk_create(questions, batch_size=500)
            record_audit(
                actor=actor,
                action="contest.questions_imported",
                target=sub_district,
                data={"rows": len(questions)},
            )
    except IntegrityError:
        raise ImportRejected(
            _(
                "Someone added one of these questions meanwhile; "
                "import the file again to see which."
            ),
            errors=[],
        ) from None
    return len(questions)
