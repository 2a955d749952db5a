"""The DOCX of a volunteer certificate (python-docx), in Chinese whatever the request language."""

from __future__ import annotations

from django.utils import timezone, translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from config.documents import document_bytes, new_document
from volunteers import rules
from volunteers.models import Certificate, Enrollment


def certificate_docx(certificate: Certificate) -> bytes:
    """Names the volunteer, the period, the hours and each service, the issuing organisation,
    the number and the date (RULES.md, volunteer service records)."""
    services = list(
        Enrollment.objects.credited()
        .between(certificate.period_start, certificate.period_end)
        .filter(volunteer_id=certificate.volunteer_id)
        .select_related("activity__team")
        .order_by("activity__starts_at")
    )
    with translation.override("zh-hans"):
        document = new_document(
            header=f"{certificate.issuing_body} · 志愿服务证明 {certificate.number}"
        )
        number = document.add_paragraph(certificate.number)
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        title = document.add_heading("志愿服务证明", level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        volunteer = certificate.volunteer
        document.add_paragraph(
            f"兹证明 {volunteer.full_name} 同志于 {certificate.period_start:%Y年%m月%d日} 至 "
            f"{certificate.period_end:%Y年%m月%d日} 期间参加志愿服务活动 {len(services)} 次，"
            f"累计服务时长 {rules.hours(certificate.minutes)} 小时。"
        )
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            ["日期", "服务队", "服务活动", "服务内容", "时长（小时）"],
            strict=True,
        ):
            cell.text = text
        for enrollment in services:
            row = table.add_row().cells
            activity = enrollment.activity
            row[0].text = f"{timezone.localtime(activity.starts_at):%Y-%m-%d}"
            row[1].text = activity.team.name
            row[2].text = activity.title
            row[3].text = enrollment.service_note or activity.description[:60] or activity.title
            row[4].text = str(rules.hours(enrollment.total_minutes))
        document.add_paragraph("")
        document.add_paragraph("特此证明。")
        issuer = document.add_paragraph(certificate.issuing_body)
        issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date = document.add_paragraph(f"{certificate.issued_on:%Y年%m月%d日}")
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return document_bytes(document)
