"""Demo data of the charts app: one display screen of 如意湖办事处 with a known link.

The demo link's secret is fixed and printed in the README, so it is marked as a demo in its
name; a real screen's link is random and shown once (`charts.services.create_screen`)."""

from __future__ import annotations

import io

from branches.models import SubDistrict
from charts.exports.models import CodeEntry, CodeTable, ExportTemplate
from charts.exports.services import save_mapping, upload_template
from charts.models import DisplayScreen, token_digest

DEMO_SCREEN_TOKEN = "demo-ruyihu-hall-screen"  # noqa: S105 (a demo link, printed in the README)


# Two templates written here, in the shape of an upper system's collection form and batch
# import, marked as demo: the real ones are uploaded by staff, never guessed.
DEMO_TEMPLATES = (
    (
        "党员信息采集表（演示模板）",
        "members",
        [
            ("姓名", "full_name", ""),
            ("性别代码", "gender", "code"),
            ("民族", "ethnicity", ""),
            ("出生日期", "birth_date", "date_iso"),
            ("学历代码", "education", "code"),
            ("入党日期", "joined_on", "date_iso"),
            ("转正日期", "confirmed_on", "date_iso"),
            ("所在党组织", "branch", ""),
            ("备注", "", ""),
        ],
    ),
    (
        "志愿者批量导入表（演示模板）",
        "volunteers",
        [
            ("姓名", "full_name", ""),
            ("性别", "gender", "label"),
            ("出生日期", "birth_date", "date_compact"),
            ("所属社区", "community", ""),
            ("注册日期", "registered_on", "date_iso"),
            ("本年服务时长（小时）", "hours", ""),
        ],
    ),
)
# Illustrative codes (GB/T 2261.1 sex, GB/T 4658 education): edited in the admin.
DEMO_CODES = (
    (CodeTable.GENDER, "male", "1"),
    (CodeTable.GENDER, "female", "2"),
    (CodeTable.EDUCATION, "postgraduate", "10"),
    (CodeTable.EDUCATION, "undergraduate", "20"),
    (CodeTable.EDUCATION, "college", "30"),
    (CodeTable.EDUCATION, "technical", "40"),
    (CodeTable.EDUCATION, "high_school", "60"),
    (CodeTable.EDUCATION, "middle_or_below", "70"),
)


def _blank_workbook(headings: list[str]) -> io.BytesIO:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(headings)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def seed_export_templates(sub_district: SubDistrict) -> None:
    for table, value, code in DEMO_CODES:
        CodeEntry.objects.get_or_create(
            sub_district=sub_district, table=table, value=value, defaults={"code": code}
        )
    for name, roster, columns in DEMO_TEMPLATES:
        if ExportTemplate.objects.filter(sub_district=sub_district, name=name).exists():
            continue
        template = upload_template(
            sub_district=sub_district,
            name=name,
            roster=roster,
            upload=_blank_workbook([heading for heading, _f, _t in columns]),
            file_name=f"{name}.xlsx",
            actor=None,
            is_demo=True,
        )
        save_mapping(
            template=template,
            mapping=[{"field": f, "transform": t} for _h, f, t in columns],
            actor=None,
        )


def seed() -> None:
    sub_district = SubDistrict.objects.filter(name="如意湖办事处").first()
    if sub_district is None:
        return
    seed_export_templates(sub_district)
    DisplayScreen.objects.get_or_create(
        token_hash=token_digest(DEMO_SCREEN_TOKEN),
        defaults={
            "name": "如意湖党群服务中心大厅（演示链接）",
            "sub_district": sub_district,
            "refresh_seconds": 60,
        },
    )
