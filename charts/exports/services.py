"""Upload an upper system's blank template, map its columns, export a roster into it."""

from __future__ import annotations

import io
import uuid
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.services import record_audit
from branches.models import SubDistrict
from charts.exports.fields import ROSTERS, TRANSFORMS, cell_value
from charts.exports.models import CodeEntry, ExportTemplate
from members.errors import ImportRejected
from members.tabular import Budget, open_table
from reports.writers import neutralise

TEMPLATE_MAX_BYTES = 1_048_576
TEMPLATE_MAX_COLUMNS = 100


class TemplateRefused(DomainError):
    pass


def read_headers(upload: BinaryIO, name: str) -> list[str]:
    """The first sheet's first row of a blank XLSX template, checked as every upload is
    (`members.tabular`: size, zip, parts, unpacked size, no formulas)."""
    if not name.lower().endswith(".xlsx"):
        raise TemplateRefused(_("Upload the template as an Excel workbook (.xlsx)."), field="file")
    budget = Budget.from_settings(max_bytes=TEMPLATE_MAX_BYTES, max_columns=TEMPLATE_MAX_COLUMNS)
    try:
        with open_table(upload, name=name, width=TEMPLATE_MAX_COLUMNS, budget=budget) as table:
            headers = [str(h).strip() if h is not None else "" for h in table.header]
    except ImportRejected as refused:
        raise TemplateRefused(str(refused.message), field="file") from None
    if not any(headers):
        raise TemplateRefused(_("The template's first row holds no column headings."), field="file")
    return headers


def upload_template(
    *,
    sub_district: SubDistrict,
    name: str,
    roster: str,
    upload: BinaryIO,
    file_name: str,
    actor: Any,
    is_demo: bool = False,
) -> ExportTemplate:
    """Version 1 of a new template, with no column mapped yet."""
    if roster not in ROSTERS:
        raise TemplateRefused(_("Choose what the template lists."), field="roster")
    name = name.strip()
    if not name:
        raise TemplateRefused(_("Give the template a name."), field="name")
    headers = read_headers(upload, file_name)
    upload.seek(0)
    with transaction.atomic():
        template = ExportTemplate.objects.create(
            sub_district=sub_district,
            name=name,
            roster=roster,
            family=uuid.uuid4(),
            workbook=upload.read(),
            file_name=file_name[-120:],
            headers=headers,
            mapping=[{"field": "", "transform": ""} for _h in headers],
            is_demo=is_demo,
            created_by=actor,
        )
        record_audit(actor=actor, action="charts.export_template_uploaded", target=template)
    return template


def save_mapping(
    *, template: ExportTemplate, mapping: list[dict[str, str]], actor: Any
) -> ExportTemplate:
    """The mapping as a new version of the template (the current one is kept, not current).
    `mapping` has one {field, transform} per column; an empty field leaves the column blank."""
    fields = ROSTERS[template.roster].fields
    if len(mapping) != len(template.headers):
        raise TemplateRefused(_("Map every column of the template."))
    for index, column in enumerate(mapping):
        if column["field"] and column["field"] not in fields:
            raise TemplateRefused(
                _("Column %(n)d: choose a field of this roster.") % {"n": index + 1}
            )
        if column["transform"] not in TRANSFORMS:
            raise TemplateRefused(_("Column %(n)d: unknown transform.") % {"n": index + 1})
    if not any(column["field"] for column in mapping):
        raise TemplateRefused(_("Map at least one column to a field."))
    with transaction.atomic():
        current = ExportTemplate.objects.select_for_update().get(pk=template.pk)
        if not current.is_current:
            raise TemplateRefused(
                _("A newer version of this template was saved meanwhile; open it again.")
            )
        ExportTemplate.objects.filter(pk=current.pk).update(is_current=False)
        new = ExportTemplate.objects.create(
            sub_district=current.sub_district,
            name=current.name,
            roster=current.roster,
            family=current.family,
            version=current.version + 1,
            workbook=bytes(current.workbook),
            file_name=current.file_name,
            headers=current.headers,
            mapping=[{"field": c["field"], "transform": c["transform"]} for c in mapping],
            is_demo=current.is_demo,
            created_by=actor,
        )
        record_audit(
            actor=actor,
            action="charts.export_template_mapped",
            target=new,
            data={"version": new.version},
        )
    return new


def export_roster(*, template: ExportTemplate, user: Any, year: int) -> bytes:
    """The roster `user` may see, written under the template's headings (from its second row),
    the rest of the blank workbook kept as the upper system made it."""
    from openpyxl import load_workbook

    roster = ROSTERS[template.roster]
    mapped = [(i, c) for i, c in enumerate(template.mapping) if c.get("field")]
    if not mapped:
        raise TemplateRefused(_("Map the template's columns before exporting."))
    paths = sorted({roster.fields[c["field"]].path for _i, c in mapped})
    codes = {
        (table, value): code
        for table, value, code in CodeEntry.objects.filter(
            sub_district=template.sub_district
        ).values_list("table", "value", "code")
    }
    workbook = load_workbook(io.BytesIO(bytes(template.workbook)))
    sheet = workbook.worksheets[0]
    for row_number, row in enumerate(roster.rows(user, year).values(*paths).iterator(), start=2):
        for index, column in mapped:
            field = roster.fields[column["field"]]
            value = cell_value(
                template.roster, column["field"], column["transform"], row[field.path], codes
            )
            sheet.cell(row=row_number, column=index + 1, value=neutralise(value))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
