"""The member's side of organisational life (党员端): the meetings a member may see, leave
requested before a meeting, check-in with the code the secretary shows, and make-up study the
member reports done.

None of it records a meeting: a leave request and a check-in only pre-mark the secretary's roster
(`roster_marks`), a reported make-up study waits for the secretary's `complete_make_up`.

Check-in codes are not stored: a code is an HMAC of the meeting and the current time slot
(`CHECKIN_CODE_SECONDS` long) under the secret key, so it rotates by itself, is different for
each meeting, and the page showing it needs no write. The slot just past is still accepted (a
member typing while the code turns), an older one is refused as expired.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.locks import lock_owner
from accounts.services import record_audit
from activities.models import (
    AttendanceStatus,
    CheckIn,
    LeaveRequest,
    LeaveStatus,
    MakeUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from committees.models import CommitteePosition
from config import pagecache
from members.models import Member

if TYPE_CHECKING:
    from accounts.models import User

CODE_DIGITS = 6


class ParticipationRefused(DomainError):
    """A leave request, check-in or make-up report the rules do not allow."""


class AlreadyCheckedIn(Conflict):
    """The member has checked in at this meeting already."""


def meetings_of(member: Member) -> QuerySet[Meeting]:
    """The meetings a member sees: their branch's and their party group's, and the committee's
    only while they sit on a committee (the `member` role's scope of meetings)."""
    places = Q(organization_id=member.organization_id)
    if member.party_group_id:
        places |= Q(organization_id=member.party_group_id)
    meetings = Meeting.objects.filter(places)
    on_committee = CommitteePosition.objects.filter(member=member, ended_on__isnull=True).exists()
    if not on_committee:
        meetings = meetings.exclude(kind=MeetingKind.COMMITTEE_MEETING)
    return meetings


def _is_expected(meeting: Meeting, member: Member) -> bool:
    return meetings_of(member).filter(pk=meeting.pk).exists() and member.state == "active"


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
@transaction.atomic
def request_leave(*, meeting: Meeting, member: Member, reason: str, actor: User) -> LeaveRequest:
    """请假 before a planned meeting, with a reason the secretary reads on the roster."""
    if not reason.strip():
        raise ParticipationRefused(_("Give the reason for your leave."), field="reason")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not _is_expected(meeting, member):
        raise ParticipationRefused(_("You are not expected at this meeting."))
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= timezone.now():
        raise ParticipationRefused(_("Leave can be asked only before the meeting starts."))
    if CheckIn.objects.filter(meeting=meeting, member=member).exists():
        raise ParticipationRefused(_("You have checked in at this meeting."))
    if LeaveRequest.objects.filter(meeting=meeting, member=member, status="requested").exists():
        raise Conflict(_("You have already asked for leave from this meeting."))
    leave = LeaveRequest.objects.create(meeting=meeting, member=member, reason=reason.strip()[:200])
    record_audit(actor=actor, action="meeting.leave_requested", target=meeting)
    return leave


@pagecache.writes_within_organization(lambda kwargs: kwargs["leave"])
@transaction.atomic
def withdraw_leave(*, leave: LeaveRequest, actor: User) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().select_related("meeting").get(pk=leave.pk)
    if leave.status != LeaveStatus.REQUESTED:
        raise Conflict(_("This leave request is already withdrawn."))
    if leave.meeting.status != MeetingStatus.PLANNED:
        raise ParticipationRefused(_("The meeting has been recorded or cancelled."))
    leave.status = LeaveStatus.WITHDRAWN
    leave.save(update_fields=["status"])
    record_audit(actor=actor, action="meeting.leave_withdrawn", target=leave.meeting)
    return leave


def check_in_window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    """From CHECKIN_OPEN_MINUTES before the start to CHECKIN_CLOSE_MINUTES after the planned
    end (the start when no end is planned)."""
    opens = meeting.starts_at - dt.timedelta(minutes=settings.CHECKIN_OPEN_MINUTES)
    closes = (meeting.ends_at or meeting.starts_at) + dt.timedelta(
        minutes=settings.CHECKIN_CLOSE_MINUTES
    )
    return opens, closes


def check_in_open(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    opens, closes = check_in_window(meeting)
    return meeting.status == MeetingStatus.PLANNED and opens <= now <= closes


def _slot(now: dt.datetime) -> int:
    return int(now.timestamp()) // settings.CHECKIN_CODE_SECONDS


def _code_for(meeting_pk: int, slot: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"check-in:{meeting_pk}:{slot}".encode(), hashlib.sha256
    ).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def current_code(meeting: Meeting, now: dt.datetime | None = None) -> tuple[str, int]:
    """The code to show now and the seconds it has left."""
    now = now or timezone.now()
    slot = _slot(now)
    left = (slot + 1) * settings.CHECKIN_CODE_SECONDS - int(now.timestamp())
    return _code_for(meeting.pk, slot), left


def _code_is_current(meeting: Meeting, code: str, now: dt.datetime) -> bool:
    slot = _slot(now)
    return any(hmac.compare_digest(_code_for(meeting.pk, s), code) for s in (slot, slot - 1))


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
def check_in(*, meeting: Meeting, member: Member, code: str, actor: User) -> CheckIn:
    """The member checks themself in with the code shown at the meeting.

    Refused outside the window, with an expired or wrong code (a code of another meeting is a
    wrong code), for a meeting the member is not expected at, or after leave was asked (withdraw
    it first). A second check-in is a conflict; the unique constraint decides between two
    parallel ones."""
    code = code.strip()
    now = timezone.now()
    if not _is_expected(meeting, member):
        raise ParticipationRefused(_("You are not expected at this meeting."))
    if not check_in_open(meeting, now):
        raise ParticipationRefused(_("Check-in is open only around the meeting's time."))
    if not (code.isdigit() and len(code) == CODE_DIGITS) or not _code_is_current(
        meeting, code, now
    ):
        raise ParticipationRefused(
            _("This code is wrong or has expired. Type the code shown now."), field="code"
        )
    try:
        with transaction.atomic():
            lock_owner(member)
            if LeaveRequest.objects.filter(
                meeting=meeting, member=member, status=LeaveStatus.REQUESTED
            ).exists():
                raise ParticipationRefused(_("You asked for leave: withdraw it to check in."))
            entry = CheckIn.objects.create(meeting=meeting, member=member, user=actor)
            record_audit(actor=actor, action="meeting.checked_in", target=meeting)
    except IntegrityError:
        raise AlreadyCheckedIn(_("You have already checked in at this meeting.")) from None
    return entry


def roster_marks(meeting: Meeting) -> dict[int, tuple[str, str]]:
    """What the members' side pre-marks on the secretary's roster: checked in → present, leave
    asked → on leave with the reason. Two queries."""
    marks: dict[int, tuple[str, str]] = {
        leave.member_id: (AttendanceStatus.LEAVE, leave.reason)
        for leave in LeaveRequest.objects.filter(meeting=meeting, status=LeaveStatus.REQUESTED)
    }
    for member_id in CheckIn.objects.filter(meeting=meeting).values_list("member_id", flat=True):
        marks[member_id] = (AttendanceStatus.PRESENT, "")
    return marks


@pagecache.writes_within_organization(lambda kwargs: kwargs["task"])
@transaction.atomic
def report_make_up(
    *, task: MakeUpTask, member: Member, done_on: dt.date, note: str, actor: User
) -> MakeUpTask:
    """The member reports a make-up study done, with a note; the secretary confirms it
    (`complete_make_up`), which is what counts."""
    task = MakeUpTask.objects.select_for_update().select_related("meeting").get(pk=task.pk)
    if task.member_id != member.pk:
        raise ParticipationRefused(_("This is not your make-up study."))
    if task.done_on is not None:
        raise Conflict(_("The secretary has already confirmed this make-up study."))
    if task.meeting.held_on and done_on < task.meeting.held_on:
        raise ParticipationRefused(_("It cannot be done before the meeting."), field="done_on")
    if done_on > timezone.localdate():
        raise ParticipationRefused(_("The date cannot be in the future."), field="done_on")
    if not note.strip():
        raise ParticipationRefused(_("Note how you made up the study."), field="note")
    task.reported_on = done_on
    task.report_note = note.strip()[:300]
    task.save(update_fields=["reported_on", "report_note"])
    record_audit(actor=actor, action="meeting.make_up_reported", target=task.meeting)
    return task
