"""The quarterly pack's XLSX carries native charts over its own cells; its DOCX carries the same
charts as pictures."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.figures import build_figures
from reports.scope import ReportScope
from reports.writers import CHARTED_TABLES, write_xlsx
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 10)


@pytest.fixture
def figures(clock, sub_district, branch, other_branch):
    clock.set(TODAY)
    MemberFactory.create_batch(3, organization=branch, category="retired")
    MemberFactory.create_batch(2, organization=other_branch, category="in_service")
    MeetingFactory(organization=branch, held_on=dt.date(2026, 5, 10))
    with translation.override("zh-hans"):
        return build_figures(ReportScope(sub_district=sub_district), 2026, 2, today=TODAY)


def _cells(sheet, ref):
    """The values of a reference like 'Sheet'!$B$5:$B$7."""
    from openpyxl.utils.cell import range_boundaries

    area = ref.split("!")[1].replace("$", "")
    if ":" not in area:
        area = f"{area}:{area}"
    min_col, min_row, max_col, max_row = range_boundaries(area)
    return [
        sheet.cell(row=r, column=c).value
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]


def test_charts_reference_their_tables_cells(figures):
    out = io.BytesIO()
    with translation.override("zh-hans"):
        write_xlsx(figures, out, {})
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    checked = 0
    for section in figures["sections"]:
        sheet = workbook[section["title"][:31]]
        charted = [t for t in section["tables"] if (section["key"], t["key"]) in CHARTED_TABLES]
        charted = [t for t in charted if t["rows"]]
        assert len(sheet._charts) == len(charted), section["key"]
        for chart, table in zip(sheet._charts, charted, strict=True):
            _kind, category_column, value_columns = CHARTED_TABLES[(section["key"], table["key"])]
            categories = chart.series[0].cat
            ref = (categories.numRef or categories.strRef).f
            assert _cells(sheet, ref) == [row[category_column] for row in table["rows"]]
            for series, column in zip(chart.series, value_columns, strict=True):
                values = _cells(sheet, series.val.numRef.f)
                assert values == [row[column] for row in table["rows"]]
                title = series.tx.strRef.f
                assert _cells(sheet, title) == [table["columns"][column]]
            checked += 1
    assert checked >= 3
    members = workbook["党员队伍"] if "党员队伍" in workbook.sheetnames else None
    if members is not None:
        assert any("退休" in str(c.value) for row in members.iter_rows() for c in row)


def test_chart_anchor_leaves_every_table_cell_free(figures):
    out = io.BytesIO()
    write_xlsx(figures, out, {})
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    anchored = 0
    for sheet in workbook.worksheets:
        for chart in sheet._charts:
            # Zero-based: the chart starts in the column after the sheet's widest table.
            assert chart.anchor._from.col >= sheet.max_column
            anchored += 1
    assert anchored


def test_archive_has_chart_parts(figures):
    out = io.BytesIO()
    write_xlsx(figures, out, {})
    names = zipfile.ZipFile(io.BytesIO(out.getvalue())).namelist()
    assert [n for n in names if re.match(r"xl/charts/chart\d+\.xml", n)]


def test_docx_carries_the_charts_as_pictures(figures):
    from docx import Document

    from reports.writers import write_docx

    out = io.BytesIO()
    with translation.override("zh-hans"):
        write_docx(figures, out, {"generated_at": "2026-07-10 10:00", "generated_by": "staff"})
    document = Document(io.BytesIO(out.getvalue()))
    pictures = document.inline_shapes
    drawn = [
        t
        for s in figures["sections"]
        for t in s["tables"]
        if (s["key"], t["key"]) in CHARTED_TABLES
        and any(
            isinstance(row[c], int | float) and row[c]
            for row in t["rows"]
            for c in CHARTED_TABLES[(s["key"], t["key"])][2]
        )
    ]
    assert len(drawn) >= 2
    assert len(pictures) == len(drawn)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    media = [n for n in archive.namelist() if n.startswith("word/media/chart")]
    assert len(media) == len(pictures)
    assert all(archive.read(n).startswith(b"\x89PNG") for n in media)
    # Every picture fits the text block.
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert all(shape.width <= text_width + 1 for shape in pictures)


def test_pictures_use_a_cjk_font():
    from reports.pictures import _font

    font = _font()
    assert font is not None and "CJK" in font.get_file()
