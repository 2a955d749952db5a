"""Minutes as a document: one meeting's 会议记录, or a branch's year of them, as DOCX.

The page is the portal's (`config.documents.new_document`: A4, GB/T 9704 margins, Chinese faces,
header, "第 X 页 共 Y 页"). Each meeting prints in the usual layout: title, a table of the facts
(topic, date and time, place, chair, note-taker, expected / present / absent with names and
reasons, guests), the agenda, the points, the resolutions, the votes, the attachments with their
SHA-256, signature lines for the chair and the note-taker, and the seal (version, time, the
chain's head hash and whether it verified when printed).

The body is written as WordprocessingML text and parsed once per document (`_Body`), tables
included: a year of minutes is a few thousand paragraphs and cells, which python-docx would add
one call (one walk of the XML) at a time. It prints what `sealing.record_of` reads, so the paper
shows exactly the record the chain seals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from activities.minutes.sealing import record_of
from activities.minutes.verification import Verification, verify
from activities.models import (
    AttachmentKind,
    AttendanceStatus,
    LectureKind,
    Meeting,
    VoteMethod,
)

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SIGNATURE_BLANK = "＿" * 10


class _Body:
    """Paragraphs and tables as markup, in the order the schema wants their properties."""

    def __init__(self, block_width_twips: int) -> None:
        self.width = block_width_twips
        self.parts: list[str] = []

    @staticmethod
    def _run(text: str, *, bold: bool = False, size_pt: int = 0) -> str:
        text = _XML_UNSAFE.sub("", text)
        if not text:
            return ""
        props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size_pt * 2}"/>' if size_pt else "")
        run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
        content = "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in text.split("\n")
        )
        return f"<w:r>{run_props}{content}</w:r>"

    def paragraph(
        self,
        text: str = "",
        *,
        style: str = "",
        center: bool = False,
        right: bool = False,
        bold: bool = False,
        size_pt: int = 0,
        label: str = "",
    ) -> None:
        props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            '<w:jc w:val="center"/>' if center else '<w:jc w:val="right"/>' if right else ""
        )
        paragraph_props = f"<w:pPr>{props}</w:pPr>" if props else ""
        runs = (self._run(label, bold=True) if label else "") + self._run(
            text, bold=bold, size_pt=size_pt
        )
        self.parts.append(f"<w:p>{paragraph_props}{runs}</w:p>")

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(
        self,
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[int],
        header: bool = False,
        bold_first_column: bool = False,
    ) -> None:
        """A "Table Grid" table; `widths` are the columns' shares of the text width."""
        total = sum(widths)
        twips = [self.width * w // total for w in widths]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)

        def cell(text: str, width: int, bold: bool) -> str:
            return (
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                f"<w:p>{self._run(text, bold=bold)}</w:p></w:tc>"
            )

        body = "".join(
            "<w:tr>"
            + "".join(
                cell(
                    str(value),
                    twips[column],
                    (header and index == 0) or (bold_first_column and column == 0),
                )
                for column, value in enumerate(row)
            )
            + "</w:tr>"
            for index, row in enumerate(rows)
        )
        self.parts.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:jc w:val="center"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
        )

    def into(self, document: Any) -> None:
        """Parse the markup once and put it before the section properties of `document`."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import qn

        fragment = parse_xml(f'<w:body xmlns:w="{_W}">{"".join(self.parts)}</w:body>')
        section = document.element.body.find(qn("w:sectPr"))
        for element in list(fragment):
            section.addprevious(element)


def _local(value: str | None, pattern: str) -> str:
    if not value:
        return "—"
    moment = parse_datetime(value)
    return timezone.localtime(moment).strftime(pattern) if moment else value


def _kind_label(record: dict[str, Any]) -> str:
    from activities.models import MeetingKind

    if record["lecture_kind"]:
        return str(dict(LectureKind.choices).get(record["lecture_kind"], record["lecture_kind"]))
    return str(dict(MeetingKind.choices).get(record["kind"], record["kind"]))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _write_meeting(body: _Body, meeting: Meeting) -> None:
    record = record_of(meeting)
    result = verify(meeting, record=record)
    statuses = dict(AttendanceStatus.choices)
    attendance = record["attendance"]
    present = [a for a in attendance if a["status"] == AttendanceStatus.PRESENT]
    missing = [a for a in attendance if a["status"] != AttendanceStatus.PRESENT]
    body.paragraph(
        _("%(organization)s %(kind)s minutes")
        % {"organization": record["organization"]["name"], "kind": _kind_label(record)},
        style="Title",
        center=True,
    )
    chair = record["chair"]["name"] if record["chair"] else "—"
    note_taker = record["note_taker"]["name"] if record["note_taker"] else "—"
    ends = _local(record["ends_at"], "%H:%M") if record["ends_at"] else ""
    guests = "、".join(
        f"{g['name']}（{g['title']}）" if g["title"] else g["name"] for g in record["guests"]
    )
    body.table(
        [
            (_("Topic"), record["topic"]),
            (
                _("Date and time"),
                _local(record["starts_at"], "%Y年%m月%d日 %H:%M") + (f"—{ends}" if ends else ""),
            ),
            (_("Place"), record["place"] or "—"),
            (_("Chair"), chair),
            (_("Note-taker"), note_taker),
            (
                _("Expected / present / absent"),
                _("%(expected)s expected, %(present)s present, %(absent)s absent")
                % {"expected": len(attendance), "present": len(present), "absent": len(missing)},
            ),
            (_("Present"), "、".join(a["name"] for a in present) or "—"),
            (
                _("Absent, with reasons"),
                "\n".join(
                    f"{a['name']}（{statuses.get(a['status'], a['status'])}：{a['reason']}）"
                    for a in missing
                )
                or "—",
            ),
            (_("Guests"), guests or "—"),
        ],
        widths=[1, 3],
        bold_first_column=True,
    )
    for heading, text in (
        (_("Agenda"), record["agenda"]),
        (_("Main points"), record["main_points"]),
        (_("Resolutions"), record["resolutions"]),
    ):
        body.paragraph(heading, style="Heading2")
        body.paragraph(text or "—")
    if record["rectification"]:
        body.paragraph(_("Rectification list"), style="Heading2")
        body.paragraph(record["rectification"])
    body.paragraph(_("Votes"), style="Heading2")
    if record["votes"]:
        methods = dict(VoteMethod.choices)
        body.table(
            [
                (
                    _("Motion"),
                    _("Method"),
                    _("Entitled"),
                    _("Entitled and present"),
                    _("For"),
                    _("Against"),
                    _("Abstain"),
                    _("Result"),
                ),
                *(
                    (
                        v["motion"],
                        str(methods.get(v["method"], v["method"])),
                        v["entitled"],
                        v["present_entitled"],
                        v["yes"],
                        v["no"],
                        v["abstain"],
                        _("Passed")
                        if v["passed"]
                        else _("No quorum")
                        if not v["quorum_met"]
                        else _("Not passed"),
                    )
                    for v in record["votes"]
                ),
            ],
            widths=[4, 2, 1, 1, 1, 1, 1, 2],
            header=True,
        )
    else:
        body.paragraph(_("No vote was taken."))
    body.paragraph(_("Attachments"), style="Heading2")
    if record["attachments"]:
        kinds = dict(AttachmentKind.choices)
        body.table(
            [
                (_("File name"), _("Kind"), _("Size"), "SHA-256"),
                *(
                    (
                        f["name"],
                        str(kinds.get(f["kind"], f["kind"])),
                        _size(f["size"]),
                        f["sha256"] or "—",
                    )
                    for f in record["attachments"]
                ),
            ],
            widths=[3, 2, 1, 6],
            header=True,
        )
    else:
        body.paragraph(_("No attachment."))
    body.paragraph("")
    chair_signs = _("Chair (signature)")
    note_taker_signs = _("Note-taker (signature)")
    dated = _("Date")
    body.paragraph(f"{chair_signs}：{SIGNATURE_BLANK}　　{note_taker_signs}：{SIGNATURE_BLANK}")
    body.paragraph(f"{dated}：{SIGNATURE_BLANK}", right=True)
    _write_seal(body, meeting, result)


def _write_seal(body: _Body, meeting: Meeting, result: Verification) -> None:
    if result.ok is None:
        body.paragraph(_("Not signed off: these minutes are not sealed yet."), bold=True)
        return
    sealed_at = timezone.localtime(meeting.signed_off_at).strftime("%Y-%m-%d %H:%M")
    body.paragraph(
        _("Signed off %(at)s · version %(version)s · %(links)s sealed version(s)")
        % {"at": sealed_at, "version": meeting.version, "links": result.links},
        size_pt=9,
    )
    body.paragraph(result.head or "—", label=_("Hash (SHA-256): "), size_pt=9)
    if result.ok:
        body.paragraph(_("The chain verified when this document was printed."), size_pt=9)
    else:
        body.paragraph(
            _("Verification FAILED at link %(link)s: %(problem)s")
            % {"link": result.link, "problem": result.problem},
            bold=True,
        )


def minutes_docx(meetings: Iterable[Meeting], *, header: str) -> Any:
    """A document with each meeting's minutes, one per page (the meetings' rows prefetched:
    `verification.for_verification`)."""
    from config.documents import new_document

    document = new_document(header=header)
    body = _Body(int(document._block_width.twips))
    for index, meeting in enumerate(meetings):
        if index:
            body.page_break()
        _write_meeting(body, meeting)
    if not body.parts:
        body.paragraph(_("No meeting was held."))
    body.into(document)
    return document
