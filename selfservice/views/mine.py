"""我的党费 and 我的积分: what the branch's books hold of the member — their dues base, bills,
reference codes and receipts; their points of the year with each entry's source, their total and
stars. Read-only: payments are recorded by the secretary, points derived from the records."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from dues import figures as dues_figures
from points import rankings
from selfservice.views.public import MemberView


class DuesView(MemberView, TemplateView):
    template_name = "public/selfservice/dues.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = self.member
        return {
            **super().get_context_data(**kwargs),
            "bases": member.dues_bases.order_by("-started_on")[:3],
            "bills": member.dues_bills.order_by("-month")[:24],
            "receipts": member.dues_receipts.order_by("-issued_on", "-pk")[:12],
            "paid_through": dues_figures.paid_through(member.pk, timezone.localdate()),
        }


class PointsView(MemberView, TemplateView):
    template_name = "public/selfservice/points.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        lines, total = rankings.member_ledger(self.member, year)
        return {
            **super().get_context_data(**kwargs),
            "year": year,
            "years": range(today.year, max(today.year - 5, 1999), -1),
            "lines": lines[:200],
            "total": total,
            "standing": rankings.member_year(self.member, year),
        }
