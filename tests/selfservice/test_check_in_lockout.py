"""Wrong check-in codes lock check-in: per member and meeting, and per IP address, within the
window; the right code is refused while locked; only the counter is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditEntry
from activities import participation
from activities.models import CheckIn
from members.binding.services import member_of
from members.models import BindingStatus, MemberBinding
from selfservice.checkin import CheckInLocked, check_in_limited
from selfservice.models import CheckInFailure
from tests.accounts.factories import UserFactory
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def me(member_user):
    return member_of(member_user)


@pytest.fixture
def meeting(branch, clock):
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=3))
    clock.advance(hours=3)  # the meeting starts now: check-in is open
    return meeting


def _wrong(meeting):
    code, _left = participation.current_code(meeting)
    return str((int(code) + 1) % 1_000_000).zfill(6)


def _try(meeting, member, user, code, ip="10.0.0.1"):
    return check_in_limited(meeting=meeting, member=member, code=code, actor=user, ip_address=ip)


def test_wrong_codes_lock_the_member_then_the_window_unlocks(
    meeting, me, member_user, clock, settings
):
    settings.CHECKIN_MAX_WRONG_CODES = 3
    settings.CHECKIN_WRONG_CODE_WINDOW_MINUTES = 10
    audits = AuditEntry.objects.count()
    for _ in range(3):
        with pytest.raises(DomainError) as wrong:
            _try(meeting, me, member_user, _wrong(meeting))
        assert not isinstance(wrong.value, CheckInLocked)
        clock.advance(minutes=1)
    assert CheckInFailure.objects.count() == 3
    # locked: even the right code is refused, with the minutes left, and nothing is written
    with pytest.raises(CheckInLocked) as locked:
        _try(meeting, me, member_user, participation.current_code(meeting)[0])
    assert "7" in locked.value.message  # the first failure leaves the window in 7 minutes
    assert CheckInFailure.objects.count() == 3
    assert not CheckIn.objects.exists()
    assert AuditEntry.objects.count() == audits
    clock.advance(minutes=6, seconds=30)  # the first failure is still inside the window
    with pytest.raises(CheckInLocked):
        _try(meeting, me, member_user, participation.current_code(meeting)[0])
    clock.advance(minutes=1)  # the first failure left the window
    _try(meeting, me, member_user, participation.current_code(meeting)[0])
    assert CheckIn.objects.filter(member=me, meeting=meeting).count() == 1


def test_the_lock_is_per_meeting(meeting, branch, me, member_user, clock, settings):
    settings.CHECKIN_MAX_WRONG_CODES = 2
    other = MeetingFactory(organization=branch, starts_at=meeting.starts_at)
    for _ in range(2):
        with pytest.raises(DomainError):
            _try(meeting, me, member_user, _wrong(meeting))
    with pytest.raises(CheckInLocked):
        _try(meeting, me, member_user, participation.current_code(meeting)[0])
    _try(other, me, member_user, participation.current_code(other)[0])
    assert CheckIn.objects.filter(meeting=other, member=me).exists()


def test_the_lock_is_per_member_and_per_ip(meeting, branch, me, member_user, settings):
    settings.CHECKIN_MAX_WRONG_CODES = 2
    settings.CHECKIN_MAX_WRONG_CODES_PER_IP = 3
    neighbours = []
    for _ in range(2):
        user = UserFactory()
        record = MemberFactory(organization=branch)
        MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
        neighbours.append((user, record))
    with pytest.raises(DomainError):
        _try(meeting, me, member_user, _wrong(meeting), ip="10.0.0.9")
    with pytest.raises(DomainError):
        _try(meeting, neighbours[0][1], neighbours[0][0], _wrong(meeting), ip="10.0.0.9")
    # another member from elsewhere is not locked by my wrong code
    _try(meeting, neighbours[1][1], neighbours[1][0], participation.current_code(meeting)[0])
    with pytest.raises(DomainError):
        _try(meeting, me, member_user, _wrong(meeting), ip="10.0.0.9")
    # three wrong codes from 10.0.0.9 lock that address for everyone
    user, record = UserFactory(), MemberFactory(organization=branch)
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    with pytest.raises(CheckInLocked):
        _try(meeting, record, user, participation.current_code(meeting)[0], ip="10.0.0.9")
    _try(meeting, record, user, participation.current_code(meeting)[0], ip="10.0.0.10")


def test_other_refusals_are_not_counted(meeting, me, member_user, clock, settings):
    settings.CHECKIN_MAX_WRONG_CODES = 1
    clock.advance(hours=5)  # the window has closed
    with pytest.raises(DomainError):
        _try(meeting, me, member_user, participation.current_code(meeting)[0])
    assert not CheckInFailure.objects.exists()


def test_the_page_says_locked_in_chinese(client, member_user, meeting, settings):
    settings.CHECKIN_MAX_WRONG_CODES = 1
    client.force_login(member_user)
    url = reverse("public:me-check-in", args=[meeting.pk])
    assert client.post(url, {"code": _wrong(meeting)}).status_code == 400
    response = client.post(url, {"code": participation.current_code(meeting)[0]})
    assert response.status_code == 400
    assert "错误次数过多" in response.content.decode()
    assert not CheckIn.objects.exists()
