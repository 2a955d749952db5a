"""A one-sheet XLSX written as a stream, for exports of tens of thousands of rows.

openpyxl, even write-only, builds an object and an lxml element per cell: about 1 ms a row of 19
cells here, so a district roster (30,504 rows) spent most of its time there. This writes the
sheet's XML text directly into the zip, a thousand rows at a time: strings inline, numbers and
booleans as values, dates as serial numbers with a date format (what openpyxl and Excel read
back as dates), empty and None cells left out, so a reader sees exactly what openpyxl's
write-only workbook gave (tests/members/test_roster_export.py reads both back and compares).
Only the types an export needs: str, bool, int, float, Decimal and date.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl.utils import get_column_letter

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 1 is the date format openpyxl gives a date cell.
STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# Characters XML 1.0 cannot carry (openpyxl refuses them with IllegalCharacterError).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = dt.date(1899, 12, 30)
ROWS_PER_WRITE = 1000


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value).translate(_ESCAPE)


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    raise TypeError(f"an export cell cannot hold {type(value).__name__}")


def write_xlsx(out: BinaryIO, title: str, rows: Iterable[Sequence[Any]]) -> None:
    """Write `rows` (the first usually the headings) as the one sheet `title` of a workbook."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", PACKAGE_RELS)
        book.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{_text(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            letters: list[str] = []
            batch: list[str] = []
            for number, row in enumerate(rows, start=1):
                while len(letters) < len(row):
                    letters.append(get_column_letter(len(letters) + 1))
                cells = "".join(
                    _cell(f"{letter}{number}", value)
                    for letter, value in zip(letters, row, strict=False)
                )
                batch.append(f'<row r="{number}">{cells}</row>')
                if len(batch) == ROWS_PER_WRITE:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
