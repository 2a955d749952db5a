"""Exports of regional committees at work: the three lists as published at a meeting (XLSX) and
the year-end notice naming commended units and units that failed their duties (DOCX)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from regional.models import ListSnapshot, RegionalCommittee, UnitEvaluation

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def lists_xlsx(snapshot: ListSnapshot) -> bytes:
    """One sheet per list, as the lists stood when published."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    data = snapshot.data
    sheets = [
        (
            _("Needs"),
            [
                ("title", _("what is needed")),
                ("community", _("community")),
                ("place", _("where")),
                ("when", _("when")),
                ("scale", _("scale")),
                ("status", _("status")),
                ("claimed_by", _("claimed by")),
            ],
            data.get("needs", []),
        ),
        (
            _("Resources"),
            [
                ("title", _("what is offered")),
                ("unit", _("co-building unit")),
                ("kind", _("kind")),
                ("status", _("status")),
                ("claimed_by", _("claimed by")),
            ],
            data.get("resources", []),
        ),
        (
            _("Projects"),
            [
                ("title", _("title")),
                ("unit", _("owner unit")),
                ("community", _("community")),
                ("deadline", _("deadline")),
                ("status", _("status")),
            ],
            data.get("projects", []),
        ),
    ]
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(label) for _key, label in columns])
        for row in rows:
            sheet.append([neutralise(row.get(key, "")) for key, _label in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def evaluation_notice_docx(committee: RegionalCommittee, year: int) -> bytes:
    """The year-end notice (通报) of a committee: commended units and units that failed."""
    from config.documents import new_document

    evaluations = list(
        UnitEvaluation.objects.filter(committee=committee, year=year)
        .select_related("unit")
        .order_by("unit__name")
    )
    document = new_document(header=f"{committee.sub_district.name} · {committee.name} · {year}")
    document.add_heading(
        _("Notice on the %(year)s evaluation of the member units of %(committee)s")
        % {"year": year, "committee": committee.name},
        level=1,
    )
    document.add_paragraph(
        _(
            "%(count)s member units were evaluated on attendance at joint meetings, topics "
            "submitted, claims taken and completed, and the committee's score."
        )
        % {"count": len(evaluations)}
    )
    document.add_heading(_("Commended units"), level=2)
    commended = [e for e in evaluations if e.commended]
    for evaluation in commended:
        document.add_paragraph(f"{evaluation.unit.name}", style="List Bullet")
    if not commended:
        document.add_paragraph(_("None."))
    document.add_heading(_("Units that failed their duties"), level=2)
    failed = [e for e in evaluations if e.failed_duties]
    for evaluation in failed:
        document.add_paragraph(f"{evaluation.unit.name}: {evaluation.comment}", style="List Bullet")
    if not failed:
        document.add_paragraph(_("None."))
    table = document.add_table(rows=1, cols=7)
    headers = [
        _("co-building unit"),
        _("meetings held"),
        _("meetings attended"),
        _("topics submitted"),
        _("claims taken"),
        _("claims completed"),
        _("committee score"),
    ]
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for e in evaluations:
        cells = table.add_row().cells
        values = [
            e.unit.name,
            e.meetings_expected,
            e.meetings_attended,
            e.topics_submitted,
            e.claims_taken,
            e.claims_completed,
            "" if e.score is None else e.score,
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
