from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Meeting
from tests.access import assert_access
from tests.activities.factories import MeetingFactory, at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def state():
    return list(Meeting.objects.values_list("pk", "status", "version", "signed_off_at"))


def test_meeting_list_access_matrix(clients, branch):
    MeetingFactory(organization=branch)
    assert_access(
        clients,
        "/api/v1/meetings/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    assert clients["other_secretary"].get("/api/v1/meetings/").json()["count"] == 0


def test_plan_through_the_api_access_matrix(clients, branch):
    payload = {
        "organization": branch.pk,
        "kind": "theme_day",
        "topic": "主题党日",
        "starts_at": (at(timezone.localdate()) + dt.timedelta(days=5)).isoformat(),
    }
    assert_access(
        clients,
        "/api/v1/meetings/",
        {"anonymous": 403, "resident": 403, "other_secretary": 400, "secretary": 201, "staff": 201},
        method="post",
        data=payload,
        content_type="application/json",
        snapshot=state,
    )


def test_record_and_sign_off_through_the_api(clients, branch):
    members = [MemberFactory(organization=branch) for _ in range(3)]
    meeting = MeetingFactory(
        organization=branch, kind="general_meeting", starts_at=at(dt.date(2026, 11, 2))
    )
    response = clients["secretary"].post(
        f"/api/v1/meetings/{meeting.pk}/record/",
        {
            "attendance": [{"member": m.pk, "status": "present"} for m in members],
            "votes": [{"motion": "决议", "method": "hands", "yes": 2, "no": 1, "abstain": 0}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["votes"][0]["passed"] is True
    assert (
        clients["other_secretary"].post(f"/api/v1/meetings/{meeting.pk}/sign-off/").status_code
        == 404
    )
    response = clients["secretary"].post(f"/api/v1/meetings/{meeting.pk}/sign-off/")
    assert response.status_code == 200 and response.json()["signed_off_at"]


def test_a_broken_rule_is_400_with_a_chinese_message(clients, branch):
    member = MemberFactory(organization=branch)
    meeting = MeetingFactory(organization=branch, starts_at=at(dt.date(2026, 11, 2)))
    before = state()
    response = clients["secretary"].post(
        f"/api/v1/meetings/{meeting.pk}/record/",
        {"attendance": [{"member": member.pk, "status": "absent"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "原因" in response.json()["detail"]
    assert state() == before


def test_compliance_endpoint(clients, branch):
    data = clients["secretary"].get("/api/v1/meetings/compliance/", {"year": "2026"}).json()
    assert data["year"] == 2026
    assert [row["organization"] for row in data["branches"]] == [branch.pk]
    assert len(data["branches"][0]["months"]) == 12
