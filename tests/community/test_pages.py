"""Pages and API of community life: access matrices (nothing changes on a refusal), scope,
query counts that do not grow with rows, enrolment and voting through the resident pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Enrolment, Nomination, NominationStatus, Vote
from community.services import courses
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.community.factories import (
    CampaignFactory,
    CourseFactory,
    NominationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_overview_access_matrix(clients, course):
    assert_access(
        clients,
        reverse("staff:course-overview"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_scheduling_is_for_staff_of_the_school_only(clients, course):
    url = reverse("staff:course-schedule", args=[course.pk])
    refused = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for role, status in refused.items():
        assert clients[role].post(url).status_code == status, role
        assert course.sessions.count() == 0, role
    assert clients["staff"].post(url).status_code == 302
    assert course.sessions.count() == 8


def test_staff_of_another_sub_district_cannot_schedule(client, course):
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory

    stranger = UserFactory()
    RoleAssignmentFactory(
        user=stranger, role=Role.SUB_DISTRICT_STAFF, sub_district=SchoolFactory().sub_district
    )
    client.force_login(stranger)
    assert client.post(reverse("staff:course-schedule", args=[course.pk])).status_code == 404
    assert course.sessions.count() == 0
    assert client.get(reverse("staff:course-overview")).context["courses"].count() == 0


def test_overview_query_count_does_not_grow(client, staff, school, django_assert_max_num_queries):
    client.force_login(staff)
    CourseFactory(term__school=school)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("staff:course-overview"))
    for _ in range(5):
        CourseFactory(term__school=school)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff:course-overview"))
    assert len(response.context["rows"]) == 6


def test_catalogue_query_count_does_not_grow(
    client, resident, school, django_assert_max_num_queries
):
    client.force_login(resident)
    CourseFactory(term__school=school)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("public:course-list"))
    for _ in range(5):
        CourseFactory(term__school=school)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("public:course-list"))
    assert len(response.context["rows"]) == 6


def test_resident_enrols_and_withdraws_on_the_pages(client, resident, course):
    client.force_login(resident)
    response = client.post(reverse("public:course-enrol", args=[course.pk]), follow=True)
    assert Enrolment.objects.get(resident=resident).status == "enrolled"
    assert response.status_code == 200
    mine = client.get(reverse("public:course-mine"))
    assert course.title in mine.content.decode()
    client.post(reverse("public:course-withdraw", args=[course.pk]))
    assert Enrolment.objects.get(resident=resident).status == "withdrawn"


def test_enrolment_needs_sign_in(client, course):
    response = client.post(reverse("public:course-enrol", args=[course.pk]))
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_roster_only_for_the_teacher(client, course, staff, clock, resident):
    from django.utils import timezone

    enrolment = courses.enrol(course=course, resident=resident)
    courses.schedule_sessions(course=course, actor=staff)
    session = course.sessions.order_by("starts_at").first()
    clock.set(timezone.localtime(session.starts_at).date(), 9, 5)
    url = reverse("public:course-roster", args=[session.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    assert client.post(url, {"enrolment": enrolment.pk, "present": "1"}).status_code == 404
    assert not session.attendances.exists()
    client.force_login(course.teacher)
    assert client.get(url).status_code == 200
    client.post(url, {"enrolment": enrolment.pk, "present": "1"})
    assert session.attendances.count() == 1


def test_vote_on_the_resident_page(client, campaign):
    nomination = NominationFactory(category__campaign=campaign)
    page = reverse("public:award-campaign", args=[campaign.pk])
    assert client.get(page).status_code == 200
    client.post(reverse("public:award-vote", args=[nomination.pk]))
    assert not Vote.objects.exists()  # no anonymous votes
    voter = UserFactory()
    client.force_login(voter)
    client.post(reverse("public:award-vote", args=[nomination.pk]))
    client.post(reverse("public:award-vote", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.vote_count == 1
    assert Vote.objects.get().ip == "127.0.0.1"


def test_campaign_without_public_vote_is_not_on_the_resident_site(client, sub_district):
    honours = CampaignFactory(
        sub_district=sub_district, public_vote=False, vote_opens_at=None, vote_closes_at=None
    )
    assert client.get(reverse("public:award-campaign", args=[honours.pk])).status_code == 404


def test_review_access_matrix(clients, campaign):
    nomination = NominationFactory(category__campaign=campaign, status=NominationStatus.PENDING)
    url = reverse("staff:award-review", args=[nomination.pk])
    refused = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for role, status in refused.items():
        assert clients[role].post(url, {"decision": "accept"}).status_code == status, role
        assert Nomination.objects.get(pk=nomination.pk).status == "pending", role
    assert clients["staff"].post(url, {"decision": "accept"}).status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).status == "accepted"


def test_api_lists_courses_in_scope_only(clients, course):
    other = CourseFactory()
    assert_access(
        clients,
        "/api/v1/courses/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    ids = [row["id"] for row in clients["staff"].get("/api/v1/courses/").json()["results"]]
    assert ids == [course.pk]
    assert clients["staff"].get(f"/api/v1/courses/{other.pk}/").status_code == 404


def test_api_schedule_conflict_is_409(clients, course, staff):
    courses.schedule_sessions(course=course, actor=staff)
    twin = CourseFactory(term=course.term, room=course.room)
    response = clients["staff"].post(f"/api/v1/courses/{twin.pk}/schedule/")
    assert response.status_code == 409
    assert twin.sessions.count() == 0
