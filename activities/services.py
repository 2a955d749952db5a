"""Writes of organisational life: plan, record, sign off, revise, cancel, attach, make-up study.

A signed-off record is never changed quietly: sign-off seals version 1 of the minutes, and any
later change (a new record, an attachment) needs a reason, bumps the version and seals it
(`activities.minutes.sealing.seal`: a `MeetingRevision` chained by hash), in the same
transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dated import in_force_q
from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit
from activities import rules
from activities.elections.models import Election
from activities.minutes.sealing import file_sha256, seal
from activities.models import (
    Attachment,
    AttachmentKind,
    Attendance,
    AttendanceStatus,
    Guest,
    LocalSettings,
    MakeUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Vote,
)
from activities.uploads import check_upload
from branches.models import Organization, OrganizationKind
from committees.models import CommitteePosition, CommitteeTerm
from config import pagecache
from members import extensions
from members.models import Member, MemberStatus


class MeetingRuleBroken(DomainError):
    """A meeting record that the rules or the record's state do not allow."""


GROUP_KINDS = frozenset({MeetingKind.GROUP_MEETING})


def meeting_day(starts_at: dt.datetime) -> dt.date:
    """The day a meeting is held on, in the local calendar: the day its roster is taken."""
    return timezone.localtime(starts_at).date()


def committee_on(organization: Organization, day: dt.date) -> list[Member]:
    """The committee of the term in force on `day`: the positions held that day (a member
    appointed later or stepped down earlier is not on it); empty when no term was in force."""
    terms = CommitteeTerm.objects.filter(in_force_q(day), organization=organization)
    positions = CommitteePosition.objects.filter(in_force_q(day), term__in=terms)
    return list(
        Member.objects.filter(pk__in=positions.values("member_id"))
        .on_roll(day)
        .with_standing_on(day)
        .order_by("full_name", "pk")
    )


def expected_attendees(
    organization: Organization, *, day: dt.date, kind: str = MeetingKind.GENERAL_MEETING
) -> list[Member]:
    """Who is expected at a meeting held on `day` (支部条例 arts. 11–13): at a 支委会, the
    committee in office that day; on a party group, the group's members that day; otherwise every
    member whose record the branch (its groups included) kept that day. Membership is the one of
    that day, not today's (`MemberQuerySet.in_organization_on`). Each member carries `status_on`
    and `on_probation` for that day, which decide whether they may vote (`entitled_to_vote`).
    Taken when the meeting is recorded and kept with it."""
    if organization.kind == OrganizationKind.PARTY_GROUP:
        parent_path = organization.path[: -organization.steplen]
        qs = Member.objects.filter(party_group=organization).in_organization_on(parent_path, day)
    elif kind == MeetingKind.COMMITTEE_MEETING:
        return committee_on(organization, day)
    else:
        qs = Member.objects.in_organization_on(organization.path, day)
    return list(qs.with_standing_on(day).order_by("full_name", "pk"))


def entitled_to_vote(member: Member) -> bool:
    """A full member on the meeting day who is not under 留党察看 that day (RULES.md: only full
    members vote; 预备党员 and members under probation attend without a vote). Reads the
    annotations of `expected_attendees`."""
    return member.status_on == MemberStatus.FULL and not member.on_probation


def _check_kind(organization: Organization, kind: str, lecture_kind: str) -> None:
    if not organization.is_active:
        raise MeetingRuleBroken(_("%(name)s is archived.") % {"name": organization.name})
    if organization.kind == OrganizationKind.PARTY_GROUP and kind not in GROUP_KINDS:
        raise MeetingRuleBroken(
            _("A party group holds party group meetings; record other meetings on its branch."),
            field="kind",
        )
    if organization.kind != OrganizationKind.PARTY_GROUP and kind in GROUP_KINDS:
        raise MeetingRuleBroken(
            _("A party group meeting is recorded on the party group."), field="kind"
        )
    if kind == MeetingKind.LECTURE and not lecture_kind:
        raise MeetingRuleBroken(_("Say which kind of party lecture it is."), field="lecture_kind")
    if kind != MeetingKind.LECTURE and lecture_kind:
        raise MeetingRuleBroken(_("Only a party lecture has a lecture kind."), field="lecture_kind")


def _check_people(organization: Organization, *members: Member | None) -> None:
    for member in members:
        if member is not None and not member.organization.path.startswith(
            organization.path[: 2 * organization.steplen]
        ):
            raise MeetingRuleBroken(
                _("%(name)s is not a member here.") % {"name": member.full_name}, field="chair"
            )


@pagecache.writes_within_organization(lambda kwargs: kwargs["organization"])
@transaction.atomic
def plan_meeting(
    *,
    organization: Organization,
    kind: str,
    topic: str,
    starts_at: dt.datetime,
    actor: User | None,
    lecture_kind: str = "",
    ends_at: dt.datetime | None = None,
    place: str = "",
    chair: Member | None = None,
    note_taker: Member | None = None,
    agenda: str = "",
    room: Any = None,
    attendees: int = 0,
) -> Meeting:
    """Plan a meeting; with `room`, book it in a service hall for the branch in the same
    transaction (a taken slot refuses the whole plan with the booking's message)."""
    _check_kind(organization, kind, lecture_kind)
    if not topic.strip():
        raise MeetingRuleBroken(_("The topic is required."), field="topic")
    if ends_at is not None and ends_at <= starts_at:
        raise MeetingRuleBroken(_("The meeting must end after it starts."), field="ends_at")
    _check_people(organization, chair, note_taker)
    booking = None
    if room is not None:
        if ends_at is None:
            raise MeetingRuleBroken(_("Give the end time to book a room."), field="ends_at")
        from venues.services import book_internal

        booking = book_internal(
            room=room,
            organization=organization,
            booked_by=actor,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=max(
                attendees,
                len(expected_attendees(organization, kind=kind, day=meeting_day(starts_at))),
                1,
            ),
            purpose=topic.strip(),
        )
        place = place or f"{room.hall.name} {room.name}"
    meeting = Meeting.objects.create(
        booking=booking,
        organization=organization,
        kind=kind,
        lecture_kind=lecture_kind,
        topic=topic.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        chair=chair,
        note_taker=note_taker,
        agenda=agenda,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(actor=actor, action="meeting.planned", target=meeting)
    return meeting


@dataclass(frozen=True)
class VoteInput:
    motion: str
    method: str
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class MeetingRecord:
    """What a secretary records about a held meeting."""

    attendance: Mapping[int, tuple[str, str]]  # member id -> (status, reason)
    agenda: str = ""
    main_points: str = ""
    resolutions: str = ""
    rectification: str = ""
    guests: Sequence[tuple[str, str]] = ()
    votes: Sequence[VoteInput] = ()
    out_of_period_reason: str = ""
    topic: str = ""
    starts_at: dt.datetime | None = None
    place: str | None = None


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


def begin_sealed_change(meeting: Meeting, change_reason: str) -> str:
    """Before a change to signed-off minutes (the meeting's row locked): refuse it without a
    reason, else bump the version the change will be sealed as. Returns the cleaned reason;
    the caller saves its change and then calls `seal`."""
    reason = change_reason.strip()[:200]
    if not reason:
        raise MeetingRuleBroken(
            _("The record is signed off; give a reason for the change."), field="change_reason"
        )
    meeting.version += 1
    meeting.save(update_fields=["version", "updated_at"])
    return reason


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
@transaction.atomic
def record_meeting(
    *,
    meeting: Meeting,
    record: MeetingRecord,
    actor: User | None,
    change_reason: str = "",
    today: dt.date | None = None,
) -> Meeting:
    """Record a meeting as held: attendance from the roster, guests, votes, minutes.

    Every member expected must have a status, and nobody else may; an absence or leave needs a
    reason. Votes are judged by the rules (quorum and majority of those entitled: full members
    only). Recording again after sign-off needs a reason and keeps the earlier version.
    """
    meeting = _lock_meeting(meeting)
    today = today or timezone.localdate()
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingRuleBroken(_("The meeting was cancelled."))
    if Election.objects.filter(meeting=meeting).exists():
        raise MeetingRuleBroken(
            _("An election's record stays as recorded: its figures opened the committee term.")
        )
    sealed_reason = begin_sealed_change(meeting, change_reason) if meeting.is_signed_off else ""
    starts_at = record.starts_at or meeting.starts_at
    held_on = meeting_day(starts_at)
    if held_on > today:
        raise MeetingRuleBroken(
            _("A meeting cannot be recorded as held before its day."), field="starts_at"
        )
    roster = {
        m.pk: m for m in expected_attendees(meeting.organization, kind=meeting.kind, day=held_on)
    }
    if not roster and meeting.kind == MeetingKind.COMMITTEE_MEETING:
        raise MeetingRuleBroken(
            _("%(name)s had no committee in office on %(day)s: there is nobody to hold it.")
            % {"name": meeting.organization.name, "day": held_on.isoformat()},
            field="starts_at",
        )
    if not roster:
        raise MeetingRuleBroken(_("Nobody is expected: the organisation has no members."))
    missing = [roster[pk].full_name for pk in roster if pk not in record.attendance]
    if missing:
        raise MeetingRuleBroken(
            _("Mark the attendance of everyone expected: %(names)s.")
            % {"names": "、".join(missing[:10])},
            field="attendance",
        )
    strangers = [pk for pk in record.attendance if pk not in roster]
    if strangers:
        raise MeetingRuleBroken(
            _("Some people marked are not expected at this meeting."), field="attendance"
        )
    for pk, (status, reason) in record.attendance.items():
        if status not in AttendanceStatus.values:
            raise MeetingRuleBroken(_("Unknown attendance status."), field="attendance")
        if status != AttendanceStatus.PRESENT and not reason.strip():
            raise MeetingRuleBroken(
                _("Give the reason why %(name)s was not present.") % {"name": roster[pk].full_name},
                field="attendance",
            )
    if record.votes and meeting.kind != MeetingKind.GENERAL_MEETING:
        raise MeetingRuleBroken(_("Votes are recorded at a branch general meeting."), field="votes")
    present = {pk for pk, (status, _r) in record.attendance.items() if status == "present"}
    entitled = sum(1 for m in roster.values() if entitled_to_vote(m))
    present_entitled = sum(1 for pk in present if entitled_to_vote(roster[pk]))
    for vote in record.votes:
        problems = rules.vote_validation_errors(
            entitled=entitled,
            present=present_entitled,
            yes=vote.yes,
            no=vote.no,
            abstain=vote.abstain,
        )
        if problems:
            raise MeetingRuleBroken(
                _(
                    "The votes on “%(motion)s” do not add up: for, against and abstain together "
                    "cannot exceed the %(present)d full members present."
                )
                % {"motion": vote.motion, "present": present_entitled},
                field="votes",
            )
        if not vote.motion.strip():
            raise MeetingRuleBroken(_("Every vote needs its motion."), field="votes")

    previous_ids = set(meeting.attendances.values_list("member_id", flat=True))
    previous_day = meeting.held_on
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member=roster[pk],
                member_name=roster[pk].full_name,
                status=status,
                reason=reason.strip()[:200],
                entitled_to_vote=entitled_to_vote(roster[pk]),
            )
            for pk, (status, reason) in record.attendance.items()
        ]
    )
    meeting.guests.all().delete()
    Guest.objects.bulk_create(
        [
            Guest(meeting=meeting, name=name.strip()[:50], title=title.strip()[:100])
            for name, title in record.guests
            if name.strip()
        ]
    )
    meeting.votes.all().delete()
    quorum = rules.quorum_met(entitled=entitled, present=present_entitled)
    if meeting.kind == MeetingKind.GENERAL_MEETING:
        meeting.quorum_met = quorum
    elif meeting.kind == MeetingKind.COMMITTEE_MEETING:
        meeting.quorum_met = rules.committee_quorum_met(
            committee_members=len(roster), present=len(present)
        )
    else:
        meeting.quorum_met = None
    Vote.objects.bulk_create(
        [
            Vote(
                meeting=meeting,
                motion=vote.motion.strip()[:200],
                method=vote.method,
                entitled=entitled,
                present_entitled=present_entitled,
                yes=vote.yes,
                no=vote.no,
                abstain=vote.abstain,
                quorum_met=quorum,
                passed=quorum and rules.motion_passes(entitled=entitled, yes=vote.yes),
            )
            for vote in record.votes
        ]
    )
    meeting.status = MeetingStatus.HELD
    meeting.starts_at = starts_at
    meeting.held_on = held_on
    if record.topic.strip():
        meeting.topic = record.topic.strip()[:200]
    if record.place is not None:
        meeting.place = record.place
    meeting.agenda = record.agenda
    meeting.main_points = record.main_points
    meeting.resolutions = record.resolutions
    meeting.rectification = record.rectification
    meeting.out_of_period_reason = record.out_of_period_reason.strip()[:200]
    meeting.save()
    _make_up_tasks(meeting, roster, record.attendance)
    extensions.records_changed(member_ids=previous_ids | set(roster), days=[previous_day, held_on])
    data: dict[str, Any] = {"version": meeting.version, "present": present_entitled}
    if meeting.is_signed_off:
        data["hash"] = seal(meeting=meeting, reason=sealed_reason, actor=actor).hash
    record_audit(actor=actor, action="meeting.recorded", target=meeting, data=data)
    return meeting


@pagecache.writes_within_organization(lambda kwargs: kwargs["organization"])
@transaction.atomic
def record_held_meeting(
    *,
    organization: Organization,
    kind: str,
    topic: str,
    record: MeetingRecord,
    actor: User | None,
    lecture_kind: str = "",
    ends_at: dt.datetime | None = None,
    chair: Member | None = None,
    note_taker: Member | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Plan and record, in one step, a meeting already held (minutes kept on paper, entered
    afterwards). It is `plan_meeting` then `record_meeting` in one transaction, so the rules are
    those of the two steps (kind, people, held no later than today, the whole roster, quorum)
    and a refusal by either leaves nothing behind, not even the plan. No room is booked: the
    time is past."""
    if record.starts_at is None:
        raise MeetingRuleBroken(
            _("Give the date and time the meeting was held."), field="starts_at"
        )
    meeting = plan_meeting(
        organization=organization,
        kind=kind,
        lecture_kind=lecture_kind,
        topic=record.topic or topic,
        starts_at=record.starts_at,
        ends_at=ends_at,
        place=record.place or "",
        chair=chair,
        note_taker=note_taker,
        agenda=record.agenda,
        actor=actor,
    )
    return record_meeting(meeting=meeting, record=record, actor=actor, today=today)


def _make_up_tasks(
    meeting: Meeting, roster: Mapping[int, Member], attendance: Mapping[int, tuple[str, str]]
) -> None:
    """Absentees and those on leave study what they missed; tasks of people now present go."""
    days = LocalSettings.for_sub_district(meeting.organization.sub_district_id).make_up_days
    due = meeting.held_on + dt.timedelta(days=days)
    missed = {pk for pk, (status, _r) in attendance.items() if status != AttendanceStatus.PRESENT}
    MakeUpTask.objects.filter(meeting=meeting, done_on__isnull=True).exclude(
        member_id__in=missed
    ).delete()
    existing = set(MakeUpTask.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    MakeUpTask.objects.bulk_create(
        [
            MakeUpTask(meeting=meeting, member=roster[pk], due_on=due)
            for pk in sorted(missed - existing)
        ]
    )


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
@transaction.atomic
def sign_off_meeting(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Sign the minutes off and seal them as the first version of their hash chain."""
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise MeetingRuleBroken(_("Only a meeting recorded as held can be signed off."))
    if meeting.is_signed_off:
        raise MeetingRuleBroken(_("The record is already signed off."))
    meeting.signed_off_at = timezone.now()
    meeting.signed_off_by = actor
    meeting.save(update_fields=["signed_off_at", "signed_off_by", "updated_at"])
    revision = seal(meeting=meeting, reason=_("Signed off"), actor=actor)
    record_audit(
        actor=actor,
        action="meeting.signed_off",
        target=meeting,
        data={"version": revision.version, "hash": revision.hash},
    )
    return meeting


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor: User | None, reason: str) -> Meeting:
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingRuleBroken(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise MeetingRuleBroken(_("Give the reason for cancelling."), field="reason")
    meeting.status = MeetingStatus.CANCELLED
    meeting.main_points = reason.strip()
    meeting.save(update_fields=["status", "main_points", "updated_at"])
    record_audit(actor=actor, action="meeting.cancelled", target=meeting)
    return meeting


@pagecache.writes_within_organization(lambda kwargs: kwargs["meeting"])
@transaction.atomic
def attach_file(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    kind: str,
    actor: User | None,
    change_reason: str = "",
) -> Attachment:
    """Store an attachment after checking its real type (by content) and size, with the SHA-256
    of its bytes. On signed-off minutes it is a change like any other: it needs a reason and
    seals the next version."""
    meeting = _lock_meeting(meeting)
    if kind not in AttachmentKind.values:
        raise MeetingRuleBroken(_("Unknown attachment kind."), field="kind")
    content_type = check_upload(upload)
    reason = begin_sealed_change(meeting, change_reason) if meeting.is_signed_off else ""
    attachment = Attachment(
        meeting=meeting,
        kind=kind,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=file_sha256(upload),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    data: dict[str, Any] = {"kind": kind, "sha256": attachment.sha256}
    if meeting.is_signed_off:
        revision = seal(meeting=meeting, reason=reason, actor=actor)
        data.update(version=revision.version, hash=revision.hash)
    record_audit(actor=actor, action="meeting.attachment_added", target=meeting, data=data)
    return attachment


@pagecache.writes_within_organization(lambda kwargs: kwargs["task"])
@transaction.atomic
def complete_make_up(
    *, task: MakeUpTask, done_on: dt.date, note: str, actor: User | None
) -> MakeUpTask:
    task = MakeUpTask.objects.select_for_update().select_related("meeting").get(pk=task.pk)
    if task.done_on is not None:
        raise MeetingRuleBroken(_("This make-up study is already done."))
    if done_on < task.meeting.held_on:
        raise MeetingRuleBroken(_("It cannot be done before the meeting."), field="done_on")
    if done_on > timezone.localdate():
        raise MeetingRuleBroken(_("The date cannot be in the future."), field="done_on")
    if not note.strip():
        raise MeetingRuleBroken(_("Note how the member made up the study."), field="note")
    task.done_on = done_on
    task.note = note.strip()[:300]
    task.save(update_fields=["done_on", "note"])
    extensions.records_changed(member_ids=[task.member_id], days=[task.due_on, done_on])
    record_audit(actor=actor, action="meeting.make_up_done", target=task.meeting)
    return task
