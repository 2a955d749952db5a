"""The member's API under /api/v1/me/…: the member's own branch, meetings with their attendance,
leave (create, withdraw), check-in behind the lockout, make-up tasks, claims, dues bills and
points. Scope: another member's rows and another branch's meetings are 404; an unbound account
is 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import participation
from activities.models import Attendance, CheckIn, LeaveRequest, LeaveStatus, MakeUpTask
from branches.models import Community
from dues.models import DuesBill
from dues.services.billing import bill_month
from members.binding.services import member_of
from members.inservice import services as inservice
from members.models import BindingStatus, MemberBinding, NeedClaim
from tests.accounts.factories import UserFactory
from tests.activities.factories import MeetingFactory
from tests.dues.factories import DuesBaseFactory
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def url(name, *args):
    return reverse(f"me-api:{name}", args=args)


@pytest.fixture
def me(member_user):
    return member_of(member_user)


@pytest.fixture
def api(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def neighbour(branch):
    user = UserFactory()
    record = MemberFactory(organization=branch)
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    return user, record


def _post(client, address, data=None):
    return client.post(address, data or {}, content_type="application/json")


def test_my_branch(api, me, branch, secretary):
    MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(days=2))
    body = api.get(url("me-branch")).json()
    assert body["branch"] == branch.name and body["member_id"] == me.pk
    assert body["party_group"] == me.party_group.name
    assert len(body["next_meetings"]) == 1
    assert "id_number" not in str(body)


def test_meetings_upcoming_and_past_with_my_attendance(
    api, me, branch, other_branch, django_assert_max_num_queries
):
    upcoming = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(days=2))
    for _ in range(3):
        held = MeetingFactory(
            organization=branch, held_on=timezone.localdate() - dt.timedelta(days=5)
        )
        Attendance.objects.create(
            meeting=held, member=me, member_name=me.full_name, status="present"
        )
    MeetingFactory(organization=other_branch, starts_at=timezone.now() + dt.timedelta(days=2))
    with django_assert_max_num_queries(12):
        past = api.get(url("me-meeting-list"), {"when": "past"}).json()
    assert past["count"] == 3
    assert {row["my_attendance"] for row in past["results"]} == {"present"}
    soon = api.get(url("me-meeting-list"), {"when": "upcoming"}).json()
    assert [row["id"] for row in soon["results"]] == [upcoming.pk]
    assert soon["results"][0]["my_attendance"] is None


def test_leave_create_and_withdraw(api, me, branch):
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(days=2))
    response = _post(api, url("me-leave-list"), {"meeting": meeting.pk, "reason": "出差"})
    assert response.status_code == 201, response.content
    leave_id = response.json()["id"]
    assert api.get(url("me-meeting-detail", meeting.pk)).json()["my_leave"] == leave_id
    assert _post(api, url("me-leave-list"), {"meeting": meeting.pk, "reason": "x"}).status_code == (
        409
    )
    refused = _post(api, url("me-leave-list"), {"meeting": meeting.pk, "reason": " "})
    assert refused.status_code == 400
    assert _post(api, url("me-leave-withdraw", leave_id)).json()["status"] == "withdrawn"
    assert LeaveRequest.objects.get(pk=leave_id).status == LeaveStatus.WITHDRAWN


def test_check_in_with_the_code_then_locked_after_wrong_codes(
    api, me, branch, clock, settings, neighbour
):
    settings.CHECKIN_MAX_WRONG_CODES = 2
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=1))
    clock.advance(hours=1)
    code, _left = participation.current_code(meeting)
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    address = url("me-meeting-check-in", meeting.pk)
    for _ in range(2):
        assert _post(api, address, {"code": wrong}).status_code == 400
    locked = _post(api, address, {"code": code})
    assert locked.status_code == 400 and "错误次数过多" in locked.json()["detail"]
    assert not CheckIn.objects.exists()
    clock.advance(minutes=settings.CHECKIN_WRONG_CODE_WINDOW_MINUTES + 1)
    code, _left = participation.current_code(meeting)
    assert _post(api, address, {"code": code}).status_code == 201
    assert _post(api, address, {"code": code}).status_code == 409  # replay
    assert CheckIn.objects.get().member == me


def test_make_up_claims_dues_and_points_are_mine(api, me, branch, neighbour, secretary, staff):
    user, record = neighbour
    held = MeetingFactory(organization=branch, held_on=timezone.localdate() - dt.timedelta(days=2))
    mine = MakeUpTask.objects.create(meeting=held, member=me, due_on=timezone.localdate())
    theirs = MakeUpTask.objects.create(meeting=held, member=record, due_on=timezone.localdate())
    assert [row["id"] for row in api.get(url("me-make-up-list")).json()["results"]] == [mine.pk]
    reported = _post(
        api,
        url("me-make-up-report", mine.pk),
        {"done_on": timezone.localdate().isoformat(), "note": "自学"},
    )
    assert reported.status_code == 200 and reported.json()["report_note"] == "自学"
    DuesBaseFactory(member=me)
    DuesBaseFactory(member=record)
    bill_month(timezone.localdate().replace(day=1))
    bills = api.get(url("me-dues-bill-list")).json()["results"]
    assert [row["reference"] for row in bills] == [DuesBill.objects.get(member=me).reference]
    points = api.get(url("me-points"), {"year": "nonsense"}).json()
    assert points["year"] == timezone.localdate().year and "total" in points
    assert theirs.pk  # their task is checked in the scope matrix below


def test_another_members_rows_are_not_found(api, me, branch, other_branch, neighbour, staff):
    user, record = neighbour
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(days=2))
    elsewhere = MeetingFactory(
        organization=other_branch, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    leave = participation.request_leave(meeting=meeting, member=record, reason="病假", actor=user)
    held = MeetingFactory(organization=branch, held_on=timezone.localdate() - dt.timedelta(days=2))
    task = MakeUpTask.objects.create(meeting=held, member=record, due_on=timezone.localdate())
    community = Community.objects.create(sub_district=branch.sub_district, name="联盟新城社区")
    branch.communities.add(community)
    registration = inservice.register_member(
        actor=staff,
        member=record,
        community=community,
        registered_on=timezone.localdate(),
        employer_name="郑州市儿童医院",
    )
    need = inservice.post_need(
        actor=staff,
        community=community,
        title="楼道清扫",
        needed_by=timezone.localdate() + dt.timedelta(days=3),
        slots=2,
    )
    claim = inservice.claim_need(actor=staff, need=need, registration=registration)
    DuesBaseFactory(member=record)
    bill_month(timezone.localdate().replace(day=1))
    bill = DuesBill.objects.get(member=record)

    for address in (
        url("me-leave-detail", leave.pk),
        url("me-make-up-detail", task.pk),
        url("me-claim-detail", claim.pk),
        url("me-dues-bill-detail", bill.pk),
        url("me-meeting-detail", elsewhere.pk),
    ):
        assert api.get(address).status_code == 404, address
    assert _post(api, url("me-leave-withdraw", leave.pk)).status_code == 404
    assert (
        _post(
            api, url("me-make-up-report", task.pk), {"done_on": "2026-01-01", "note": "x"}
        ).status_code
        == 404
    )
    assert (
        _post(api, url("me-meeting-check-in", elsewhere.pk), {"code": "123456"}).status_code == 404
    )
    assert (
        _post(api, url("me-leave-list"), {"meeting": elsewhere.pk, "reason": "出差"}).status_code
        == 404
    )
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED
    assert api.get(url("me-claim-list")).json()["count"] == 0
    assert NeedClaim.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "resident", "staff", "secretary"])
def test_only_a_bound_member_uses_the_member_api(clients, role, member_user):
    response = clients[role].get(url("me-meeting-list"))
    assert response.status_code in (401, 403)
    assert clients["member"].get(url("me-meeting-list")).status_code == 200
