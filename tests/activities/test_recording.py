from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry
from activities.models import Attachment, Attendance, MakeUpTask, Meeting, MeetingRevision, Vote
from activities.services import (
    MeetingRecord,
    MeetingRuleBroken,
    VoteInput,
    attach_file,
    complete_make_up,
    plan_meeting,
    record_meeting,
    sign_off_meeting,
)
from activities.uploads import UploadRefused
from tests.activities.factories import at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def roster(branch):
    full = [MemberFactory(organization=branch) for _ in range(4)]
    probationary = MemberFactory(organization=branch, status="probationary", confirmed_on=None)
    return full, probationary


@pytest.fixture
def general(branch, secretary):
    return plan_meeting(
        organization=branch,
        kind="general_meeting",
        topic="第四季度党员大会",
        starts_at=at(DAY),
        actor=secretary,
    )


def everyone_present(full, probationary, overrides=None):
    marks = {m.pk: ("present", "") for m in [*full, probationary]}
    marks.update(overrides or {})
    return marks


def state():
    return (
        list(Meeting.objects.values_list("pk", "status", "version", "main_points")),
        Attendance.objects.count(),
        Vote.objects.count(),
        MeetingRevision.objects.count(),
    )


def test_exactly_half_of_full_members_present_fails_the_quorum(general, roster, secretary):
    full, probationary = roster
    marks = everyone_present(
        full, probationary, {full[0].pk: ("leave", "出差"), full[1].pk: ("absent", "生病")}
    )
    meeting = record_meeting(
        meeting=general,
        record=MeetingRecord(attendance=marks, votes=[VoteInput("接收预备党员", "hands", 2, 0, 0)]),
        actor=secretary,
    )
    vote = meeting.votes.get()
    assert (vote.entitled, vote.present_entitled) == (
        4,
        2,
    )  # the probationary member is not counted
    assert not vote.quorum_met and not vote.passed


def test_yes_votes_must_be_more_than_half_of_those_entitled(general, roster, secretary):
    full, probationary = roster
    marks = everyone_present(full, probationary, {full[0].pk: ("leave", "出差")})
    meeting = record_meeting(
        meeting=general,
        record=MeetingRecord(
            attendance=marks,
            votes=[VoteInput("甲", "hands", 2, 1, 0), VoteInput("乙", "ballot", 3, 0, 0)],
        ),
        actor=secretary,
    )
    first, second = meeting.votes.order_by("pk")
    assert first.quorum_met and not first.passed  # 2 of 4 entitled is not more than half
    assert second.passed


def test_absence_needs_a_reason_and_everyone_needs_a_mark(general, roster, secretary):
    full, probationary = roster
    before = state()
    with pytest.raises(MeetingRuleBroken, match="原因"):
        record_meeting(
            meeting=general,
            record=MeetingRecord(
                attendance=everyone_present(full, probationary, {full[0].pk: ("absent", " ")})
            ),
            actor=secretary,
        )
    marks = everyone_present(full, probationary)
    del marks[full[1].pk]
    with pytest.raises(MeetingRuleBroken, match=full[1].full_name):
        record_meeting(meeting=general, record=MeetingRecord(attendance=marks), actor=secretary)
    assert state() == before


def test_votes_that_do_not_add_up_are_refused(general, roster, secretary):
    full, probationary = roster
    before = state()
    with pytest.raises(MeetingRuleBroken):
        record_meeting(
            meeting=general,
            record=MeetingRecord(
                attendance=everyone_present(full, probationary),
                votes=[VoteInput("甲", "hands", 4, 1, 0)],
            ),
            actor=secretary,
        )
    assert state() == before


def test_a_meeting_cannot_be_recorded_before_its_day(branch, roster, secretary):
    full, probationary = roster
    meeting = plan_meeting(
        organization=branch,
        kind="theme_day",
        topic="主题党日",
        starts_at=timezone.now() + dt.timedelta(days=2),
        actor=secretary,
    )
    with pytest.raises(MeetingRuleBroken):
        record_meeting(
            meeting=meeting,
            record=MeetingRecord(attendance=everyone_present(full, probationary)),
            actor=secretary,
        )


def test_absentees_get_make_up_study_and_it_can_be_completed(general, roster, secretary):
    full, probationary = roster
    marks = everyone_present(full, probationary, {full[0].pk: ("absent", "值班")})
    meeting = record_meeting(
        meeting=general, record=MeetingRecord(attendance=marks), actor=secretary
    )
    task = MakeUpTask.objects.get(meeting=meeting)
    assert task.member == full[0]
    assert task.due_on == DAY + dt.timedelta(days=30)
    with pytest.raises(MeetingRuleBroken):
        complete_make_up(task=task, done_on=DAY, note="", actor=secretary)
    complete_make_up(
        task=task, done_on=DAY + dt.timedelta(days=3), note="自学会议精神", actor=secretary
    )
    assert MakeUpTask.objects.get().done_on == DAY + dt.timedelta(days=3)


def test_a_signed_off_record_keeps_its_versions(general, roster, secretary):
    full, probationary = roster
    meeting = record_meeting(
        meeting=general,
        record=MeetingRecord(attendance=everyone_present(full, probationary), main_points="原要点"),
        actor=secretary,
    )
    sign_off_meeting(meeting=meeting, actor=secretary)
    with pytest.raises(MeetingRuleBroken):
        record_meeting(
            meeting=meeting,
            record=MeetingRecord(
                attendance=everyone_present(full, probationary), main_points="新要点"
            ),
            actor=secretary,
        )
    meeting = record_meeting(
        meeting=meeting,
        record=MeetingRecord(attendance=everyone_present(full, probationary), main_points="新要点"),
        actor=secretary,
        change_reason="补充会议要点",
    )
    assert meeting.version == 2
    first, second = MeetingRevision.objects.filter(meeting=meeting).order_by("version")
    assert first.snapshot["record"]["main_points"] == "原要点"
    assert second.snapshot["record"]["main_points"] == "新要点"
    assert second.reason == "补充会议要点" and second.previous_hash == first.hash
    assert AuditEntry.objects.filter(action="meeting.recorded").count() == 2


def test_a_group_meeting_belongs_to_a_party_group(branch, secretary):
    with pytest.raises(MeetingRuleBroken):
        plan_meeting(
            organization=branch, kind="group_meeting", topic="x", starts_at=at(DAY), actor=secretary
        )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachments_are_checked_by_content_and_size(general, secretary):
    attachment = attach_file(
        meeting=general,
        upload=SimpleUploadedFile("签到表.png", PNG, content_type="image/png"),
        kind="sign_in",
        actor=secretary,
    )
    assert attachment.content_type == "image/png"
    assert "签到表" not in attachment.file.name
    with pytest.raises(UploadRefused):
        attach_file(
            meeting=general,
            upload=SimpleUploadedFile(
                "photo.png", b"<script>alert(1)</script>", content_type="image/png"
            ),
            kind="photo",
            actor=secretary,
        )
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(UploadRefused, match="10"):
        attach_file(meeting=general, upload=big, kind="document", actor=secretary)
    assert Attachment.objects.count() == 1


def test_planning_with_a_room_books_it_for_the_branch(branch, secretary, sub_district):
    from tests.venues.factories import RoomFactory, ServiceHallFactory

    room = RoomFactory(hall=ServiceHallFactory(sub_district=sub_district), capacity=30)
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    meeting = plan_meeting(
        organization=branch,
        kind="theme_day",
        topic="主题党日",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        room=room,
        actor=secretary,
    )
    assert meeting.booking.room == room
    assert room.name in meeting.place
    before = Meeting.objects.count()
    with pytest.raises(Exception) as refused:
        plan_meeting(
            organization=branch,
            kind="theme_day",
            topic="另一个会",
            starts_at=starts + dt.timedelta(hours=1),
            ends_at=starts + dt.timedelta(hours=3),
            room=room,
            actor=secretary,
        )
    assert getattr(refused.value, "status_code", None) == 409
    assert Meeting.objects.count() == before
