"""A chart's figures as an XLSX: its table, and a native chart over those cells (bar and line
charts), so the download stays live in Excel or WPS when a figure is corrected by hand."""

from __future__ import annotations

import io
from typing import Any

from reports.writers import neutralise

CHART_ANCHOR = "H2"


def chart_xlsx(figures: dict[str, Any], scope_label: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = figures["title"][:31]
    sheet.append([neutralise(figures["title"]), neutralise(scope_label)])
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = 2
    sheet.append([neutralise(c) for c in figures["columns"]])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in figures["rows"]:
        sheet.append([neutralise(v) for v in row])
    last_row = header_row + len(figures["rows"])
    if figures["note"]:
        sheet.append([])
        sheet.append([neutralise(figures["note"])])
    sheet.column_dimensions["A"].width = 24
    kind = figures["kind"]
    if figures["rows"] and kind in ("bar", "line", "pie", "funnel"):
        numeric = [
            index
            for index in range(1, len(figures["columns"]))
            if all(isinstance(row[index], int | float) for row in figures["rows"])
        ]
        if kind == "line" and numeric:
            numeric = numeric[-1:]  # the rate, not the counts it is made of
        if numeric:
            native = (
                PieChart()
                if kind in ("pie", "funnel")
                else LineChart()
                if kind == "line"
                else BarChart()
            )
            native.title = figures["title"]
            categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
            for column in numeric if kind not in ("pie", "funnel") else numeric[:1]:
                data = Reference(sheet, min_col=column + 1, min_row=header_row, max_row=last_row)
                native.add_data(data, titles_from_data=True)
            native.set_categories(categories)
            native.width, native.height = 18, 9
            sheet.add_chart(native, CHART_ANCHOR)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
