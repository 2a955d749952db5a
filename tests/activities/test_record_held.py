"""A meeting already held is planned and recorded in one step, under the rules of both steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from activities.models import Attendance, MakeUpTask, Meeting, Vote
from activities.services import MeetingRecord, MeetingRuleBroken, VoteInput, record_held_meeting
from tests.access import assert_access
from tests.activities.factories import at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(branch):
    full = [MemberFactory(organization=branch) for _ in range(4)]
    probationary = MemberFactory(organization=branch, status="probationary", confirmed_on=None)
    return full, probationary


def marks(full, probationary):
    return {m.pk: ("present", "") for m in [*full, probationary]}


def state():
    return (
        list(Meeting.objects.values_list("pk", "status")),
        Attendance.objects.count(),
        Vote.objects.count(),
        MakeUpTask.objects.count(),
        AuditEntry.objects.filter(action__startswith="meeting.").count(),
    )


def held(branch, secretary, record, kind="general_meeting", **kwargs):
    return record_held_meeting(
        organization=branch, kind=kind, topic="", record=record, actor=secretary, **kwargs
    )


# --- the service ---------------------------------------------------------------------------


def test_a_held_meeting_is_planned_and_recorded_in_one_step(branch, roster, secretary, clock):
    full, probationary = roster
    yesterday = clock.today - dt.timedelta(days=1)
    record = MeetingRecord(
        attendance=marks(full, probationary) | {full[0].pk: ("leave", "出差")},
        topic="第四季度党员大会",
        starts_at=at(yesterday),
        place="党群服务中心",
        main_points="传达学习会议精神",
        votes=[VoteInput("接收预备党员", "hands", 3, 0, 0)],
    )
    meeting = held(branch, secretary, record, chair=full[1])
    assert meeting.status == "held" and meeting.held_on == yesterday
    assert meeting.topic == "第四季度党员大会" and meeting.place == "党群服务中心"
    assert meeting.chair == full[1]
    assert meeting.attendances.filter(status="present").count() == 4
    vote = meeting.votes.get()
    assert vote.quorum_met and vote.passed
    assert MakeUpTask.objects.filter(meeting=meeting, member=full[0]).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"meeting.planned", "meeting.recorded"} <= actions


def test_a_meeting_of_a_later_day_is_refused_and_nothing_is_written(
    branch, roster, secretary, clock
):
    full, probationary = roster
    before = state()
    record = MeetingRecord(
        attendance=marks(full, probationary),
        topic="明天的会",
        starts_at=at(clock.today + dt.timedelta(days=1)),
    )
    with pytest.raises(MeetingRuleBroken) as refused:
        held(branch, secretary, record)
    assert refused.value.field == "starts_at"
    assert state() == before


def test_a_meeting_held_earlier_today_is_accepted(branch, roster, secretary, clock):
    full, probationary = roster
    record = MeetingRecord(
        attendance=marks(full, probationary),
        topic="上午的会",
        starts_at=at(clock.today, hour=8),
    )
    assert held(branch, secretary, record, kind="theme_day").held_on == clock.today


def test_the_whole_roster_must_be_marked_and_nothing_is_written_otherwise(
    branch, roster, secretary, clock
):
    full, probationary = roster
    before = state()
    partial = marks(full, probationary)
    del partial[full[0].pk]
    record = MeetingRecord(
        attendance=partial, topic="党员大会", starts_at=at(clock.today - dt.timedelta(days=2))
    )
    with pytest.raises(MeetingRuleBroken) as refused:
        held(branch, secretary, record, kind="general_meeting")
    assert refused.value.field == "attendance"
    assert state() == before


def test_without_quorum_a_vote_is_recorded_as_not_passed(branch, roster, secretary, clock):
    full, probationary = roster
    absent = {m.pk: ("absent", "未请假") for m in full[:2]}
    record = MeetingRecord(
        attendance=marks(full, probationary) | absent,
        topic="党员大会",
        starts_at=at(clock.today - dt.timedelta(days=1)),
        votes=[VoteInput("接收预备党员", "hands", 2, 0, 0)],
    )
    vote = held(branch, secretary, record).votes.get()
    assert not vote.quorum_met and not vote.passed


def test_votes_outside_a_general_meeting_are_refused_and_nothing_is_written(
    branch, roster, secretary, clock
):
    full, probationary = roster
    before = state()
    record = MeetingRecord(
        attendance=marks(full, probationary),
        topic="主题党日",
        starts_at=at(clock.today - dt.timedelta(days=1)),
        votes=[VoteInput("某事项", "hands", 3, 0, 0)],
    )
    with pytest.raises(MeetingRuleBroken):
        held(branch, secretary, record, kind="theme_day")
    assert state() == before


# --- the page ------------------------------------------------------------------------------


def test_record_held_page_access_matrix(clients, branch):
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    expected = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 404,
        "secretary": 200,
        "staff": 200,
    }
    assert_access(clients, url, expected)
    assert_access(clients, url, expected, method="post", data={}, snapshot=state)


def test_a_secretary_records_a_held_meeting_from_the_branch_page(clients, branch, roster, clock):
    full, probationary = roster
    client = clients["secretary"]
    page = client.get(reverse("staff:organization-detail", args=[branch.pk])).content.decode()
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    assert f'href="{url}"' in page
    form_page = client.get(url)
    assert 'data-testid="plan-fields"' in form_page.content.decode()
    yesterday = clock.today - dt.timedelta(days=1)
    data = {
        "kind": "general_meeting",
        "topic": "第四季度党员大会",
        "starts_at": f"{yesterday.isoformat()}T19:00",
        "place": "党群服务中心",
        "main_points": "传达学习会议精神",
        "chair": full[0].pk,
        f"att_{full[1].pk}": "leave",
        f"reason_{full[1].pk}": "出差",
        "motion_0": "接收预备党员",
        "method_0": "hands",
        "yes_0": 3,
        "no_0": 0,
        "abstain_0": 0,
    }
    for member in [full[0], *full[2:], probationary]:
        data[f"att_{member.pk}"] = "present"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("staff:meeting-detail", args=[meeting.pk])
    assert meeting.status == "held" and meeting.held_on == yesterday
    assert meeting.chair == full[0] and meeting.votes.get().passed
    assert meeting.attendances.get(member=full[1]).reason == "出差"


def test_the_page_refuses_a_later_day_in_place_and_writes_nothing(clients, branch, roster, clock):
    full, probationary = roster
    before = state()
    data = {
        "kind": "theme_day",
        "topic": "主题党日",
        "starts_at": f"{(clock.today + dt.timedelta(days=3)).isoformat()}T09:00",
    }
    for member in [*full, probationary]:
        data[f"att_{member.pk}"] = "present"
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    response = clients["secretary"].post(url, data)
    assert response.status_code == 200
    assert "会议日期未到，不能登记为已召开。" in response.context["form"].errors["starts_at"]
    assert state() == before


def test_record_held_page_query_count_does_not_grow_with_the_roster(
    clients, branch, django_assert_max_num_queries
):
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    client = clients["secretary"]
    MemberFactory(organization=branch)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(20):
        MemberFactory(organization=branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
