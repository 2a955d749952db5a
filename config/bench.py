"""Bench mode (BENCH_MODE=true, never in production): what `bench/load.py` measures with.

- `QueryCountMiddleware`, first in the chain, answers every request with `X-Query-Count`: the
  number of SQL statements the whole request ran, middleware included.
- `floor`: the cheapest page Django can serve through the same middleware (session, auth,
  locale, CSRF): the denominator of each endpoint's ratio.
- `floor_sql`: each staff page's figures computed by hand in SQL (`FLOORS`: the heat map's held
  meetings per organisation, kind and period, the dashboard's and tree's members per
  organisation and status, the member list's count and first page), so each page's ratio shows
  what the ORM, Python and the template cost on top of the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


# Each page's floor: the SQL that computes the same figures as the page, written by hand, served
# through the same middleware (session, auth, CSRF, locale) so the ratio page / floor is what the
# ORM, Python and the template cost on top of the database and the request's fixed cost.
FLOORS: dict[str, list[str]] = {
    # Heat map: held meetings per organisation, kind and period of the granularities the rules
    # use, for the year of one sub-district, and the meetings held by kind.
    "compliance": [
        """
        SELECT m.organization_id, m.kind, m.lecture_kind, g.granularity,
               date_trunc(g.granularity, m.held_on::timestamp)::date, count(*)
        FROM activities_meeting m
        JOIN branches_organization o ON o.id = m.organization_id
        CROSS JOIN (VALUES ('month'), ('quarter'), ('year')) AS g (granularity)
        WHERE o.sub_district_id = %(sd)s AND o.status = 'active' AND m.status = 'held'
          AND m.held_on BETWEEN %(start)s AND %(end)s
        GROUP BY 1, 2, 3, 4, 5
        """,
        """
        SELECT m.kind, m.lecture_kind, count(*)
        FROM activities_meeting m JOIN branches_organization o ON o.id = m.organization_id
        WHERE o.sub_district_id = %(sd)s AND m.status = 'held'
          AND m.held_on BETWEEN %(start)s AND %(end)s
        GROUP BY 1, 2
        """,
    ],
    # Dashboard: organisations by kind; members per organisation and status, current committees
    # (the structure warnings); the first organisations, terms ending, recent events.
    "dashboard": [
        """
        SELECT kind, count(*) FROM branches_organization
        WHERE sub_district_id = %(sd)s AND status = 'active' GROUP BY 1
        """,
        """
        SELECT o.path, mb.status, count(mb.id)
        FROM branches_organization o
        LEFT JOIN members_member mb ON mb.organization_id = o.id AND mb.state = 'active'
        WHERE o.sub_district_id = %(sd)s AND o.status = 'active'
        GROUP BY 1, 2
        """,
        """
        SELECT t.organization_id, t.planned_end_on FROM branches_committeeterm t
        JOIN branches_organization o ON o.id = t.organization_id
        WHERE o.sub_district_id = %(sd)s AND t.ended_on IS NULL
        """,
        """
        SELECT id, name, path FROM branches_organization
        WHERE sub_district_id = %(sd)s AND status = 'active' ORDER BY path LIMIT 12
        """,
        """
        SELECT e.id, e.occurred_on FROM branches_organizationevent e
        JOIN branches_organization o ON o.id = e.organization_id
        WHERE o.sub_district_id = %(sd)s ORDER BY e.occurred_on DESC, e.id DESC LIMIT 8
        """,
    ],
    # Member list: the count of the sub-district's members on the roll, and the first page.
    "members": [
        """
        SELECT count(*) FROM members_member mb
        JOIN branches_organization o ON o.id = mb.organization_id
        WHERE o.sub_district_id = %(sd)s AND mb.state = 'active'
        """,
        """
        SELECT mb.id, mb.full_name, mb.status, o.name FROM members_member mb
        JOIN branches_organization o ON o.id = mb.organization_id
        WHERE o.sub_district_id = %(sd)s AND mb.state = 'active'
        ORDER BY o.path, mb.full_name, mb.id LIMIT 50
        """,
        """
        SELECT id, name FROM branches_organization
        WHERE sub_district_id = %(sd)s AND status = 'active' AND kind = 'branch' ORDER BY path
        """,
    ],
    # Tree: every active organisation in path order, members per organisation and status
    # (rolled up by path prefix), current committees.
    "tree": [
        """
        SELECT id, path, depth, name, kind, sector FROM branches_organization
        WHERE sub_district_id = %(sd)s AND status = 'active' ORDER BY path
        """,
        """
        SELECT o.path, mb.status, count(mb.id)
        FROM branches_organization o
        LEFT JOIN members_member mb ON mb.organization_id = o.id AND mb.state = 'active'
        WHERE o.sub_district_id = %(sd)s AND o.status = 'active'
        GROUP BY 1, 2
        """,
        """
        SELECT t.organization_id, t.planned_end_on FROM branches_committeeterm t
        JOIN branches_organization o ON o.id = t.organization_id
        WHERE o.sub_district_id = %(sd)s AND t.ended_on IS NULL
        """,
    ],
}


def floor_sql(request: HttpRequest, page: str = "compliance") -> JsonResponse:
    """The SQL floor of `page` (a key of FLOORS) for `?sub_district=`: rows fetched per query."""
    sub_district = int(request.GET["sub_district"])
    year = timezone.localdate().year
    params = {"sd": sub_district, "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
    rows = []
    with connection.cursor() as cursor:
        for sql in FLOORS[page]:
            cursor.execute(sql, params)
            rows.append(len(cursor.fetchall()))
    return JsonResponse({"page": page, "rows": rows})
