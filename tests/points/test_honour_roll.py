"""The resident site's honour roll: opt-in per sub-district, the month's top members by the
points that count, names and branches only, open to anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from branches.services.tree import found_organization
from members.models import Member, MembershipState
from points.models import PointsSettings
from points.services.recompute import recompute_points
from tests.branches.factories import OrganizationFactory, SubDistrictFactory
from tests.members.factories import MemberFactory
from tests.points.conftest import held

pytestmark = pytest.mark.django_db

URL = reverse("public:points-honour-roll")


def _branch(committee, name):
    return found_organization(
        sub_district=committee.sub_district,
        parent=committee,
        name=name,
        kind="branch",
        sector="community",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )


@pytest.fixture
def june(work_committee):
    """Three members of one branch attend June's meetings unevenly; one attends in May only."""
    branch = _branch(work_committee, "东苑支部")
    first = MemberFactory(organization=branch, full_name="王一", phone="13912345678")
    second = MemberFactory(organization=branch, full_name="李二")
    absent = MemberFactory(organization=branch, full_name="赵三")
    in_may = MemberFactory(organization=branch, full_name="钱四")
    held(branch, dt.date(2026, 6, 3), rows={first: "present", second: "present", absent: "absent"})
    held(branch, dt.date(2026, 6, 17), rows={first: "present"})
    held(branch, dt.date(2026, 5, 20), rows={in_may: "present"})
    recompute_points(
        members=Member.objects.all(), first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31)
    )
    return branch, first, second


def _show(sub_district, n):
    PointsSettings.objects.update_or_create(
        sub_district=sub_district, defaults={"public_top_members": n}
    )


def test_nothing_is_named_until_a_sub_district_opts_in(client, june):
    body = client.get(URL, {"month": "2026-06"}).content.decode()
    assert "王一" not in body
    assert "暂无街道公开光荣榜" in body or "No sub-district shows an honour roll" in body


def test_the_months_top_members_in_order_names_and_branches_only(client, june, work_committee):
    _show(work_committee.sub_district, 5)
    response = client.get(URL, {"month": "2026-06"})  # anonymous: no sign-in needed
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("王一") < body.index("李二")  # two meetings before one
    assert "赵三" not in body  # absent: no points that month
    assert "钱四" not in body  # May's points are not June's
    assert "东苑支部" in body
    assert "13912345678" not in body and "139****5678" not in body


def test_the_limit_and_another_month(client, june, work_committee):
    _show(work_committee.sub_district, 1)
    body = client.get(URL, {"month": "2026-06"}).content.decode()
    assert "王一" in body and "李二" not in body
    may = client.get(URL, {"month": "2026-05"}).content.decode()
    assert "钱四" in may and "王一" not in may


def test_members_who_left_are_not_named(client, june, work_committee):
    _, first, _ = june
    Member.objects.filter(pk=first.pk).update(state=MembershipState.DECEASED)
    _show(work_committee.sub_district, 5)
    body = client.get(URL, {"month": "2026-06"}).content.decode()
    assert "王一" not in body and "李二" in body


def test_a_sub_district_that_does_not_opt_in_is_not_shown(client, june, work_committee):
    other = SubDistrictFactory(name="北林路街道")
    other_branch = _branch(OrganizationFactory(sub_district=other, name="北林路党工委"), "北苑支部")
    outsider = MemberFactory(organization=other_branch, full_name="孙五")
    held(other_branch, dt.date(2026, 6, 5), rows={outsider: "present"})
    recompute_points(
        members=Member.objects.filter(pk=outsider.pk),
        first=dt.date(2026, 1, 1),
        last=dt.date(2026, 12, 31),
    )
    _show(work_committee.sub_district, 5)
    body = client.get(URL, {"month": "2026-06"}).content.decode()
    assert "王一" in body and "孙五" not in body


def test_a_bad_or_future_month_falls_back_to_last_month(client, june, work_committee):
    _show(work_committee.sub_district, 5)
    for asked in ("garbage", "2026-13", "2026-12", "2031-01"):
        response = client.get(URL, {"month": asked})
        assert response.status_code == 200
        assert response.context["period"].label == "2026-06"  # the clock holds 2026-07-15


def test_one_query_per_sub_district_shown(client, june, work_committee, django_assert_num_queries):
    _show(work_committee.sub_district, 5)
    with django_assert_num_queries(2):
        client.get(URL, {"month": "2026-06"})
