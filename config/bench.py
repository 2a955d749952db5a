"""Bench mode (BENCH_MODE=true, never in production): what `bench/load.py` measures with.

- `QueryCountMiddleware`, first in the chain, answers every request with `X-Query-Count`: the
  number of SQL statements the whole request ran, middleware included.
- `floor`: the cheapest page Django can serve through the same middleware (session, auth,
  locale, CSRF): the denominator of each endpoint's ratio.
- `floor_sql`: the aggregate behind the compliance heat map and the dashboard written by hand
  (held meetings per organisation and month of one sub-district for a year, and members per
  organisation), so the ratio shows what the ORM and Python cost on top of the database.
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


HELD_BY_MONTH = """
    SELECT m.organization_id, date_trunc('month', m.held_on) AS month, m.kind, count(*)
    FROM activities_meeting m
    JOIN branches_organization o ON o.id = m.organization_id
    WHERE o.sub_district_id = %s AND m.status = 'held' AND m.held_on BETWEEN %s AND %s
    GROUP BY 1, 2, 3
"""
MEMBERS_BY_ORGANIZATION = """
    SELECT o.path, count(mb.id)
    FROM branches_organization o
    LEFT JOIN members_member mb ON mb.organization_id = o.id
    WHERE o.sub_district_id = %s
    GROUP BY o.path
"""


def floor_sql(request: HttpRequest) -> JsonResponse:
    sub_district = int(request.GET["sub_district"])
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(HELD_BY_MONTH, [sub_district, dt.date(year, 1, 1), dt.date(year, 12, 31)])
        held = cursor.fetchall()
        cursor.execute(MEMBERS_BY_ORGANIZATION, [sub_district])
        members = cursor.fetchall()
    return JsonResponse({"held": len(held), "organizations": len(members)})
