from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.access import assert_access
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerTeamFactory,
)
from volunteers.models import Enrollment, HourCorrection, TeamMembership

pytestmark = pytest.mark.django_db

NO_WORKBENCH = {"anonymous": 302, "resident": 403}


@pytest.mark.parametrize(
    "name",
    [
        "staff:volunteer-team-list",
        "staff:volunteer-list",
        "staff:good-deed-list",
        "staff:wish-board",
        "staff:volunteer-rankings",
    ],
)
def test_staff_volunteer_pages_access_matrix(clients, team, name):
    assert_access(
        clients,
        reverse(name),
        {**NO_WORKBENCH, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_team_management_is_for_the_leader_and_staff_only(clients, team, leader):
    url = reverse("public:volunteer-lead-team", args=[team.pk])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 404, "other_secretary": 404, "secretary": 404, "staff": 200},
    )
    leader_client = Client()
    leader_client.force_login(leader)
    assert leader_client.get(url).status_code == 200


def test_staff_of_another_sub_district_cannot_manage_a_team(clients, other_sub_district_team):
    url = reverse("public:volunteer-lead-team", args=[other_sub_district_team.pk])
    assert clients["staff"].get(url).status_code == 404


def test_hours_correction_refused_above_the_cap_writes_nothing(clients, team):
    starts = timezone.now() - dt.timedelta(hours=3)
    activity = ServiceActivityFactory(
        team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    enrollment = EnrollmentFactory(activity=activity)
    url = reverse("public:volunteer-lead-activity-action", args=[activity.pk, "hours"])
    data = {"enrollment": enrollment.pk, "hours": "2.5", "reason": "忘记签退"}

    def snapshot():
        return (
            Enrollment.objects.get(pk=enrollment.pk).honour_minutes,
            HourCorrection.objects.count(),
        )

    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 404, "other_secretary": 404, "secretary": 404, "staff": 400},
        method="post",
        data=data,
        snapshot=snapshot,
    )
    response = clients["staff"].post(url, {**data, "hours": "2"})
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=enrollment.pk).honour_minutes == 120


def test_resident_joins_signs_up_and_sees_hours(clients, team, resident, leader):
    client = clients["resident"]
    client.post(reverse("public:volunteer-join", args=[team.pk]), {"message": "想参加"})
    membership = TeamMembership.objects.get(volunteer__user=resident)
    leader_client = Client()
    leader_client.force_login(leader)
    leader_client.post(
        reverse("public:volunteer-lead-team-action", args=[team.pk, "approve"]),
        {"membership": membership.pk},
    )
    membership.refresh_from_db()
    assert membership.status == "active"
    activity = ServiceActivityFactory(team=team)
    client.post(reverse("public:volunteer-sign-up", args=[activity.pk]))
    assert Enrollment.objects.get(volunteer__user=resident).status == "signed_up"
    assert client.get(reverse("public:volunteer-me")).status_code == 200


def test_bad_code_shows_a_message(clients):
    response = clients["resident"].post(
        reverse("public:volunteer-code"), {"code": "12ab", "action": "in"}
    )
    assert response.status_code == 400


def test_team_list_query_count_does_not_grow(
    clients, team, community, django_assert_max_num_queries
):
    for _ in range(5):
        VolunteerTeamFactory(community=community)
    with django_assert_max_num_queries(12):
        assert clients["staff"].get(reverse("staff:volunteer-team-list")).status_code == 200


def test_rankings_run_in_a_constant_number_of_queries(clients, team, django_assert_max_num_queries):
    starts = timezone.now() - dt.timedelta(days=1)
    for _ in range(3):
        activity = ServiceActivityFactory(
            team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
        )
        for _ in range(4):
            EnrollmentFactory(activity=activity, volunteer__user=None, credit_minutes=60)
    with django_assert_max_num_queries(10):
        response = clients["staff"].get(reverse("staff:volunteer-rankings"))
    assert response.status_code == 200
    assert len(response.context["per_volunteer"]) == 12


def test_volunteer_api_access_matrix(clients, team):
    assert_access(
        clients,
        "/api/v1/volunteer-teams/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    assert_access(
        clients,
        f"/api/v1/volunteer-teams/{team.pk}/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_team_pages_call_the_members_of_a_team_team_members_not_party_members(
    clients, team, leader
):
    leader_client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    leader_client.force_login(leader)
    page = leader_client.get(reverse("public:volunteer-lead-team", args=[team.pk]))
    assert page.status_code == 200
    assert "队员 (1)" in page.content.decode()
    assert "党员 (" not in page.content.decode()
    staff_list = clients["staff"].get(
        reverse("staff:volunteer-team-list"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "<th>队员</th>" in staff_list.content.decode()
