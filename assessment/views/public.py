"""The resident site's weekly ranking of branches (亮赛比, /ranking/): opt-in per sub-district
(`AssessmentSettings.ranking_public`), published weeks only, branch names and figures only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.views.generic import TemplateView

from assessment.models import RankingRow, RankingWeek
from assessment.ranking import week_of


def _asked_week(raw: str | None) -> dt.date | None:
    try:
        return week_of(dt.date.fromisoformat(raw)) if raw else None
    except ValueError:
        return None


class RankingView(TemplateView):
    """Each showing sub-district's latest published week (or the week asked for by
    `?week=YYYY-MM-DD`), ranked. Anyone may look: the sub-district chose to show it."""

    template_name = "public/assessment/ranking.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asked = _asked_week(self.request.GET.get("week"))
        weeks = RankingWeek.objects.public()
        if asked is not None:
            weeks = weeks.filter(week_start=asked)
        else:
            latest = (
                RankingWeek.objects.published()
                .filter(sub_district=OuterRef("sub_district"))
                .order_by("-week_start")
                .values("week_start")[:1]
            )
            weeks = weeks.filter(week_start=Subquery(latest))
        context.update(
            asked=asked,
            weeks=weeks.select_related("sub_district")
            .prefetch_related(
                Prefetch(
                    "rows",
                    queryset=RankingRow.objects.select_related("organization")
                    .only(
                        "week_id",
                        "rank",
                        "score",
                        "meetings",
                        "volunteer_hours",
                        "claimed_needs",
                        "organization__name",
                    )
                    .order_by("rank", "organization__name"),
                )
            )
            .order_by("sub_district__name"),
        )
        return context
