"""Export templates of upper systems: upload checks, mapping versions, the roster written into
the template with its transforms and in the user's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from charts.demo import seed_export_templates
from charts.exports.models import CodeEntry, ExportTemplate
from charts.exports.services import TemplateRefused, export_roster, save_mapping, upload_template
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def blank(headings):
    workbook = Workbook()
    workbook.active.append(headings)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def template(sub_district, staff, clock):
    clock.set(dt.date(2026, 6, 15))
    made = upload_template(
        sub_district=sub_district,
        name="采集表",
        roster="members",
        upload=blank(["姓名", "性别代码", "出生日期", "学历", "备注"]),
        file_name="采集表.xlsx",
        actor=staff,
    )
    return save_mapping(
        template=made,
        mapping=[
            {"field": "full_name", "transform": ""},
            {"field": "gender", "transform": "code"},
            {"field": "birth_date", "transform": "date_iso"},
            {"field": "education", "transform": "label"},
            {"field": "", "transform": ""},
        ],
        actor=staff,
    )


def test_mapping_is_saved_as_a_new_version_and_the_old_kept(template, staff):
    assert template.version == 2
    versions = ExportTemplate.objects.filter(family=template.family)
    assert versions.count() == 2
    assert list(versions.filter(is_current=True)) == [template]
    old = versions.get(version=1)
    with pytest.raises(TemplateRefused):
        save_mapping(template=old, mapping=template.mapping, actor=staff)


def test_export_writes_the_scoped_roster_with_transforms(
    template, staff, secretary, branch, other_branch, other_sub_district_branch
):
    CodeEntry.objects.create(
        sub_district=template.sub_district, table="gender", value="female", code="2"
    )
    MemberFactory(
        organization=branch,
        full_name="甲",
        gender="female",
        birth_date=dt.date(1980, 5, 1),
        education="college",
    )
    MemberFactory(organization=other_branch, full_name="乙", gender="male")
    MemberFactory(organization=other_sub_district_branch, full_name="丙")
    sheet = load_workbook(
        io.BytesIO(export_roster(template=template, user=staff, year=2026))
    ).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"甲", "乙"}
    assert rows["甲"][:5] == ("甲", "2", "1980-05-01", "大学专科", None)
    assert rows["乙"][1] == "男"  # no code in the table: the label
    assert [c.value for c in sheet[1]] == ["姓名", "性别代码", "出生日期", "学历", "备注"]
    mine = load_workbook(io.BytesIO(export_roster(template=template, user=secretary, year=2026)))
    assert [r[0] for r in mine.active.iter_rows(min_row=2, values_only=True)] == ["甲"]


def test_formula_like_values_are_neutralised(template, staff, branch):
    MemberFactory(organization=branch, full_name="=HYPERLINK(1)")
    sheet = load_workbook(
        io.BytesIO(export_roster(template=template, user=staff, year=2026))
    ).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.csv", b"a,b\n"),
        ("a.xlsx", b"not a zip at all"),
        ("a.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("a.xlsx", b"x" * 1_100_000),
        ("a.xlsx", None),  # a workbook with an empty first row
    ],
)
def test_bad_templates_are_refused_and_write_nothing(clients, sub_district, name, content):
    if content is None:
        content = blank([]).getvalue()
    response = clients["staff"].post(
        reverse("staff:export-template-list"),
        {
            "name": "坏",
            "sub_district": sub_district.pk,
            "roster": "members",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    assert not ExportTemplate.objects.exists()


def test_pages_access(clients, template):
    for url in (
        reverse("staff:export-template-list"),
        reverse("staff:export-template-map", args=[template.pk]),
        reverse("staff:export-template-export", args=[template.pk]),
    ):
        assert_access(
            clients,
            url,
            {
                "anonymous": 302,
                "resident": 403,
                "other_secretary": 403,
                "secretary": 403,
                "staff": 200,
            },
        )


def test_staff_map_columns_on_the_page(clients, template):
    url = reverse("staff:export-template-map", args=[template.pk])
    data = {f"field-{i}": "" for i in range(5)} | {f"transform-{i}": "" for i in range(5)}
    data["field-0"] = "full_name"
    data["field-2"] = "joined_on"
    data["transform-2"] = "date_compact"
    response = clients["staff"].post(url, data)
    assert response.status_code == 302
    current = ExportTemplate.objects.get(family=template.family, is_current=True)
    assert current.version == 3
    assert current.mapping[2] == {"field": "joined_on", "transform": "date_compact"}
    # A field of another roster or an unknown transform: refused, nothing saved.
    current_url = reverse("staff:export-template-map", args=[current.pk])
    bad = data | {"field-1": "hours"}
    assert clients["staff"].post(current_url, bad).status_code == 400
    bad = data | {"transform-1": "evil"}
    assert clients["staff"].post(current_url, bad).status_code == 400
    assert ExportTemplate.objects.filter(family=template.family).count() == 3


def test_demo_templates_export(sub_district, staff, branch, clock):
    clock.set(dt.date(2026, 6, 15))
    sub_district.name = "如意湖办事处"
    sub_district.save()
    seed_export_templates(sub_district)
    seed_export_templates(sub_district)  # idempotent
    demos = ExportTemplate.objects.filter(is_demo=True, is_current=True)
    assert demos.count() == 2
    MemberFactory(organization=branch, gender="male", education="college")
    members = demos.get(roster="members")
    sheet = load_workbook(io.BytesIO(export_roster(template=members, user=staff, year=2026))).active
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[1] == "1" and row[4] == "30"
    volunteers = demos.get(roster="volunteers")
    export_roster(template=volunteers, user=staff, year=2026)
