from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from regional.models import RegionalMembership
from tests.access import assert_access
from tests.branches.factories import (
    CoBuildingUnitFactory,
    RegionalCommitteeFactory,
    UnitVisitFactory,
)
from tests.regional.regional_setup import build, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1"
STAFF_ONLY = {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403}


@pytest.fixture
def w(sub_district):
    return build(sub_district)


@pytest.fixture
def liaison(w) -> Client:
    client = Client()
    client.force_login(w.liaison)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


# --- access matrices ----------------------------------------------------------------------------


def test_committee_endpoints_access_matrix(clients, w):
    readers = {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200}
    assert_access(clients, f"{API}/regional-committees/", {**readers, "staff": 200})
    assert_access(
        clients, f"{API}/regional-committees/{w.committee.pk}/", {**readers, "staff": 200}
    )
    assert (
        clients["staff"].get(f"{API}/regional-committees/{w.other_committee.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("resource", "row"),
    [
        ("units", "unit"),
        ("regional-memberships", "seat"),
        ("part-time-members", "part_time_member"),
        ("unit-visits", "visit"),
        ("pairings", "pairing"),
    ],
)
def test_staff_only_endpoints_access_matrix(clients, w, resource, row):
    assert_access(clients, f"{API}/{resource}/", {**STAFF_ONLY, "staff": 200})
    assert_access(clients, f"{API}/{resource}/{getattr(w, row).pk}/", {**STAFF_ONLY, "staff": 200})
    other = getattr(w, f"other_{row}")
    assert clients["staff"].get(f"{API}/{resource}/{other.pk}/").status_code == 404
    ids = {r["id"] for r in clients["staff"].get(f"{API}/{resource}/").json()["results"]}
    assert getattr(w, row).pk in ids and other.pk not in ids


WRITES = [
    (
        "regional-committees/",
        lambda w: {
            "sub_district": w.sub_district.pk,
            "level": "community",
            "name": "联盟新城社区大党委",
            "founded_on": "2017-03-01",
            "communities": [w.community.pk],
        },
        201,
    ),
    (
        "regional-memberships/",
        lambda w: {"committee": w.committee.pk, "unit": w.free_unit.pk, "joined_on": "2018-03-01"},
        201,
    ),
    (
        lambda w: f"regional-memberships/{w.seat.pk}/leave/",
        lambda w: {"ended_on": "2019-12-31"},
        200,
    ),
    (
        "part-time-members/",
        lambda w: {
            "committee": w.committee.pk,
            "unit": w.unit.pk,
            "full_name": "王建国",
            "started_on": "2018-01-01",
        },
        201,
    ),
    (
        lambda w: f"part-time-members/{w.part_time_member.pk}/end/",
        lambda w: {"ended_on": "2019-06-30"},
        200,
    ),
    (
        "unit-visits/",
        lambda w: {"unit": w.unit.pk, "visited_on": "2020-05-20", "visitors": "张建华"},
        201,
    ),
    (
        lambda w: f"unit-visits/{w.visit.pk}/complete-follow-up/",
        lambda w: {"done_on": "2019-05-18"},
        200,
    ),
    (
        "pairings/",
        lambda w: {"unit": w.free_unit.pk, "community": w.community.pk, "started_on": "2018-01-01"},
        201,
    ),
    (lambda w: f"pairings/{w.pairing.pk}/end/", lambda w: {"ended_on": "2019-12-31"}, 200),
    (
        "units/",
        lambda w: {
            "sub_district": w.sub_district.pk,
            "name": "郑州四十七中",
            "unit_type": "school",
        },
        201,
    ),
]


@pytest.mark.parametrize(
    ("path", "data", "status"), WRITES, ids=[str(i) for i in range(len(WRITES))]
)
def test_write_endpoints_access_matrix(clients, w, liaison, path, data, status):
    url = f"{API}/{path(w) if callable(path) else path}"
    before = snapshot()
    assert_access(
        clients,
        url,
        {**STAFF_ONLY, "staff": status},
        method="post",
        data=json.dumps(data(w)),
        content_type="application/json",
        snapshot=snapshot,
    )
    assert snapshot() != before
    after = snapshot()
    assert post(liaison, url, data(w)).status_code in (403, 404)  # a liaison only reads
    assert snapshot() == after


def test_unit_update_goes_through_the_service(clients, w):
    url = f"{API}/units/{w.unit.pk}/"
    response = clients["staff"].patch(
        url, json.dumps({"liaison": w.liaison.pk}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["liaison_name"] == "赵明"
    before = snapshot()
    response = clients["staff"].patch(
        f"{API}/units/{w.free_unit.pk}/",
        json.dumps({"liaison": w.liaison.pk}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["liaison"] == ["联络员必须拥有该单位的共建单位联络员角色。"]
    assert snapshot() == before
    assert clients["secretary"].patch(url, "{}", content_type="application/json").status_code == 403


# --- rules and scope through the API ------------------------------------------------------------


def test_a_broken_rule_is_a_400_naming_the_field_in_chinese(clients, w):
    before = snapshot()
    response = post(
        clients["staff"],
        f"{API}/regional-memberships/",
        {"committee": w.committee.pk, "unit": w.free_unit.pk, "joined_on": "2016-01-01"},
    )
    assert response.status_code == 400
    message = "成员单位的加入日期不能早于区域党委成立日期（2016-12-22）。"
    assert response.json() == {"detail": message, "joined_on": [message]}
    assert snapshot() == before


def test_admitting_a_sitting_unit_is_a_409(clients, w):
    before = snapshot()
    response = post(
        clients["staff"],
        f"{API}/regional-memberships/",
        {"committee": w.committee.pk, "unit": w.unit.pk, "joined_on": "2018-01-01"},
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "该单位已是该区域党委的成员单位。"
    assert snapshot() == before


def test_ids_out_of_scope_are_refused_and_change_nothing(clients, w):
    before = snapshot()
    for url, data in [
        (
            f"{API}/regional-memberships/",
            {"committee": w.other_committee.pk, "unit": w.free_unit.pk, "joined_on": "2018-01-01"},
        ),
        (
            f"{API}/regional-memberships/",
            {"committee": w.committee.pk, "unit": w.other_unit.pk, "joined_on": "2018-01-01"},
        ),
        (
            f"{API}/pairings/",
            {"unit": w.unit.pk, "community": w.other_community.pk, "started_on": "2018-01-01"},
        ),
        (f"{API}/units/", {"sub_district": w.other_sub_district.pk, "name": "越权单位"}),
        (f"{API}/regional-memberships/{w.other_seat.pk}/leave/", {"ended_on": "2019-01-01"}),
    ]:
        assert post(clients["staff"], url, data).status_code in (400, 404), url
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"committee": "x", "unit": "y", "joined_on": "2018-01-01"},
        {"joined_on": "2018-02-30"},
        {"joined_on": "2999-01-01"},
    ],
)
def test_bad_input_is_a_400(clients, w, data):
    before = snapshot()
    body = {"committee": w.committee.pk, "unit": w.free_unit.pk, **data} if data else {}
    response = post(clients["staff"], f"{API}/regional-memberships/", body)
    assert response.status_code == 400 and response.json()["detail"]
    assert snapshot() == before


def test_committee_shows_its_current_member_units(clients, w):
    RegionalMembership.objects.create(
        committee=w.committee,
        unit=w.free_unit,
        joined_on=dt.date(2018, 1, 1),
        left_on=dt.date(2019, 1, 1),
    )
    data = clients["staff"].get(f"{API}/regional-committees/{w.committee.pk}/").json()
    assert [u["unit_name"] for u in data["current_member_units"]] == ["郑州市儿童医院党委"]
    assert data["level_display"] == "街道区域党委（大工委）"


def test_memberships_on_a_day(clients, w):
    RegionalMembership.objects.create(
        committee=w.committee,
        unit=w.free_unit,
        joined_on=dt.date(2018, 1, 1),
        left_on=dt.date(2019, 1, 1),
    )
    url = f"{API}/regional-memberships/?committee={w.committee.pk}"
    count = lambda day: clients["staff"].get(f"{url}&on={day}").json()["count"]  # noqa: E731
    assert count("2016-12-31") == 0
    assert count("2018-06-01") == 2
    assert count("2019-06-01") == 1
    assert clients["staff"].get(f"{url}&on=nonsense").status_code == 400


def test_liaison_sees_only_their_unit_its_committees_and_visits(liaison, w):
    units = liaison.get(f"{API}/units/").json()["results"]
    assert [u["name"] for u in units] == ["郑州市儿童医院党委"]
    committees = liaison.get(f"{API}/regional-committees/").json()["results"]
    assert [c["name"] for c in committees] == ["如意湖大工委"]
    visits = liaison.get(f"{API}/unit-visits/").json()["results"]
    assert [v["id"] for v in visits] == [w.visit.pk]
    assert liaison.get(f"{API}/units/{w.free_unit.pk}/").status_code == 404
    assert liaison.get(f"{API}/pairings/").json()["count"] == 1


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        "regional-committees",
        "regional-memberships",
        "part-time-members",
        "unit-visits",
        "pairings",
        "units",
    ],
)
def test_list_query_count_does_not_grow(clients, w, resource, django_assert_max_num_queries):
    def grow(n: int) -> None:
        for _ in range(n):
            committee = RegionalCommitteeFactory(sub_district=w.sub_district)
            committee.communities.add(w.community)
            unit = CoBuildingUnitFactory(sub_district=w.sub_district)
            RegionalMembership.objects.create(
                committee=committee, unit=unit, joined_on=dt.date(2018, 1, 1)
            )
            UnitVisitFactory(unit=unit)

    client = clients["staff"]
    grow(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(f"{API}/{resource}/").status_code == 200
    grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{API}/{resource}/")


def test_schema_lists_the_regional_endpoints(client):
    schema = client.get("/api/schema/").content
    for path in (
        b"/api/v1/regional-committees/",
        b"/api/v1/regional-memberships/{id}/leave/",
        b"/api/v1/unit-visits/{id}/complete-follow-up/",
    ):
        assert path in schema
