"""Reading a chart for a signed-in user: the year asked for, and the figures of their scope,
cached like the dashboard's summaries. The page's JSON, its XLSX and the API all read here."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone

from charts.chart import AsOf
from charts.figures import CHARTS
from charts.scope import ChartScope
from config import pagecache

VIEW_PERMISSION = "branches.view_organization"

# Volunteers, rooms, dues, opinions, disputes and courses are not among the tables whose writes
# bump the page cache's data version, so their charts are keyed by this many seconds as well:
# never staler than this.
UNWATCHED_CHARTS = {
    "volunteer-hours",
    "room-use",
    "dues-collection",
    "opinions",
    "disputes",
    "courses",
}
UNWATCHED_SECONDS = 300
FIRST_YEAR = 2000


def chosen_year(request: HttpRequest) -> AsOf:
    """The `year` parameter (this year when missing or out of range), read as of its last day
    or today."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not FIRST_YEAR <= year <= today.year:
        year = today.year
    return AsOf.for_year(year, today)


def chart_figures_for(user: Any, key: str, as_of: AsOf) -> dict[str, Any]:
    """A chart for what `user` may see, cached like the dashboard's summaries (per scope,
    language, day and year, under the data version)."""
    build = CHARTS.get(key)
    if build is None:
        raise Http404
    parts: tuple = (key, as_of.year, as_of.day.isoformat())
    if key in UNWATCHED_CHARTS and settings.PAGE_CACHE_SECONDS:
        parts += (int(time.time()) // UNWATCHED_SECONDS,)
    return pagecache.cached("chart", user, parts, lambda: build(ChartScope.of_user(user), as_of))


def chart_links(keys: Any, year: int) -> list[dict[str, Any]]:
    """What a page needs to draw charts (`staff/charts/_chart_card.html`): no figures, only
    where each chart's JSON and XLSX are, so drawing them adds no query to the page."""
    from django.urls import reverse

    from charts.figures import TITLES

    return [
        {
            "key": key,
            "title": TITLES[key],
            "data_url": f"{reverse('staff:chart-data', args=[key])}?year={year}",
            "xlsx_url": f"{reverse('staff:chart-xlsx', args=[key])}?year={year}",
        }
        for key in keys
    ]
