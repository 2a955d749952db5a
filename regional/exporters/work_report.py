"""The printable work report of a regional committee (DOCX, python-docx).

`work_report_docx(report, out)` takes a `WorkReport` and writes the document to a file-like
object (or returns the bytes), so a page can send it directly and an export job can write it to
its file later. It reads only the report's stored figures and narrative: a submitted report
prints the same every time. The sentences are generated from the figures in the active language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, Any

from django.utils.translation import gettext as _

from regional.models import WorkReport, WorkReportStatus


def report_sentences(figures: dict[str, Any], year: int) -> dict[str, str]:
    """One sentence per section, generated from the figures."""
    meetings = figures.get("meetings", {})
    items = figures.get("action_items", {})
    lists = figures.get("lists", {})
    projects = lists.get("projects", {})
    evaluations = figures.get("evaluations", {})
    sentences = {
        "meetings": _(
            "In %(year)s the committee held %(held)s joint meetings (%(per_year)s a year are "
            "planned); %(cancelled)s were cancelled and %(planned)s are still planned."
        )
        % {
            "year": year,
            "held": meetings.get("held", 0),
            "per_year": meetings.get("per_year", 0),
            "cancelled": meetings.get("cancelled", 0),
            "planned": meetings.get("planned", 0),
        },
    }
    rate = figures.get("attendance_rate")
    if rate is None:
        sentences["attendance"] = _("No attendance was recorded at a held meeting.")
    else:
        sentences["attendance"] = _(
            "Member units attended %(rate)s%% of the meetings they sat for, in person or by "
            "delegate; %(absences)s absences were recorded and %(topics)s topics submitted."
        ) % {
            "rate": rate,
            "absences": figures.get("absences", 0),
            "topics": figures.get("topics", 0),
        }
    sentences["resolutions"] = _(
        "The meetings adopted %(resolutions)s resolutions with %(total)s action items: "
        "%(done)s done, %(in_progress)s in progress, %(open)s not started; %(overdue)s are "
        "overdue."
    ) % {
        "resolutions": figures.get("resolutions", 0),
        "total": items.get("total", 0),
        "done": items.get("done", 0),
        "in_progress": items.get("in_progress", 0),
        "open": items.get("open", 0),
        "overdue": items.get("overdue", 0),
    }
    sentences["lists"] = _(
        "%(needs)s needs and %(resources)s resources were added to the lists; %(started)s "
        "claims became projects (%(from_needs)s needs claimed by units, %(from_resources)s "
        "resources claimed by communities), %(done)s were confirmed done and %(released)s "
        "released."
    ) % {
        "needs": lists.get("needs", {}).get("added", 0),
        "resources": lists.get("resources", {}).get("added", 0),
        "started": projects.get("started", 0),
        "from_needs": projects.get("from_needs", 0),
        "from_resources": projects.get("from_resources", 0),
        "done": projects.get("done", 0),
        "released": projects.get("released", 0),
    }
    if not evaluations.get("evaluated"):
        sentences["evaluations"] = _("No member unit has been evaluated for this year yet.")
    else:
        average = evaluations.get("average_score")
        sentences["evaluations"] = _(
            "%(evaluated)s member units were evaluated (average score %(average)s); "
            "%(commended)s were commended and %(failed)s named for failing their duties."
        ) % {
            "evaluated": evaluations["evaluated"],
            "average": "—" if average is None else average,
            "commended": len(evaluations.get("commended", [])),
            "failed": len(evaluations.get("failed", [])),
        }
    return sentences


def _table(document: Any, headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "—" if value is None or value == "" else str(value)


def work_report_docx(report: WorkReport, out: IO[bytes] | None = None) -> bytes | None:
    """Write the report to `out`; with no `out`, return the document's bytes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from config.documents import new_document

    figures = report.figures or {}
    sentences = report_sentences(figures, report.year)
    committee = report.committee
    document = new_document(
        header=f"{committee.sub_district.name} · {committee.name} · {report.year}"
    )

    title = document.add_heading(
        _("%(committee)s: work report for %(year)s")
        % {"committee": report.committee.name, "year": report.year},
        level=0,
    )
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    byline = document.add_paragraph(
        _("Dated %(day)s") % {"day": report.dated.isoformat()}
        + (
            ""
            if report.status == WorkReportStatus.SUBMITTED
            else " · " + _("Draft, not yet submitted")
        )
    )
    byline.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(_("1. Summary of the year's work"), level=1)
    for paragraph in (report.summary or "").splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())

    document.add_heading(_("2. Joint meetings and attendance"), level=1)
    document.add_paragraph(sentences["meetings"])
    meetings = figures.get("meetings", {}).get("list", [])
    if meetings:
        _table(
            document,
            [_("date"), _("topic"), _("Present"), _("Sent a delegate"), _("Absent")],
            [(m["date"], m["topic"], m["present"], m["delegate"], m["absent"]) for m in meetings],
        )
    document.add_paragraph(sentences["attendance"])
    attendance = figures.get("attendance", [])
    if attendance:
        _table(
            document,
            [
                _("co-building unit"),
                _("meetings held"),
                _("Present"),
                _("Sent a delegate"),
                _("Absent"),
                _("attendance rate (%)"),
            ],
            [
                (a["unit"], a["expected"], a["present"], a["delegate"], a["absent"], a["rate"])
                for a in attendance
            ],
        )

    document.add_heading(_("3. Resolutions and action items"), level=1)
    document.add_paragraph(sentences["resolutions"])
    overdue = figures.get("action_items", {}).get("overdue_list", [])
    if overdue:
        document.add_paragraph(_("Overdue action items:"))
        _table(
            document,
            [_("title"), _("owner"), _("deadline")],
            [(i["title"], i["owner"], i["deadline"]) for i in overdue],
        )

    document.add_heading(_("4. The three lists and two-way claiming"), level=1)
    document.add_paragraph(sentences["lists"])
    lists = figures.get("lists", {})
    _table(
        document,
        [_("list"), _("added"), _("Open for claiming"), _("Claimed"), _("closed")],
        [
            (_("Needs"),) + tuple(lists.get("needs", {}).get(k, 0) for k in _ROW_KEYS),
            (_("Resources"),) + tuple(lists.get("resources", {}).get(k, 0) for k in _ROW_KEYS),
        ],
    )

    document.add_heading(_("5. Year-end evaluation of member units"), level=1)
    document.add_paragraph(sentences["evaluations"])
    evaluations = figures.get("evaluations", {})
    if evaluations.get("commended"):
        document.add_paragraph(
            _("Commended units: %(units)s") % {"units": "、".join(evaluations["commended"])}
        )
    for failed in evaluations.get("failed", []):
        document.add_paragraph(
            _("Failed its duties: %(unit)s (%(comment)s)")
            % {"unit": failed["unit"], "comment": failed["comment"]},
            style="List Bullet",
        )

    document.add_heading(_("6. Plan for next year"), level=1)
    for paragraph in (report.next_year_plan or "").splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())

    if out is not None:
        document.save(out)
        return None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_ROW_KEYS = ("added", "open", "claimed", "closed")
