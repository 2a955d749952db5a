"""The branch's points register (积分登记表) for a year, as XLSX: one sheet with a row per member
on the roll (their points per source kind, the year's total, stars and rank in the branch), and
one with every counted entry and its source, so each figure can be traced to its record.
Three queries, whatever the number of members or entries."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from branches.models import Organization
from config.periods import period_containing
from points import rankings, rules, sources
from points.models import EVENT_LABELS, PointEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_xlsx(branch: Organization, year: int) -> bytes:
    period = period_containing(dt.date(year, 1, 1), "year")
    members = list(rankings.branch_ranking(branch, period))
    thresholds, _branch, _show = rankings.thresholds_for(branch.sub_district_id)
    counted = PointEntry.objects.filter(
        member_id__in=[m.pk for m in members],
        approved=True,
        day__gte=period.start,
        day__lte=period.end,
    )
    by_kind: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for member_id, kind, points in (
        counted.order_by().values("member_id", "source_kind").annotate(points=Sum("points"))
    ).values_list("member_id", "source_kind", "points"):
        by_kind[member_id][kind] = Decimal(points).quantize(Decimal("0.1"))
    kinds = sources.registered()

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Register")
    sheet.append(
        [_("Points register %(year)s: %(branch)s") % {"year": year, "branch": branch.name}]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [
            _("Rank"),
            pgettext("person", "Name"),
            *(str(kind.label) for kind in kinds),
            _("Total"),
            _("Stars"),
        ]
    )
    for member in members:
        points = by_kind.get(member.pk, {})
        sheet.append(
            [
                member.rank,
                member.full_name,
                *(points.get(kind.key, Decimal(0)) for kind in kinds),
                Decimal(member.total).quantize(Decimal("0.1")),
                rules.stars_for(member.total, thresholds),
            ]
        )

    detail = workbook.create_sheet(_("Entries"))
    detail.append(
        [pgettext("person", "Name"), _("Date"), _("Source"), _("Event"), _("Record"), _("Points")]
    )
    labels = {kind.key: str(kind.label) for kind in kinds}
    for name, day, kind, event, title, points in counted.order_by(
        "member__full_name", "member_id", "day", "pk"
    ).values_list("member__full_name", "day", "source_kind", "event", "title", "points"):
        detail.append(
            [
                name,
                day,
                labels.get(kind, kind),
                str(EVENT_LABELS.get(event, event)),
                title,
                Decimal(points).quantize(Decimal("0.1")),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
