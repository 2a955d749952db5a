"""Checks shared by the tests of every DOCX the portal writes: the page a sub-district prints."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.oxml.ns import qn

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_printed_page(content: bytes, *, header: str) -> None:
    """A4 portrait, East Asian faces on the body and heading styles (not only ASCII faces, and no
    theme font overriding them), the header text, and a footer "第 PAGE 页 共 NUMPAGES 页"."""
    document = Document(io.BytesIO(content))
    for section in document.sections:
        assert round(section.page_width.cm, 1) == 21.0
        assert round(section.page_height.cm, 1) == 29.7
        assert section.left_margin.cm >= 2 and section.top_margin.cm >= 2
        assert header in "\n".join(p.text for p in section.header.paragraphs)
        footer = section.footer._element
        fields = [t.text.split()[0] for t in footer.iter(qn("w:instrText"))]
        assert fields == ["PAGE", "NUMPAGES"]
        assert [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ] * 2
        text = "".join(t.text for t in footer.iter(qn("w:t")))
        assert re.fullmatch(r"第 \d+ 页 共 \d+ 页", text), text
    for name in ("Normal", "Heading 1", "Title"):
        fonts = document.styles[name].element.rPr.rFonts
        assert CJK.search(fonts.get(qn("w:eastAsia")) or ""), name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
