"""The page every DOCX the portal writes is printed on: A4, the margins of printed government
documents, Chinese faces set for East Asian text, a header naming who and when, and a footer
"第 X 页 共 Y 页".

Every writer (report pack, certificates, feedback letters, committee notices and work reports)
starts from `new_document(header=...)` and ends with `document_bytes(document)` or
`document.save(out)`, so a sub-district hands in documents that look alike. It lives in `config/`
because it belongs to no domain and every app that prints imports it (see docs/architecture.md).
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
# GB/T 9704 (layout of official documents): 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
STYLES = (
    ("Normal", BODY_FONT, 12),
    ("Title", HEADING_FONT, 20),
    ("Heading 1", HEADING_FONT, 16),
    ("Heading 2", HEADING_FONT, 14),
    ("Heading 3", HEADING_FONT, 12),
)
# Theme attributes win over explicit faces in Word, so they are removed.
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def new_document(*, header: str) -> Any:
    """A blank document with the portal's page, fonts, header text and page-number footer."""
    document = Document()
    _set_fonts(document)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = PAGE_WIDTH
        section.page_height = PAGE_HEIGHT
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        section.header_distance = Cm(1.5)
        section.footer_distance = Cm(1.75)
        _set_header(section, header)
        _set_footer(section)
    return document


def document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_fonts(document: Any) -> None:
    for name, face, size in STYLES:
        style = document.styles[name]
        style.font.name = LATIN_FONT
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:eastAsia"), face)


def _set_header(section: Any, text: str) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.text = text
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _set_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(" 页 共 ")
    _add_field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _add_field(paragraph: Any, instruction: str) -> None:
    """A complex field (begin, instruction, separate, placeholder, end) Word fills when printing."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
