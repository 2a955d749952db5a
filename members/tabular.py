"""One reader for every uploaded spreadsheet (XLSX or CSV) that an import parses.

An uploaded file is untrusted input. Whatever it holds — a truncated or malformed workbook, a
zip bomb, a sheet declaring a million rows, formulas, an unknown text encoding — the reader
either yields the rows or raises `ImportRejected` with a message a person can act on; it never
lets a parser's exception through (which would be a 500) and never reads more than its budget:

- the container is checked before any XML is parsed: the size of the file, the zip's central
  directory (the unpacked size of every part, which `zipfile` enforces while inflating) and the
  parts a workbook must have;
- the first sheet is streamed (openpyxl `read_only`), its declared dimension ignored (a hostile
  `A1:XFD1048576` would make openpyxl pad every row to 16,384 cells), only the first `width`
  columns are built, and reading stops after a run of `max_empty_run` consecutive empty rows;
- data rows beyond `max_rows`, rows of any kind beyond `max_rows + max_empty_run`, non-empty
  cells beyond `max_cells` and headings beyond `max_columns` are refused;
- a formula cell (openpyxl `data_type == "f"`, seen because the workbook is opened with
  `data_only=False`) is refused with its row and column: we store values, never formulas, and the
  cached value of a formula may be stale or missing;
- a CSV file is decoded as UTF-8 (with or without BOM) or GB18030 (what Excel writes in China);
  any other encoding (UTF-16 "Unicode text" among them) is refused.

Importers own their columns and rules; this module knows nothing about members.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from members.errors import ImportRejected

# Everything a parser of a broken or hostile file is known to raise: zip and inflate errors,
# missing parts (KeyError), XML syntax errors (ElementTree's ParseError and lxml's errors are
# SyntaxError subclasses), bad values in attributes (ValueError, TypeError), openpyxl's own.
PARSE_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    AttributeError,
    ValueError,
    TypeError,
    SyntaxError,
    NotImplementedError,
    csv.Error,
    OverflowError,
    RecursionError,
)
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MAX_FORMULA_ERRORS = 50


@dataclass(frozen=True)
class Budget:
    """How much of a file a reader may read; defaults from the `IMPORT_*` settings."""

    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_empty_run: int

    @classmethod
    def from_settings(cls, **overrides: int) -> Budget:
        values = {
            "max_bytes": settings.MEMBER_IMPORT_MAX_BYTES,
            "max_unpacked_bytes": settings.IMPORT_MAX_UNPACKED_BYTES,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "max_columns": settings.IMPORT_MAX_COLUMNS,
            "max_cells": settings.IMPORT_MAX_CELLS,
            "max_empty_run": settings.IMPORT_MAX_EMPTY_RUN,
        }
        values.update(overrides)
        return cls(**values)


def _rejected(message: str, errors: list[dict[str, object]] | None = None) -> ImportRejected:
    return ImportRejected(message, errors=errors or [])


def _not_readable() -> ImportRejected:
    return _rejected(
        _(
            "This file cannot be read: it is not a valid Excel workbook (.xlsx) or CSV file, "
            "or it is damaged. Download the template, fill it in and save it again."
        )
    )


def _too_big(budget: Budget) -> ImportRejected:
    return _rejected(
        _("The file is larger than %(mb)d MB; split it into smaller files.")
        % {"mb": max(1, budget.max_bytes // 1_048_576)}
    )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _size_of(upload: BinaryIO) -> int:
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


class Table:
    """The rows of the first sheet of a checked upload. Iterate `rows()` once.

    `header` is the first row (texts, trailing empties removed); `rows()` yields
    `(row number in the sheet, cells)` of the non-empty data rows, each padded to `width` cells.
    `rows_read` counts every row the reader looked at, empty ones included.
    """

    def __init__(self, source: Iterator[tuple[int, list[Any]]], *, width: int, budget: Budget):
        self._source = source
        self.width = width
        self.budget = budget
        self.rows_read = 0
        self.header: list[str] = []
        self._formulas: list[dict[str, object]] = []
        self._started = False

    def _read_header(self) -> None:
        for number, cells in self._source:
            self.rows_read += 1
            header = [("" if _is_empty(c) else str(c).strip()) for c in cells]
            while header and header[-1] == "":
                header.pop()
            if len(header) > self.budget.max_columns:
                raise _rejected(
                    _("The first row has more than %(n)d columns; this is not an import file.")
                    % {"n": self.budget.max_columns}
                )
            self._check_formulas(number, cells)
            self.header = header
            return
        raise _rejected(_("The file is empty."))

    def _check_formulas(self, number: int, cells: list[Any]) -> None:
        for index, cell in enumerate(cells, start=1):
            if isinstance(cell, _Formula):
                letter = get_column_letter(index)
                heading = self.header[index - 1] if index <= len(self.header) else ""
                self._formulas.append(
                    {
                        "row": number,
                        # The importers list errors by heading; the message names the letter.
                        "column": heading or letter,
                        "message": _(
                            "Row %(row)d, column %(column)s holds a formula; "
                            "enter the value itself (copy, then paste as values)."
                        )
                        % {"row": number, "column": letter},
                    }
                )
                if len(self._formulas) >= MAX_FORMULA_ERRORS:
                    self._raise_formulas()

    def _raise_formulas(self) -> None:
        raise _rejected(
            _("The file holds formulas; nothing was imported. Replace them with their values."),
            self._formulas,
        )

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self._started:
            raise RuntimeError("Table.rows() is read once")
        self._started = True
        budget = self.budget
        data_rows = cells_seen = empty_run = 0
        try:
            for number, cells in self._source:
                self.rows_read += 1
                if self.rows_read > budget.max_rows + budget.max_empty_run:
                    # Data rows spaced out by runs of empty rows just short of the stop.
                    raise _rejected(
                        _("The file has more than %(n)d rows; split it into smaller files.")
                        % {"n": budget.max_rows}
                    )
                cells = list(cells[: self.width]) + [None] * (self.width - len(cells))
                filled = sum(1 for c in cells if not _is_empty(c))
                if not filled:
                    empty_run += 1
                    if empty_run >= budget.max_empty_run:
                        break  # formatting dragged down the sheet, not data
                    continue
                empty_run = 0
                data_rows += 1
                cells_seen += filled
                if data_rows > budget.max_rows:
                    raise _rejected(
                        _("The file has more than %(n)d rows; split it into smaller files.")
                        % {"n": budget.max_rows}
                    )
                if cells_seen > budget.max_cells:
                    raise _rejected(
                        _("The file has more than %(n)d filled cells; split it into smaller files.")
                        % {"n": budget.max_cells}
                    )
                self._check_formulas(number, cells)
                yield number, [None if isinstance(c, _Formula) else c for c in cells]
        except ImportRejected:
            raise
        except PARSE_ERRORS:
            raise _not_readable() from None
        if self._formulas:
            self._raise_formulas()


class _Formula:
    """Stands for a formula cell in the stream of values."""

    __slots__ = ()


FORMULA = _Formula()


def _check_zip(upload: BinaryIO, budget: Budget) -> None:
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise _not_readable()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
    except PARSE_ERRORS:
        raise _not_readable() from None
    finally:
        upload.seek(0)
    if unpacked > budget.max_unpacked_bytes:
        # `zipfile` never inflates a part beyond the size its directory declares, so this bounds
        # what openpyxl can be made to read (a "zip bomb" of shared strings, say).
        raise _rejected(
            _("The workbook unpacks to more than %(mb)d MB; split it into smaller files.")
            % {"mb": max(1, budget.max_unpacked_bytes // 1_048_576)}
        )
    if any(part not in names for part in REQUIRED_PARTS):
        raise _not_readable()


def _xlsx_rows(upload: BinaryIO, width: int, budget: Budget) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except PARSE_ERRORS:
        raise _not_readable() from None
    try:
        if not workbook.worksheets:
            raise _not_readable()
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):  # a chart sheet
            raise _not_readable()
        # The declared dimension is the file's claim, not a fact: ignore it.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=width), start=1):
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    values.append(FORMULA)
                else:
                    values.append(getattr(cell, "value", None))
            yield number, values
    except ImportRejected:
        raise
    except PARSE_ERRORS:
        raise _not_readable() from None
    finally:
        workbook.close()


def _csv_encoding(upload: BinaryIO) -> str:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in head:
        raise _rejected(
            _(
                "The CSV file is saved as UTF-16 (“Unicode text”); save it as “CSV UTF-8” "
                "or as an Excel workbook (.xlsx)."
            )
        )
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        upload.seek(0)
        try:
            while chunk := upload.read(65_536):
                if b"\x00" in chunk:
                    raise UnicodeDecodeError(encoding, chunk, 0, 1, "NUL byte")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            upload.seek(0)
        return encoding
    raise _rejected(
        _(
            "The CSV file is in an unknown text encoding; save it as “CSV UTF-8” "
            "or as an Excel workbook (.xlsx)."
        )
    )


def _csv_rows(upload: BinaryIO, width: int, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(upload, encoding=encoding, newline="")  # type: ignore[arg-type]
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            yield number, row[:width]
    except PARSE_ERRORS:
        raise _not_readable() from None
    finally:
        text.detach()


def looks_like_csv(name: str) -> bool:
    return name.lower().endswith(".csv")


@contextmanager
def open_table(
    upload: BinaryIO,
    *,
    name: str = "",
    width: int,
    budget: Budget | None = None,
) -> Iterator[Table]:
    """Check `upload` and open its first sheet; the header row is read on entry.

    `name` (the uploaded file's name) only chooses between CSV and XLSX; the content decides
    whether the file is readable. `width` is how many columns the importer reads.
    """
    budget = budget or Budget.from_settings()
    width = max(1, min(width, budget.max_columns))
    if _size_of(upload) > budget.max_bytes:
        raise _too_big(budget)
    if looks_like_csv(name):
        source = _csv_rows(upload, budget.max_columns + 1, _csv_encoding(upload))
    else:
        _check_zip(upload, budget)
        source = _xlsx_rows(upload, budget.max_columns + 1, budget)
    table = Table(source, width=width, budget=budget)
    try:
        try:
            table._read_header()
        except ImportRejected:
            raise
        except PARSE_ERRORS:
            raise _not_readable() from None
        yield table
    finally:
        source.close()  # type: ignore[attr-defined]
