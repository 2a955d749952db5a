"""The printed papers of the assessment (Chinese, as they are filed): a branch's year-end
assessment report, the sub-district's ranked notice, and the letter to the superior
organisation of a co-building unit that failed its duties. Pages from config/documents.py."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from assessment.models import AssessmentRound, BranchAssessment
from branches.models import CoBuildingUnit
from config.documents import document_bytes, new_document


def _figure(value: object) -> str:
    return "—" if value is None else f"{value}"


def branch_report_docx(branch: BranchAssessment) -> bytes:
    assessment_round = branch.round
    with translation.override("zh-hans"):
        document = new_document(
            header=f"{assessment_round.sub_district.name} · {assessment_round.year}年度述职评议"
        )
        title = document.add_heading(f"{branch.organization.name}年度考核结果", level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = document.add_table(rows=0, cols=3)
        table.style = "Table Grid"
        for label, weight, value in [
            ("党建目标完成情况", assessment_round.metrics_weight, branch.metrics_score),
            ("督查得分", assessment_round.inspection_weight, branch.inspection_score),
            ("书记述职评议", assessment_round.report_weight, branch.report_score),
        ]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = label, f"权重 {weight}", _figure(value)
        document.add_paragraph(
            f"总分 {_figure(branch.total)}，在全街道排名第 {_figure(branch.rank)} 位，"
            f"评定等次：{branch.get_grade_display() or '未评定'}。"
        )
        if branch.report_text:
            document.add_heading("书记述职报告", level=2)
            document.add_paragraph(branch.report_text)
        return document_bytes(document)


def ranked_notice_docx(assessment_round: AssessmentRound) -> bytes:
    branches = assessment_round.branches.select_related("organization").order_by(
        "rank", "organization__name"
    )
    with translation.override("zh-hans"):
        document = new_document(header=f"{assessment_round.sub_district.name}")
        title = document.add_heading(
            f"关于{assessment_round.year}年度基层党组织书记述职评议考核结果的通报", level=0
        )
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(
            f"根据年度党建目标考核、日常督查与专项督查及书记述职评议情况，经街道党工委研究，"
            f"现将{assessment_round.year}年度各基层党组织考核结果通报如下："
        )
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["名次", "党组织", "总分", "等次"], strict=True):
            cell.text = text
        for branch in branches:
            cells = table.add_row().cells
            cells[0].text = _figure(branch.rank)
            cells[1].text = branch.organization.name
            cells[2].text = _figure(branch.total)
            cells[3].text = branch.get_grade_display() or "—"
        decided = assessment_round.decided_on or dt.date.today()
        document.add_paragraph(f"{assessment_round.sub_district.name}党工委")
        document.add_paragraph(f"{decided:%Y年%m月%d日}")
        return document_bytes(document)


def unit_letter_docx(
    *,
    unit: CoBuildingUnit,
    superior: str,
    failings: str,
    requested: str,
    reply_by: dt.date,
    today: dt.date,
) -> bytes:
    """The letter to the superior organisation of a co-building unit that failed its duties."""
    with translation.override("zh-hans"):
        document = new_document(header=f"{unit.sub_district.name}")
        title = document.add_heading("关于共建单位履行共建职责情况的函", level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(f"{superior}：")
        document.add_paragraph(
            f"贵系统所属 {unit.name} 为我街道区域化党建共建单位。经督查，该单位存在以下问题："
        )
        for line in filter(None, (text.strip() for text in failings.splitlines())):
            document.add_paragraph(line, style="List Number")
        document.add_paragraph(f"请督促该单位：{requested}，并于 {reply_by:%Y年%m月%d日} 前函复。")
        document.add_paragraph(f"{unit.sub_district.name}党工委")
        document.add_paragraph(f"{today:%Y年%m月%d日}")
        return document_bytes(document)
