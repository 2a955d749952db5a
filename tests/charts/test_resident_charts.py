"""Opinions, disputes and courses on the charts page: scope by role, the state each row had on
the chosen year's day, and the constant query count (the generic matrix and query tests of
test_chart_data.py run over them too, through CHARTS)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from branches.models import Community, Grid
from community.models import Enrolment, EnrolmentStatus
from governance.services import opinions as ledger
from grids.models import Dispute, DisputeStatus, MediationSession
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.community.factories import CourseFactory, SchoolFactory, TermFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def community(sub_district, branch):
    place = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(place)
    return place


@pytest.fixture
def far_community(other_sub_district_branch):
    place = Community.objects.create(
        sub_district=other_sub_district_branch.sub_district, name="鑫苑社区"
    )
    other_sub_district_branch.communities.add(place)
    return place


def _data(client, key, year=2026):
    response = client.get(reverse("staff:chart-data", args=[key]), {"year": year})
    assert response.status_code == 200, response.content
    return response.json()


def _rows(figures):
    return {row[0]: dict(zip(figures["columns"], row, strict=True)) for row in figures["rows"]}


@pytest.mark.parametrize("key", ["opinions", "disputes", "courses"])
def test_resident_charts_answer_by_role(clients, clock, key):
    clock.set(TODAY)
    for name in ("staff:chart-data", "staff:chart-xlsx"):
        assert_access(
            clients,
            reverse(name, args=[key]),
            {
                "anonymous": 302,
                "resident": 403,
                "other_secretary": 200,
                "secretary": 200,
                "staff": 200,
            },
        )


def test_opinions_count_by_category_and_state_on_the_day(
    clients, clock, community, far_community, branch, staff
):
    clock.set(dt.date(2025, 11, 3))
    late = ledger.receive_opinion(
        community=community,
        channel="visit",
        category="safety",
        title="路灯",
        text="坏了",
        actor=staff,
    )
    clock.set(dt.date(2026, 2, 2))
    ledger.assign_opinion(opinion=late, organization=branch, actor=staff)
    ledger.start_opinion(opinion=late, actor=staff)
    ledger.reply_to_opinion(opinion=late, reply="已修", actor=staff)
    for category in ("environment", "environment"):
        ledger.receive_opinion(
            community=community,
            channel="box",
            category=category,
            title="垃圾",
            text="多",
            actor=staff,
        )
    clock.set(TODAY)
    ledger.receive_opinion(
        community=far_community,
        channel="box",
        category="environment",
        title="t",
        text="x",
        actor=None,
    )

    then = _rows(_data(clients["staff"], "opinions", 2025))
    # Received in 2025 and not yet handled on 2025-12-31, though replied to since.
    assert then == {"治安安全": {"意见类别": "治安安全", "已受理": 1, "合计": 1}}
    now = _rows(_data(clients["staff"], "opinions", 2026))
    assert list(now) == ["环境卫生"] and now["环境卫生"]["合计"] == 2  # not the other district's
    # The secretary sees only what their branch owns: the 2025 opinion, replied on 2026-02-02.
    assert _rows(_data(clients["secretary"], "opinions", 2025))["治安安全"]["合计"] == 1
    assert _data(clients["secretary"], "opinions", 2026)["rows"] == []
    assert _data(clients["other_secretary"], "opinions", 2025)["rows"] == []


def test_disputes_count_by_type_and_where_they_stood(clients, clock, community, staff):
    clock.set(TODAY)
    grid = Grid.objects.create(community=community, name="第一网格")
    settled = Dispute.objects.create(
        grid=grid,
        source="resident",
        kind="family",
        party_a="甲",
        summary="赡养",
        opened_on=dt.date(2025, 10, 1),
        status=DisputeStatus.AGREED,
        closed_on=dt.date(2026, 3, 1),
    )
    MediationSession.objects.create(dispute=settled, held_on=dt.date(2025, 12, 1), notes="谈")
    Dispute.objects.create(
        grid=grid,
        source="resident",
        kind="neighbours",
        party_a="乙",
        summary="噪音",
        opened_on=dt.date(2025, 12, 30),
    )
    then = _data(clients["staff"], "disputes", 2025)
    with translation.override("zh-hans"):
        then_open = str(DisputeStatus.OPEN.label)
    rows = {row[0]: row for row in then["rows"]}
    states = [s["name"] for s in then["series"]]
    # On 2025-12-31 the family dispute was being mediated, not yet agreed.
    assert "达成协议" not in states
    assert rows["家庭纠纷"][1 + states.index("调解中")] == 1
    assert rows["邻里纠纷"][1 + states.index(str(then_open))] == 1
    # The secretary's grids lie in the communities their branch covers; the other's do not.
    assert len(_data(clients["secretary"], "disputes", 2025)["rows"]) == 2
    assert _data(clients["other_secretary"], "disputes", 2025)["rows"] == []
    assert _data(clients["staff"], "disputes", 2026)["rows"] == []


def test_courses_show_places_taken_on_the_day(clients, clock, sub_district):
    clock.set(dt.date(2026, 3, 1))
    school = SchoolFactory(sub_district=sub_district)
    term = TermFactory(
        school=school, starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 6, 30), name="春季"
    )
    course = CourseFactory(term=term, title="书法", places=4)
    for _i in range(2):
        Enrolment.objects.create(course=course, resident=UserFactory())
    Enrolment.objects.create(
        course=course, resident=UserFactory(), status=EnrolmentStatus.WAITLISTED
    )
    clock.set(dt.date(2026, 3, 10))
    gone = Enrolment.objects.create(course=course, resident=UserFactory())
    gone.status = EnrolmentStatus.WITHDRAWN
    gone.withdrawn_at = clock.now
    gone.save()
    clock.set(TODAY)
    row = _rows(_data(clients["staff"], "courses"))["书法 · 春季"]
    assert row["名额"] == 4 and row["已报名"] == 2 and row["名额占用（%）"] == 50
    # Another sub-district's staff would not see it; neither does a year before the term.
    assert _data(clients["staff"], "courses", 2025)["rows"] == []
    assert len(_data(clients["secretary"], "courses")["rows"]) == 1


def _one_of_each(community, sub_district, staff, n):
    grid, _created = Grid.objects.get_or_create(community=community, name="第一网格")
    term = TermFactory(
        school=SchoolFactory(sub_district=sub_district),
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 6, 30),
    )
    for i in range(n):
        ledger.receive_opinion(
            community=community, channel="box", category="safety", title="t", text="x", actor=staff
        )
        Dispute.objects.create(
            grid=grid,
            source="resident",
            kind="labour",
            party_a=f"甲{i}",
            summary="欠薪",
            opened_on=dt.date(2026, 5, 1),
        )
        course = CourseFactory(term=term, places=5)
        Enrolment.objects.create(course=course, resident=UserFactory())


@pytest.mark.parametrize("key", ["opinions", "disputes", "courses"])
def test_resident_chart_queries_do_not_grow_with_rows(
    clients, clock, community, sub_district, staff, key, settings, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    clock.set(TODAY)
    _one_of_each(community, sub_district, staff, 1)
    with CaptureQueriesContext(connection) as few:
        assert len(_data(clients["staff"], key)["rows"]) == 1
    _one_of_each(community, sub_district, staff, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        grown = _data(clients["staff"], key)
    # Five rows of each kind now: five courses, or five opinions or disputes in one bar.
    assert len(grown["rows"]) == 5 or grown["rows"][0][-1] == 5
