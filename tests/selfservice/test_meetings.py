"""The member's organisational life: meetings in scope, leave, check-in, make-up study, and what
they pre-mark on the secretary's roster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError
from activities import participation
from activities.models import CheckIn, LeaveRequest, MakeUpTask, MeetingKind
from members.binding.services import member_of
from members.models import BindingStatus, MemberBinding
from tests.accounts.factories import UserFactory
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory
from tests.parallel import run_together

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def me(member_user):
    return member_of(member_user)


@pytest.fixture
def meeting(branch, clock):
    return MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=3))


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def _neighbour(branch):
    """Another bound member of the same branch."""
    user = UserFactory()
    record = MemberFactory(organization=branch)
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    return user, record


def test_the_member_sees_own_branch_meetings_only(member_client, branch, other_branch, meeting):
    elsewhere = MeetingFactory(organization=other_branch)
    committee = MeetingFactory(organization=branch, kind=MeetingKind.COMMITTEE_MEETING)
    page = member_client.get(reverse("public:me-meetings")).content.decode()
    assert meeting.topic in page
    assert elsewhere.topic not in page and committee.topic not in page
    assert member_client.get(reverse("public:me-meeting", args=[elsewhere.pk])).status_code == 404
    assert member_client.get(reverse("public:me-meeting", args=[committee.pk])).status_code == 404
    assert member_client.get(reverse("public:me-meeting", args=[meeting.pk])).status_code == 200


def test_meeting_list_queries_do_not_grow(member_client, branch, me, django_assert_max_num_queries):
    for day in range(1, 6):
        held = MeetingFactory(
            organization=branch, held_on=timezone.localdate() - dt.timedelta(days=day)
        )
        MakeUpTask.objects.create(meeting=held, member=me, due_on=timezone.localdate())
        MeetingFactory(organization=branch)
    with django_assert_max_num_queries(16):
        assert member_client.get(reverse("public:me-meetings")).status_code == 200


def test_leave_pre_marks_the_secretary_roster(member_client, client, meeting, me, secretary):
    response = member_client.post(
        reverse("public:me-leave", args=[meeting.pk]), {"reason": "出差在外"}
    )
    assert response.status_code == 302
    assert LeaveRequest.objects.get(meeting=meeting, member=me).reason == "出差在外"
    client.force_login(secretary)
    form = client.get(reverse("staff:meeting-record", args=[meeting.pk])).context["form"]
    assert form.initial[f"att_{me.pk}"] == "leave"
    assert form.initial[f"reason_{me.pk}"] == "出差在外"


def test_leave_without_reason_or_after_the_start_is_refused(member_client, meeting, clock):
    response = member_client.post(reverse("public:me-leave", args=[meeting.pk]), {"reason": " "})
    assert response.status_code == 400
    clock.advance(hours=4)
    response = member_client.post(reverse("public:me-leave", args=[meeting.pk]), {"reason": "病"})
    assert response.status_code == 400
    assert not LeaveRequest.objects.exists()


def test_another_members_leave_is_not_found(client, member_user, meeting, branch):
    user, record = _neighbour(branch)
    leave = participation.request_leave(meeting=meeting, member=record, reason="事", actor=user)
    client.force_login(member_user)
    response = client.post(reverse("public:me-leave-withdraw", args=[leave.pk]))
    assert response.status_code == 404
    assert LeaveRequest.objects.get(pk=leave.pk).status == "requested"


def test_check_in_with_the_current_code(member_client, meeting, me, clock, secretary, client):
    clock.advance(hours=3)  # the meeting starts now
    code, _left = participation.current_code(meeting)
    url = reverse("public:me-check-in", args=[meeting.pk])
    assert member_client.post(url, {"code": code}).status_code == 302
    assert CheckIn.objects.filter(meeting=meeting, member=me).exists()
    # replay: the same code again is a conflict, not a second row
    assert member_client.post(url, {"code": code}).status_code == 400
    assert CheckIn.objects.filter(meeting=meeting).count() == 1
    client.force_login(secretary)
    form = client.get(reverse("staff:meeting-record", args=[meeting.pk])).context["form"]
    assert form.initial[f"att_{me.pk}"] == "present"


def test_an_expired_code_is_refused(meeting, me, member_user, clock, settings):
    clock.advance(hours=3)
    code, left = participation.current_code(meeting)
    clock.advance(seconds=left + settings.CHECKIN_CODE_SECONDS)  # two codes later
    with pytest.raises(DomainError):
        participation.check_in(meeting=meeting, member=me, code=code, actor=member_user)
    assert not CheckIn.objects.exists()


def test_the_code_just_turned_is_still_accepted(meeting, me, member_user, clock):
    clock.advance(hours=3)
    code, left = participation.current_code(meeting)
    clock.advance(seconds=left)
    participation.check_in(meeting=meeting, member=me, code=code, actor=member_user)
    assert CheckIn.objects.count() == 1


def test_another_meetings_code_is_refused(meeting, branch, me, member_user, clock):
    other = MeetingFactory(organization=branch, starts_at=meeting.starts_at)
    clock.advance(hours=3)
    code, _left = participation.current_code(other)
    with pytest.raises(DomainError):
        participation.check_in(meeting=meeting, member=me, code=code, actor=member_user)
    assert not CheckIn.objects.exists()


def test_check_in_outside_the_window_is_refused(meeting, me, member_user, clock, settings):
    code, _left = participation.current_code(meeting)  # three hours early
    with pytest.raises(DomainError):
        participation.check_in(meeting=meeting, member=me, code=code, actor=member_user)
    clock.advance(hours=3, minutes=settings.CHECKIN_CLOSE_MINUTES + 1)
    code, _left = participation.current_code(meeting)
    with pytest.raises(DomainError):
        participation.check_in(meeting=meeting, member=me, code=code, actor=member_user)
    assert not CheckIn.objects.exists()


def test_a_member_of_another_branch_cannot_check_in(meeting, other_branch, clock):
    user = UserFactory()
    stranger = MemberFactory(organization=other_branch)
    MemberBinding.objects.create(member=stranger, user=user, status=BindingStatus.ACTIVE)
    clock.advance(hours=3)
    code, _left = participation.current_code(meeting)
    with pytest.raises(DomainError):
        participation.check_in(meeting=meeting, member=stranger, code=code, actor=user)
    assert not CheckIn.objects.exists()


def test_the_secretary_code_page_shows_code_and_qr(
    client, secretary, other_secretary, meeting, clock
):
    clock.advance(hours=3)
    url = reverse("staff:meeting-check-in-code", args=[meeting.pk])
    client.force_login(secretary)
    page = client.get(url).content.decode()
    code, _left = participation.current_code(meeting)
    assert code in page and "<svg" in page
    client.force_login(other_secretary)
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_parallel_check_ins_of_one_member_write_one_row(branch, party_group):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    user = UserFactory()
    record = MemberFactory(organization=branch)
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now())
    code, _left = participation.current_code(meeting)
    outcomes = run_together(
        [
            lambda: participation.check_in(meeting=meeting, member=record, code=code, actor=user)
            for _ in range(4)
        ]
    )
    assert CheckIn.objects.filter(meeting=meeting, member=record).count() == 1
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == 3
    assert all(isinstance(o, participation.AlreadyCheckedIn) for o in refusals), refusals


@pytest.mark.django_db(transaction=True)
def test_parallel_check_ins_of_many_members_all_count(branch, party_group):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now())
    code, _left = participation.current_code(meeting)
    people = []
    for _ in range(5):
        user = UserFactory()
        record = MemberFactory(organization=branch)
        MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
        people.append((user, record))
    outcomes = run_together(
        [
            (lambda u=u, r=r: participation.check_in(meeting=meeting, member=r, code=code, actor=u))
            for u, r in people
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert CheckIn.objects.filter(meeting=meeting).count() == 5


def test_make_up_reported_by_the_member_then_confirmed(member_client, branch, me, clock):
    held = MeetingFactory(organization=branch, held_on=timezone.localdate() - dt.timedelta(days=2))
    task = MakeUpTask.objects.create(meeting=held, member=me, due_on=timezone.localdate())
    url = reverse("public:me-make-up", args=[task.pk])
    response = member_client.post(url, {"done_on": timezone.localdate().isoformat(), "note": ""})
    assert response.status_code == 400
    response = member_client.post(
        url, {"done_on": timezone.localdate().isoformat(), "note": "自学了会议精神"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.report_note == "自学了会议精神" and task.done_on is None


def test_another_members_make_up_and_attendance_are_not_found(member_client, branch):
    _user, record = _neighbour(branch)
    held = MeetingFactory(organization=branch, held_on=timezone.localdate() - dt.timedelta(days=2))
    task = MakeUpTask.objects.create(meeting=held, member=record, due_on=timezone.localdate())
    assert member_client.get(reverse("public:me-make-up", args=[task.pk])).status_code == 404
    response = member_client.post(
        reverse("public:me-make-up", args=[task.pk]),
        {"done_on": timezone.localdate().isoformat(), "note": "代报"},
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.reported_on is None


def test_record_page_shows_the_masked_id_only(member_client, me):
    from members.identity import decrypt_id_number

    page = member_client.get(reverse("public:me-record")).content.decode()
    assert me.id_number_masked in page
    assert decrypt_id_number(me.id_number_encrypted) not in page


def test_member_pages_matrix(clients, meeting):
    from tests.access import assert_access

    for name, args in (("public:me-meetings", []), ("public:me-meeting", [meeting.pk])):
        assert_access(
            clients,
            reverse(name, args=args),
            {
                "anonymous": 302,
                "resident": 302,
                "member": 200,
                "other_secretary": 302,
                "secretary": 302,
                "staff": 302,
            },
        )
