"""The chart endpoints: scope by role, figures as of the chosen year, constant query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from charts.figures import CHARTS, AsOf, members_by_age
from charts.scope import ChartScope
from members.models import MembershipState
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def today(clock):
    clock.set(TODAY)
    return TODAY


def _data(client, key, year=2026):
    response = client.get(reverse("staff:chart-data", args=[key]), {"year": year})
    assert response.status_code == 200, response.content
    return response.json()


def _table(figures):
    return {row[0]: row[1] for row in figures["rows"]}


def test_chart_pages_answer_by_role(clients, today):
    for url in (
        reverse("staff:charts"),
        reverse("staff:chart-data", args=["members-age"]),
        reverse("staff:chart-xlsx", args=["members-category"]),
    ):
        assert_access(
            clients,
            url,
            {
                "anonymous": 302,
                "resident": 403,
                "other_secretary": 200,
                "secretary": 200,
                "staff": 200,
            },
        )


def test_unknown_chart_is_404(clients, today):
    response = clients["staff"].get(reverse("staff:chart-data", args=["no-such-chart"]))
    assert response.status_code == 404


def test_each_role_counts_only_its_scope(
    clients, today, branch, other_branch, other_sub_district_branch
):
    MemberFactory.create_batch(3, organization=branch, gender="female")
    MemberFactory.create_batch(2, organization=other_branch, gender="male")
    MemberFactory.create_batch(4, organization=other_sub_district_branch, gender="male")

    def totals(role):
        return sum(_table(_data(clients[role], "members-gender")).values())

    assert totals("secretary") == 3
    assert totals("other_secretary") == 2
    assert totals("staff") == 5
    assert _table(_data(clients["secretary"], "members-gender")) == {"女": 3}


def test_past_year_shows_the_roll_as_it_was(clients, today, branch):
    MemberFactory(
        organization=branch,
        joined_on=dt.date(2010, 1, 1),
        confirmed_on=dt.date(2011, 1, 1),
        birth_date=dt.date(1990, 3, 1),
    )
    # Joined in 2025: not on the 2024 roll.
    MemberFactory(
        organization=branch,
        joined_on=dt.date(2025, 3, 1),
        confirmed_on=None,
        status="probationary",
        birth_date=dt.date(1960, 1, 1),
    )
    # Left in 2025: on the 2024 roll, not on today's.
    MemberFactory(
        organization=branch,
        joined_on=dt.date(2000, 1, 1),
        confirmed_on=dt.date(2001, 1, 1),
        birth_date=dt.date(1950, 1, 1),
        state=MembershipState.LEFT,
        state_changed_on=dt.date(2025, 5, 1),
    )
    then = _table(_data(clients["secretary"], "members-age", 2024))
    now = _table(_data(clients["secretary"], "members-age", 2026))
    assert sum(then.values()) == 2 and sum(now.values()) == 2
    # Born 1990-03-01: 34 on 2024-12-31, 36 on 2026-06-15.
    assert then["31–40 岁"] == 1
    assert then["71 岁及以上"] == 1  # born 1950: 74 at the end of 2024
    assert now["61–70 岁"] == 1  # born 1960: 66 today
    assert "71 岁及以上" not in now or now["71 岁及以上"] == 0


def test_age_bands_count_whole_years(branch, today):
    MemberFactory(organization=branch, birth_date=dt.date(1996, 6, 15))  # 30 today
    MemberFactory(organization=branch, birth_date=dt.date(1996, 6, 16))  # 29 today
    MemberFactory(organization=branch, birth_date=dt.date(1995, 6, 15))  # 31 today
    MemberFactory(organization=branch, birth_date=None, id_number=valid_id(999))
    scope = ChartScope.of_place(branch.sub_district)
    values = members_by_age(scope, AsOf.for_year(2026, today))["series"][0]["data"]
    assert values[0] == 2 and values[1] == 1 and values[-1] == 1  # the last: not recorded


def test_meetings_by_month_counts_held_meetings_by_kind(clients, today, branch, other_branch):
    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 10))
    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 20))
    MeetingFactory(organization=other_branch, held_on=dt.date(2026, 3, 1))
    MeetingFactory(organization=branch, held_on=dt.date(2025, 2, 10))  # another year
    figures = _data(clients["secretary"], "meetings-by-month")
    assert figures["categories"] == [f"2026-{m:02d}" for m in range(1, 7)]
    held = [s for s in figures["series"] if s.get("stack") == "held"]
    assert sum(sum(s["data"]) for s in held) == 2
    assert sum(s["data"][1] for s in held) == 2
    staff = _data(clients["staff"], "meetings-by-month")
    assert sum(sum(s["data"]) for s in staff["series"] if s.get("stack") == "held") == 3


def test_every_chart_answers_with_a_table(clients, today, branch):
    MemberFactory.create_batch(2, organization=branch)
    for key in CHARTS:
        figures = _data(clients["staff"], key)
        assert figures["key"] == key
        assert figures["columns"] and isinstance(figures["rows"], list)


@pytest.mark.parametrize("key", list(CHARTS))
def test_chart_queries_do_not_grow_with_rows(
    clients, today, branch, other_branch, key, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client = clients["staff"]
    MemberFactory(organization=branch)
    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 10))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _data(client, key)
    MemberFactory.create_batch(6, organization=other_branch, education="college")
    for day in (3, 4, 5):
        MeetingFactory(organization=other_branch, held_on=dt.date(2026, 3, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        _data(client, key)


def test_xlsx_holds_the_table_and_a_native_chart_over_it(clients, today, branch):
    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 10))
    response = clients["staff"].get(
        reverse("staff:chart-xlsx", args=["meetings-by-month"]), {"year": 2026}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet["A3"].value == "2026-01"
    assert sheet["A8"].value == "2026-06"
    (native,) = sheet._charts
    refs = [s.val.numRef.f for s in native.series]
    assert refs[0].endswith("$B$3:$B$8")
    categories = native.series[0].cat
    assert (categories.numRef or categories.strRef).f.endswith("$A$3:$A$8")


def test_year_out_of_range_falls_back_to_this_year(clients, today):
    figures = _data(clients["staff"], "compliance-trend", year="1066")
    assert figures["categories"][0] == "2026-01"
    figures = _data(clients["staff"], "compliance-trend", year="abc")
    assert figures["categories"][-1] == "2026-06"


def test_dashboard_lists_every_chart_and_loads_echarts(clients, today):
    response = clients["secretary"].get(reverse("staff:charts"))
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    for key in CHARTS:
        assert f'data-testid="chart-{key}"' in html
    # Pages that draw no chart do not load ECharts.
    page = clients["secretary"].get(reverse("staff:organization-list")).content.decode()
    assert "echarts" not in page


@pytest.mark.parametrize("role", ["secretary", "staff"])
def test_home_dashboard_draws_its_few_charts_from_the_scoped_json(clients, today, branch, role):
    from config.views import DASHBOARD_CHARTS

    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 10))
    html = clients[role].get(reverse("staff:dashboard")).content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    for key in DASHBOARD_CHARTS:
        assert f'data-testid="chart-{key}"' in html
        url = f"{reverse('staff:chart-data', args=[key])}?year=2026"
        assert f'data-url="{url}"' in html
        assert 'data-role="table"' in html  # the table alternative, filled from the same JSON
    held = _data(clients[role], "meetings-by-month")
    assert sum(sum(s["data"]) for s in held["series"] if s.get("stack") == "held") == 1
