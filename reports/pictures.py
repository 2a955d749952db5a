"""Charts of the report pack drawn as pictures for the DOCX (matplotlib, on the server).

Why matplotlib and not ECharts' server-side rendering: the pack is built by a Celery worker
that has Python and no Node.js; matplotlib renders a PNG in-process with a CJK font the
system already has (Noto Sans CJK, /usr/share/fonts/opentype/noto, installed in the image), so
no browser, no Node runtime and no network is needed (docs/adr/0010-charts-in-documents.md).
Pictures are small (a few tens of KB each) and drawn only for the tables of `CHARTED_TABLES`.
"""

from __future__ import annotations

import functools
import io
import os
from typing import Any

CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
)
RED = "#c00000"
PALETTE = ("#c00000", "#e6a23c", "#409eff", "#67c23a", "#909399", "#8e44ad")
WIDTH_IN, HEIGHT_IN, DPI = 6.0, 3.0, 150


@functools.lru_cache(maxsize=1)
def _font() -> Any:
    """The CJK font's properties, or None when no CJK font is installed (the labels then fall
    back to matplotlib's default and Chinese shows as boxes: the document is still written)."""
    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        if os.path.exists(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def table_picture(
    table: dict[str, Any], kind: str, category_column: int, value_columns: tuple[int, ...]
) -> bytes | None:
    """A PNG of one table as a bar or pie chart; None when it has nothing to draw."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    labels = [str(row[category_column]) for row in table["rows"]]
    series = [
        (str(table["columns"][column]), [_number(row[column]) for row in table["rows"]])
        for column in value_columns
    ]
    if not labels or not any(v for _name, values in series for v in values if v):
        return None
    font = _font()
    text = {"fontproperties": font} if font is not None else {}
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.subplots()
    if kind == "pie":
        values = [v or 0 for v in series[0][1]]
        wedges, texts = axes.pie(values, colors=PALETTE[: len(values)], startangle=90)[:2]
        for label in texts:
            label.set_visible(False)
        axes.legend(
            wedges,
            [f"{name} {value:g}" for name, value in zip(labels, values, strict=True)],
            loc="center left",
            bbox_to_anchor=(1, 0.5),
            prop=font,
            frameon=False,
        )
        axes.set_aspect("equal")
    else:
        count = len(series)
        width = 0.8 / count
        positions = range(len(labels))
        for index, (name, values) in enumerate(series):
            axes.bar(
                [p + (index - (count - 1) / 2) * width for p in positions],
                [v or 0 for v in values],
                width=width,
                color=PALETTE[index % len(PALETTE)],
                label=name,
            )
        axes.set_xticks(list(positions))
        axes.set_xticklabels(labels, rotation=30 if len(labels) > 5 else 0, ha="right", **text)
        axes.spines[["top", "right"]].set_visible(False)
        if count > 1:
            axes.legend(prop=font, frameon=False)
    axes.set_title(str(table["title"]), color=RED, **text)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
