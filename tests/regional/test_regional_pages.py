from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from regional.models import RegionalMembership, UnitVisit
from tests.access import ROLES, assert_access
from tests.branches.factories import (
    CoBuildingUnitFactory,
    RegionalCommitteeFactory,
    RegionalMembershipFactory,
    UnitVisitFactory,
)
from tests.regional.regional_setup import build, snapshot

pytestmark = pytest.mark.django_db

READ_BY_ALL_WORKBENCH = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 200,
    "secretary": 200,
    "staff": 200,
}
STAFF_ONLY = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}


@pytest.fixture
def w(sub_district):
    return build(sub_district)


def liaison_client(w) -> Client:
    client = Client()
    client.force_login(w.liaison)
    return client


# --- access matrices ----------------------------------------------------------------------------


def test_committee_list_and_page_access_matrix(clients, w):
    assert_access(clients, reverse("staff:regional-committee-list"), READ_BY_ALL_WORKBENCH)
    url = reverse("staff:regional-committee-detail", args=[w.committee.pk])
    assert_access(clients, url, READ_BY_ALL_WORKBENCH)


def test_committee_of_another_sub_district_is_404(clients, w):
    url = reverse("staff:regional-committee-detail", args=[w.other_committee.pk])
    for role in ("staff", "secretary"):
        assert clients[role].get(url).status_code == 404


def test_unit_list_and_page_access_matrix(clients, w):
    assert_access(clients, reverse("staff:unit-list"), {**STAFF_ONLY, "staff": 200})
    assert_access(
        clients, reverse("staff:unit-detail", args=[w.unit.pk]), {**STAFF_ONLY, "staff": 200}
    )
    other = reverse("staff:unit-detail", args=[w.other_unit.pk])
    assert clients["staff"].get(other).status_code == 404


def test_liaison_has_no_workbench_pages(w):
    client = liaison_client(w)
    for url in (
        reverse("staff:regional-committee-list"),
        reverse("staff:regional-committee-detail", args=[w.committee.pk]),
        reverse("staff:unit-detail", args=[w.unit.pk]),
    ):
        assert client.get(url).status_code == 403


def form_urls(w) -> list[str]:
    return [
        reverse("staff:regional-committee-create"),
        reverse("staff:regional-admit-unit", args=[w.committee.pk]),
        reverse("staff:regional-remove-unit", args=[w.seat.pk]),
        reverse("staff:regional-appoint-part-time-member", args=[w.committee.pk]),
        reverse("staff:regional-end-part-time-member", args=[w.part_time_member.pk]),
        reverse("staff:unit-create"),
        reverse("staff:unit-update", args=[w.unit.pk]),
        reverse("staff:unit-record-visit", args=[w.unit.pk]),
        reverse("staff:unit-complete-follow-up", args=[w.visit.pk]),
        reverse("staff:unit-pair", args=[w.unit.pk]),
        reverse("staff:unit-end-pairing", args=[w.pairing.pk]),
    ]


def test_every_form_page_access_matrix(clients, w):
    for url in form_urls(w):
        assert_access(clients, url, {**STAFF_ONLY, "staff": 200})


def test_form_pages_for_rows_of_another_sub_district_are_404(clients, w):
    for url in (
        reverse("staff:regional-admit-unit", args=[w.other_committee.pk]),
        reverse("staff:regional-remove-unit", args=[w.other_seat.pk]),
        reverse("staff:regional-end-part-time-member", args=[w.other_part_time_member.pk]),
        reverse("staff:unit-update", args=[w.other_unit.pk]),
        reverse("staff:unit-complete-follow-up", args=[w.other_visit.pk]),
        reverse("staff:unit-end-pairing", args=[w.other_pairing.pk]),
    ):
        before = snapshot()
        assert clients["staff"].post(url, {"ended_on": "2020-01-01"}).status_code == 404
        assert snapshot() == before


POSTS = [
    (
        "regional-committee-create",
        None,
        lambda w: {
            "sub_district": w.sub_district.pk,
            "level": "community",
            "name": "联盟新城社区大党委",
            "founded_on": "2017-03-01",
            "communities": [w.community.pk],
        },
    ),
    (
        "regional-admit-unit",
        "committee",
        lambda w: {"unit": w.free_unit.pk, "joined_on": "2018-03-01"},
    ),
    ("regional-remove-unit", "seat", lambda w: {"ended_on": "2019-12-31"}),
    (
        "regional-appoint-part-time-member",
        "committee",
        lambda w: {"unit": w.unit.pk, "full_name": "王建国", "started_on": "2018-01-01"},
    ),
    ("regional-end-part-time-member", "part_time_member", lambda w: {"ended_on": "2019-06-30"}),
    (
        "unit-create",
        None,
        lambda w: {
            "sub_district": w.sub_district.pk,
            "name": "郑州四十七中",
            "unit_type": "school",
        },
    ),
    (
        "unit-update",
        "unit",
        lambda w: {"name": "郑州市儿童医院党委", "unit_type": "hospital", "liaison": w.liaison.pk},
    ),
    ("unit-record-visit", "unit", lambda w: {"visited_on": "2020-05-20", "visitors": "张建华"}),
    ("unit-complete-follow-up", "visit", lambda w: {"done_on": "2019-05-18"}),
    ("unit-pair", "free_unit", lambda w: {"community": w.community.pk, "started_on": "2018-01-01"}),
    ("unit-end-pairing", "pairing", lambda w: {"ended_on": "2019-12-31"}),
]


def refusals_only(take):
    """A snapshot for assert_access whose last role (staff) succeeds with a redirect: every
    refused role must change nothing; staff's own change is asserted by the caller."""
    calls = iter(range(2 * len(ROLES)))

    def snap():
        return take() if next(calls) < 2 * (len(ROLES) - 1) else None

    return snap


@pytest.mark.parametrize(("name", "target", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_every_form_post_access_matrix(clients, w, name, target, data):
    assert ROLES[-1] == "staff"
    args = [getattr(w, target).pk] if target else []
    before = snapshot()
    assert_access(
        clients,
        reverse(f"staff:{name}", args=args),
        {**STAFF_ONLY, "staff": 302},
        method="post",
        data=data(w),
        snapshot=refusals_only(snapshot),
    )
    assert snapshot() != before  # staff's post went through the service


# --- forms: the happy path and bad input ----------------------------------------------------------


def test_admitting_a_unit_shows_it_on_the_committee_page(clients, w):
    url = reverse("staff:regional-admit-unit", args=[w.committee.pk])
    response = clients["staff"].post(url, {"unit": w.free_unit.pk, "joined_on": "2018-03-01"})
    assert response.status_code == 302
    page = clients["staff"].get(response["Location"]).content.decode()
    assert "该单位已加入区域党委。" in page
    assert "郑州国际会展中心党委" in page and "2018-03-01" in page


def test_admit_form_shows_the_rule_and_writes_nothing(clients, w):
    url = reverse("staff:regional-admit-unit", args=[w.committee.pk])
    before = snapshot()
    response = clients["staff"].post(url, {"unit": w.free_unit.pk, "joined_on": "2016-01-01"})
    assert response.status_code == 200
    assert "成员单位的加入日期不能早于区域党委成立日期（2016-12-22）。" in response.content.decode()
    assert snapshot() == before


def test_admit_form_does_not_offer_sitting_or_foreign_units(clients, w):
    url = reverse("staff:regional-admit-unit", args=[w.committee.pk])
    choices = clients["staff"].get(url).context["form"].fields["unit"].queryset
    assert list(choices) == [w.free_unit]
    before = snapshot()
    for unit in (w.unit, w.other_unit):
        response = clients["staff"].post(url, {"unit": unit.pk, "joined_on": "2018-03-01"})
        assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"unit": "abc", "joined_on": "2018-03-01"},
        {"unit": "", "joined_on": "not a date"},
        {"joined_on": "2999-01-01"},
        {"joined_on": "2018-02-30"},
    ],
)
def test_admit_form_rejects_bad_input(clients, w, data):
    url = reverse("staff:regional-admit-unit", args=[w.committee.pk])
    before = snapshot()
    response = clients["staff"].post(url, {"unit": w.free_unit.pk, **data} if data else data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot() == before


def test_future_dates_are_refused_on_every_date_form(clients, w):
    before = snapshot()
    for url, data in [
        (reverse("staff:regional-remove-unit", args=[w.seat.pk]), {"ended_on": "2999-01-01"}),
        (
            reverse("staff:unit-record-visit", args=[w.unit.pk]),
            {"visited_on": "2999-01-01", "visitors": "李一"},
        ),
        (
            reverse("staff:unit-complete-follow-up", args=[w.visit.pk]),
            {"done_on": "2999-01-01"},
        ),
    ]:
        response = clients["staff"].post(url, data)
        assert response.status_code == 200
        assert "日期不能晚于今天。" in response.content.decode()
    assert snapshot() == before


def test_hostile_and_oversized_strings_are_escaped_or_refused(clients, w):
    url = reverse("staff:unit-record-visit", args=[w.unit.pk])
    response = clients["staff"].post(
        url,
        {"visited_on": "2020-01-01", "visitors": "<script>alert(1)</script>", "needs": "x" * 2001},
    )
    assert response.status_code == 200 and "needs" in response.context["form"].errors
    response = clients["staff"].post(
        url, {"visited_on": "2020-01-01", "visitors": "<script>alert(1)</script>"}
    )
    assert response.status_code == 302
    page = clients["staff"].get(reverse("staff:unit-detail", args=[w.unit.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_duplicate_unit_name_is_shown_on_the_field(clients, w):
    before = snapshot()
    response = clients["staff"].post(
        reverse("staff:unit-create"),
        {"sub_district": w.sub_district.pk, "name": "郑州市儿童医院党委", "unit_type": "hospital"},
    )
    assert response.context["form"].errors["name"] == ["本街道已有同名的共建单位。"]
    assert snapshot() == before


def test_committee_form_cannot_pick_another_sub_district(clients, w):
    before = snapshot()
    response = clients["staff"].post(
        reverse("staff:regional-committee-create"),
        {"sub_district": w.other_sub_district.pk, "level": "community", "name": "越权大党委"},
    )
    assert "sub_district" in response.context["form"].errors
    assert snapshot() == before


def test_unit_edit_offers_only_the_units_liaisons(clients, w):
    response = clients["staff"].get(reverse("staff:unit-update", args=[w.unit.pk]))
    assert list(response.context["form"].fields["liaison"].queryset) == [w.liaison]
    response = clients["staff"].get(reverse("staff:unit-update", args=[w.free_unit.pk]))
    assert list(response.context["form"].fields["liaison"].queryset) == []


# --- what the pages show ------------------------------------------------------------------------


def test_committee_page_shows_member_units_as_of_a_chosen_day(clients, w):
    RegionalMembershipFactory(
        committee=w.committee,
        unit=w.free_unit,
        joined_on=dt.date(2018, 3, 1),
        left_on=dt.date(2019, 12, 31),
    )
    url = reverse("staff:regional-committee-detail", args=[w.committee.pk])
    client = clients["staff"]

    def sitting(**params) -> list[str]:
        response = client.get(url, params)
        return [seat.unit.name for seat in response.context["members_on_day"]]

    assert sitting() == ["郑州市儿童医院党委"]
    assert set(sitting(on="2018-06-01")) == {"郑州国际会展中心党委", "郑州市儿童医院党委"}
    assert sitting(on="2016-12-30") == []
    response = client.get(url, {"on": "not-a-date"})
    assert "日期无效，已显示今天的成员单位。" in response.content.decode()
    body = client.get(url).content.decode()
    assert "成员单位变动记录" in body and "2019-12-31" in body  # history keeps the leaver
    assert "陈静" in body and "天路社区" not in body  # part-time member; no community on it
    assert "健康义诊" in body  # a visit to a member unit


def test_committee_list_search_and_level_filter(clients, w):
    url = reverse("staff:regional-committee-list")
    client = clients["staff"]
    names = lambda **p: [c.name for c in client.get(url, p).context["committees"]]  # noqa: E731
    assert names() == ["如意湖大工委", "天路社区大党委"]
    assert names(level="community") == ["天路社区大党委"]
    assert names(q="天路") == ["天路社区大党委"]  # found through its community too
    assert names(q="北林路") == []
    assert "没有符合条件的区域党委。" in client.get(url, {"q": "无此"}).content.decode()
    assert client.get(url).context["committees"][0].unit_count == 1


def test_empty_states(clients, sub_district):
    client = clients["staff"]
    assert (
        "您的权限范围内暂无区域党委。"
        in client.get(reverse("staff:regional-committee-list")).content.decode()
    )
    assert "您的权限范围内暂无共建单位。" in client.get(reverse("staff:unit-list")).content.decode()
    committee = RegionalCommitteeFactory(sub_district=sub_district)
    body = client.get(
        reverse("staff:regional-committee-detail", args=[committee.pk])
    ).content.decode()
    for text in ("当日没有成员单位。", "尚无单位加入该区域党委。", "尚未聘任兼职委员。"):
        assert text in body
    unit = CoBuildingUnitFactory(sub_district=sub_district)
    body = client.get(reverse("staff:unit-detail", args=[unit.pk])).content.decode()
    for text in (
        "该单位从未加入区域党委。",
        "该单位尚未与社区结对共建。",
        "尚无走访该单位的记录。",
    ):
        assert text in body


def test_unit_list_search_and_type_filter(clients, w):
    w.unit.unit_type = "hospital"
    w.unit.save()
    url = reverse("staff:unit-list")
    client = clients["staff"]
    names = lambda **p: [u.name for u in client.get(url, p).context["units"]]  # noqa: E731
    assert names() == ["郑州国际会展中心党委", "郑州市儿童医院党委"]
    assert names(type="hospital") == ["郑州市儿童医院党委"]
    assert names(q="会展") == ["郑州国际会展中心党委"]
    assert "没有符合条件的共建单位。" in client.get(url, {"q": "无此"}).content.decode()
    row = {u.name: u for u in client.get(url).context["units"]}["郑州市儿童医院党委"]
    assert row.committee_count == 1 and row.open_follow_ups == 1


def test_unit_page_shows_seats_visits_pairings_and_liaison(clients, w):
    w.unit.liaison = w.liaison
    w.unit.save()
    body = clients["staff"].get(reverse("staff:unit-detail", args=[w.unit.pk])).content.decode()
    for text in ("如意湖大工委", "2017-01-01", "天路社区", "健康义诊", "赵明", "陈静"):
        assert text in body


def test_sidebar_links_follow_permissions(clients, w):
    staff_page = clients["staff"].get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:regional-committee-list") in staff_page
    assert reverse("staff:unit-list") in staff_page
    secretary_page = clients["secretary"].get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:regional-committee-list") in secretary_page
    assert reverse("staff:unit-list") not in secretary_page


def test_lists_are_paginated(clients, sub_district):
    for i in range(55):
        CoBuildingUnitFactory(sub_district=sub_district, name=f"分页单位{i:02d}")
        RegionalCommitteeFactory(sub_district=sub_district, name=f"分页大党委{i:02d}")
    for name in ("staff:unit-list", "staff:regional-committee-list"):
        response = clients["staff"].get(reverse(name))
        assert response.context["page_obj"].paginator.num_pages == 2
        assert clients["staff"].get(reverse(name), {"page": 2}).status_code == 200


# --- query counts -------------------------------------------------------------------------------


def _grow(w, n: int) -> None:
    for i in range(n):
        committee = RegionalCommitteeFactory(sub_district=w.sub_district)
        committee.communities.add(w.community)
        unit = CoBuildingUnitFactory(sub_district=w.sub_district)
        RegionalMembership.objects.create(
            committee=committee, unit=unit, joined_on=dt.date(2018, 1, 1)
        )
        RegionalMembership.objects.create(
            committee=w.committee, unit=unit, joined_on=dt.date(2018, 1, 1)
        )
        UnitVisitFactory(unit=unit)
        UnitVisitFactory(unit=w.unit, visited_on=dt.date(2018, 1, 1) + dt.timedelta(days=i))


@pytest.mark.parametrize(
    "url_for",
    [
        lambda w: reverse("staff:regional-committee-list"),
        lambda w: reverse("staff:regional-committee-detail", args=[w.committee.pk]),
        lambda w: reverse("staff:unit-list"),
        lambda w: reverse("staff:unit-detail", args=[w.unit.pk]),
    ],
    ids=["committee-list", "committee-detail", "unit-list", "unit-detail"],
)
@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_page_query_count_does_not_grow_with_rows(
    clients, w, url_for, role, django_assert_max_num_queries
):
    client = clients[role]
    url = url_for(w)
    if client.get(url).status_code != 200:
        pytest.skip(f"{role} has no access to this page (covered by the access matrix)")
    _grow(w, 3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    _grow(w, 12)
    assert UnitVisit.objects.count() > 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
