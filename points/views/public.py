"""The resident site's honour roll of member points (/points/honour-roll/): opt-in per
sub-district, names and branches only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from config.periods import period_containing
from points.rankings import honour_rolls, parse_period


class HonourRollView(TemplateView):
    """Top members of a month in the sub-districts that show them. Anyone may look: it names
    people the sub-district chose to commend, nothing else (no points, no contact)."""

    template_name = "public/points/honour_roll.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        last_month = period_containing(today.replace(day=1) - dt.timedelta(days=1), "month")
        asked = parse_period(self.request.GET.get("month"), today)
        period = asked if asked is not None and asked.granularity == "month" else last_month
        if period.start > today:
            period = last_month
        context.update(
            period=period,
            previous=period_containing(period.start - dt.timedelta(days=1), "month"),
            following=period.next() if period.end < today else None,
            rolls=honour_rolls(period),
        )
        return context
