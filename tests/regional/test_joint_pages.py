from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from regional.models import (
    ActionItem,
    Attendance,
    ItemStatus,
    JointMeeting,
    Need,
    Project,
    Resource,
    TopicSubmission,
    UnitEvaluation,
)
from regional.services import joint as services
from tests.access import assert_access
from tests.branches.factories import CommunityFactory
from tests.regional import joint_setup

NOBODY = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
STAFF_ONLY = {**NOBODY, "staff": 200}
SECRETARY_TOO = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200}


@pytest.fixture
def w(db, sub_district, branch):
    return joint_setup.build(sub_district, branch)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_meeting_pages_access_matrix(clients, w):
    assert_access(clients, reverse("staff:joint-meeting-list"), STAFF_ONLY)
    assert_access(clients, reverse("staff:joint-meeting-detail", args=[w.meeting.pk]), STAFF_ONLY)
    assert_access(clients, reverse("staff:joint-meeting-create"), STAFF_ONLY)
    for name in ("joint-meeting-attendance", "joint-meeting-hold", "joint-resolution-add"):
        assert_access(clients, reverse(f"staff:{name}", args=[w.meeting.pk]), STAFF_ONLY)


def test_liaison_sees_their_committees_meetings_only(w, staff):
    other = JointMeeting.objects.create(
        committee=w.other_committee,
        scheduled_on=w.today,
        year=w.today.year,
        quarter=1,
        topic="别处",
    )
    client = as_user(w.liaison)
    response = client.get(reverse("staff:joint-meeting-list"))
    assert response.status_code == 200
    assert list(response.context["meetings"]) == [w.meeting]
    assert client.get(reverse("staff:joint-meeting-detail", args=[other.pk])).status_code == 404
    # Running the meeting is staff's job.
    for name in ("joint-meeting-attendance", "joint-meeting-hold", "joint-resolution-add"):
        assert client.get(reverse(f"staff:{name}", args=[w.meeting.pk])).status_code == 403
    assert client.get(reverse("staff:joint-meeting-create")).status_code == 403


def test_liaison_submits_a_topic_for_their_own_unit_only(w):
    client = as_user(w.liaison)
    url = reverse("staff:joint-topic-submit", args=[w.meeting.pk])
    response = client.get(url)
    assert list(response.context["form"].fields["unit"].queryset) == [w.unit]
    before = joint_setup.snapshot()
    response = client.post(url, {"unit": w.second_unit.pk, "title": "冒名"})
    assert response.status_code == 200 and joint_setup.snapshot() == before
    response = client.post(url, {"unit": w.unit.pk, "title": "儿童义诊进社区"})
    assert response.status_code == 302
    assert TopicSubmission.objects.get().unit == w.unit
    # The other liaison does not see it.
    detail = as_user(w.second_liaison).get(
        reverse("staff:joint-meeting-detail", args=[w.meeting.pk])
    )
    assert detail.context["topics"] == []


def test_topic_after_deadline_shows_the_deadline(w):
    JointMeeting.objects.filter(pk=w.meeting.pk).update(scheduled_on=w.today + dt.timedelta(days=3))
    response = as_user(w.liaison).post(
        reverse("staff:joint-topic-submit", args=[w.meeting.pk]), {"unit": w.unit.pk, "title": "迟"}
    )
    assert response.status_code == 200
    assert "due by" in str(response.context["form"].errors) or "截止" in response.content.decode()
    assert not TopicSubmission.objects.exists()


def test_bad_input_on_attendance_and_resolution_writes_nothing(clients, w):
    before = joint_setup.snapshot()
    url = reverse("staff:joint-meeting-attendance", args=[w.meeting.pk])
    for data in (
        {"unit": w.unit.pk, "status": "absent"},
        {"unit": w.unit.pk, "status": "nonsense"},
        {"unit": w.free_unit.pk, "status": "present"},
        {"unit": "x", "status": "present"},
        {},
    ):
        assert clients["staff"].post(url, data).status_code == 200
    url = reverse("staff:joint-resolution-add", args=[w.meeting.pk])
    for data in (
        {"text": ""},
        {"text": "决议", "item_title": "事项"},
        {"text": "决议", "item_title": "事项", "deadline": "2999-01-01"},
        {"text": "决议", "item_title": "事项", "deadline": "not-a-date", "owner_unit": w.unit.pk},
        {"text": "x" * 3000},
    ):
        assert clients["staff"].post(url, data).status_code == 200
    assert joint_setup.snapshot() == before


def test_staff_holds_the_meeting_with_attendance_and_resolution(clients, w):
    JointMeeting.objects.filter(pk=w.meeting.pk).update(scheduled_on=w.today)
    c = clients["staff"]
    url = reverse("staff:joint-meeting-attendance", args=[w.meeting.pk])
    assert (
        c.post(url, {"unit": w.unit.pk, "status": "present", "attendee": "陈静"}).status_code == 302
    )
    assert (
        c.post(url, {"unit": w.second_unit.pk, "status": "absent", "reason": "出差"}).status_code
        == 302
    )
    response = c.post(
        reverse("staff:joint-resolution-add", args=[w.meeting.pk]),
        {
            "text": "开展健康义诊",
            "item_title": "组织义诊",
            "owner_unit": w.unit.pk,
            "deadline": (w.today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert (
        c.post(
            reverse("staff:joint-meeting-hold", args=[w.meeting.pk]), {"minutes": "纪要"}
        ).status_code
        == 302
    )
    assert Attendance.objects.count() == 2
    item = ActionItem.objects.get()
    # The owner's liaison reports progress; the other liaison cannot reach the item.
    url = reverse("staff:joint-action-progress", args=[item.pk])
    assert as_user(w.second_liaison).get(url).status_code == 404
    assert as_user(w.liaison).post(url, {"text": "已完成", "done": "on"}).status_code == 302
    assert ActionItem.objects.get().status == "done"


def test_list_pages_access_matrix(clients, w):
    assert_access(clients, reverse("staff:joint-need-list"), {**SECRETARY_TOO, "staff": 200})
    assert_access(clients, reverse("staff:joint-project-list"), {**SECRETARY_TOO, "staff": 200})
    assert_access(clients, reverse("staff:joint-resource-list"), {**SECRETARY_TOO, "staff": 200})
    assert_access(clients, reverse("staff:joint-action-list"), {**SECRETARY_TOO, "staff": 200})
    assert_access(clients, reverse("staff:joint-need-create"), {**SECRETARY_TOO, "staff": 200})


def test_secretary_sees_their_communitys_needs_only(clients, w):
    response = clients["secretary"].get(reverse("staff:joint-need-list"))
    assert list(response.context["needs"]) == [w.need]
    assert (
        list(clients["other_secretary"].get(reverse("staff:joint-need-list")).context["needs"])
        == []
    )


def test_liaison_sees_open_needs_of_their_committee_and_claims_one(w, secretary, clients):
    client = as_user(w.liaison)
    response = client.get(reverse("staff:joint-need-list"))
    assert list(response.context["needs"]) == [w.need]
    url = reverse("staff:joint-need-claim", args=[w.need.pk])
    assert client.get(reverse("staff:joint-need-claim", args=[w.other_need.pk])).status_code == 404
    before = joint_setup.snapshot()
    assert client.post(url, {"claimer": w.unit.pk, "deadline": "2000-01-01"}).status_code == 200
    assert client.post(url, {"claimer": w.unit.pk, "deadline": ""}).status_code == 200
    assert joint_setup.snapshot() == before
    deadline = (w.today + dt.timedelta(days=10)).isoformat()
    assert client.post(url, {"claimer": w.unit.pk, "deadline": deadline}).status_code == 302
    project = Project.objects.get()
    # The second unit no longer sees the claimed need, and its claim is refused with a message.
    other = as_user(w.second_liaison)
    assert list(other.get(reverse("staff:joint-need-list")).context["needs"]) == []
    assert other.post(url, {"claimer": w.second_unit.pk, "deadline": deadline}).status_code == 404
    # Only the community confirms it done: not the liaison, not another secretary.
    done = reverse("staff:joint-project-done", args=[project.pk])
    assert client.post(done).status_code == 403
    assert clients["other_secretary"].post(done).status_code == 404
    assert clients["secretary"].post(done).status_code == 302
    assert Need.objects.get(pk=w.need.pk).status == ItemStatus.CLOSED


def test_community_claims_a_resource(clients, w):
    url = reverse("staff:joint-resource-claim", args=[w.resource.pk])
    deadline = (w.today + dt.timedelta(days=10)).isoformat()
    response = clients["secretary"].get(url)
    assert list(response.context["form"].fields["claimer"].queryset) == [w.community]
    other = CommunityFactory(sub_district=w.sub_district, name="别的社区")
    before = joint_setup.snapshot()
    assert (
        clients["secretary"].post(url, {"claimer": other.pk, "deadline": deadline}).status_code
        == 200
    )
    assert joint_setup.snapshot() == before
    assert (
        clients["secretary"]
        .post(url, {"claimer": w.community.pk, "deadline": deadline})
        .status_code
        == 302
    )
    assert Resource.objects.get(pk=w.resource.pk).claimed_by == w.community


def test_list_pages_query_count_does_not_grow(clients, w, django_assert_max_num_queries):
    for n in range(8):
        need = Need.objects.create(committee=w.committee, community=w.community, title=f"需求{n}")
        if n % 2:
            services.claim_need(need=need, unit=w.unit, deadline=w.today, actor=None)
        Resource.objects.create(committee=w.committee, unit=w.unit, kind="venue", title=f"资源{n}")
    for name in (
        "joint-need-list",
        "joint-resource-list",
        "joint-project-list",
        "joint-meeting-list",
        "joint-action-list",
    ):
        with django_assert_max_num_queries(12):
            assert clients["staff"].get(reverse(f"staff:{name}")).status_code == 200


def test_publish_and_export_lists(clients, w):
    c = clients["staff"]
    assert c.post(reverse("staff:joint-lists-publish", args=[w.meeting.pk])).status_code == 302
    response = c.get(reverse("staff:joint-lists-export", args=[w.meeting.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert_access(clients, reverse("staff:joint-lists-export", args=[w.meeting.pk]), STAFF_ONLY)


def test_evaluation_pages_and_notice(clients, w):
    url = reverse("staff:joint-evaluation", args=[w.committee.pk, w.meeting.year])
    assert_access(clients, url, STAFF_ONLY)
    # POST computes the figures: refused for everyone but staff, writing nothing.
    for role, status in NOBODY.items():
        assert clients[role].post(url).status_code == status
    assert not UnitEvaluation.objects.exists()
    assert clients["staff"].post(url).status_code == 302
    evaluation = UnitEvaluation.objects.get(unit=w.second_unit)
    judge = reverse("staff:joint-judge", args=[evaluation.pk])
    before = joint_setup.snapshot()
    assert clients["staff"].post(judge, {"score": "150"}).status_code == 200
    assert clients["staff"].post(judge, {"failed_duties": "on"}).status_code == 200
    assert joint_setup.snapshot() == before
    assert (
        clients["staff"]
        .post(judge, {"score": "40", "failed_duties": "on", "comment": "缺席"})
        .status_code
        == 302
    )
    notice = reverse("staff:joint-notice", args=[w.committee.pk, w.meeting.year])
    assert_access(clients, notice, STAFF_ONLY)
    # A liaison sees their own unit's evaluation only and cannot export the notice.
    liaison = as_user(w.liaison)
    response = liaison.get(url)
    assert [e.unit for e in response.context["evaluations"]] == [w.unit]
    assert liaison.get(notice).status_code == 403


def test_a_liaison_lands_on_their_joint_meetings_after_login(w):
    response = as_user(w.liaison).get(reverse("accounts:after-login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:joint-meeting-list")


@pytest.mark.parametrize("year", [1999, 99999])
def test_evaluation_of_an_impossible_year_is_not_found(clients, w, year):
    before = joint_setup.snapshot()
    for name in ("staff:joint-evaluation", "staff:joint-notice"):
        url = reverse(name, args=[w.committee.pk, year])
        assert clients["staff"].get(url).status_code == 404
    evaluation = reverse("staff:joint-evaluation", args=[w.committee.pk, year])
    assert clients["staff"].post(evaluation).status_code == 404
    assert joint_setup.snapshot() == before
