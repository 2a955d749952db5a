"""Writes of regional committees at work: joint meetings (topics, agenda, attendance, minutes,
resolutions, action items), the three lists with two-way claiming, and the year-end evaluation.

Every service is keyword-only, runs in one transaction and writes one audit entry in it. A broken
rule raises a `JointRuleBroken`; a lost race for a list item raises `AlreadyClaimed` (409). A
claim is exclusive because it is one conditional UPDATE (`status='open'` in the WHERE clause):
of two claimers, exactly one updates a row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.models import User
from accounts.services import record_audit
from branches.models import CoBuildingUnit, Community, SubDistrict
from config.periods import period_containing
from regional.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemStatus,
    JointMeeting,
    JointSettings,
    ListSnapshot,
    MeetingStatus,
    Need,
    ProgressNote,
    Project,
    ProjectStatus,
    RegionalCommittee,
    RegionalMembership,
    Resolution,
    Resource,
    TopicSubmission,
    UnitEvaluation,
)


class JointRuleBroken(DomainError):
    pass


class AlreadyClaimed(Conflict):
    pass


class AlreadyPublished(Conflict):
    pass


def settings_for(sub_district: SubDistrict | int) -> JointSettings:
    """The sub-district's local figures, created with the defaults on first use."""
    sub_district_id = sub_district if isinstance(sub_district, int) else sub_district.pk
    joint_settings, _created = JointSettings.objects.get_or_create(sub_district_id=sub_district_id)
    return joint_settings


def topic_deadline(meeting: JointMeeting) -> dt.date:
    """The last day a topic can be submitted for `meeting`."""
    days = settings_for(meeting.committee.sub_district_id).topic_deadline_days
    return meeting.scheduled_on - dt.timedelta(days=days)


def _sitting(committee: RegionalCommittee, unit: CoBuildingUnit, day: dt.date) -> bool:
    return RegionalMembership.objects.filter(committee=committee, unit=unit).on(day).exists()


def _require_planned(meeting: JointMeeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise JointRuleBroken(_("This meeting is no longer planned."))


# --- Meetings -----------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    committee: RegionalCommittee,
    scheduled_on: dt.date,
    topic: str,
    place: str = "",
    actor: User | None,
) -> JointMeeting:
    """Put a joint meeting in the calendar; its agenda starts with the open action items of the
    committee's earlier meetings, so nothing agreed is forgotten."""
    if committee.founded_on and scheduled_on < committee.founded_on:
        raise JointRuleBroken(
            _("A meeting cannot take place before the committee was founded (%(day)s).")
            % {"day": committee.founded_on.isoformat()},
            field="scheduled_on",
        )
    if JointMeeting.objects.filter(committee=committee, scheduled_on=scheduled_on).exists():
        raise Conflict(_("The committee already has a meeting on this day."), field="scheduled_on")
    quarter = period_containing(scheduled_on, "quarter")
    try:
        with transaction.atomic():
            meeting = JointMeeting.objects.create(
                committee=committee,
                scheduled_on=scheduled_on,
                year=scheduled_on.year,
                quarter=(quarter.start.month - 1) // 3 + 1,
                topic=topic,
                place=place,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The committee already has a meeting on this day."), field="scheduled_on"
        ) from exc
    _add_open_action_items(meeting)
    record_audit(
        actor=actor,
        action="joint.meeting_scheduled",
        target=meeting,
        data={"committee": committee.pk, "scheduled_on": scheduled_on.isoformat()},
    )
    return meeting


def _add_open_action_items(meeting: JointMeeting) -> int:
    open_items = ActionItem.objects.open().filter(
        resolution__meeting__committee_id=meeting.committee_id,
        resolution__meeting__scheduled_on__lt=meeting.scheduled_on,
    )
    already = set(
        AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False).values_list(
            "action_item_id", flat=True
        )
    )
    position = AgendaItem.objects.filter(meeting=meeting).count()
    added = 0
    for item in open_items.select_related("owner_unit", "owner_community"):
        if item.pk in already:
            continue
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=_("Report on: %(item)s (%(owner)s)") % {"item": item.title, "owner": item.owner},
            action_item=item,
        )
        added += 1
    return added


@transaction.atomic
def build_agenda(*, meeting: JointMeeting, actor: User | None) -> int:
    """Bring the agenda up to date: every submitted topic and every still-open action item of an
    earlier meeting appears once. Safe to run again."""
    meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    added = _add_open_action_items(meeting)
    on_agenda = set(
        AgendaItem.objects.filter(meeting=meeting, topic__isnull=False).values_list(
            "topic_id", flat=True
        )
    )
    position = AgendaItem.objects.filter(meeting=meeting).count()
    for topic in meeting.topics.select_related("unit").exclude(pk__in=on_agenda):
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=f"{topic.title} ({topic.unit})",
            topic=topic,
        )
        added += 1
    record_audit(actor=actor, action="joint.agenda_built", target=meeting, data={"added": added})
    return added


@transaction.atomic
def submit_topic(
    *,
    meeting: JointMeeting,
    unit: CoBuildingUnit,
    title: str,
    description: str = "",
    actor: User | None,
    today: dt.date | None = None,
) -> TopicSubmission:
    """A member unit proposes a topic; refused after the deadline (a local setting)."""
    today = today or timezone.localdate()
    _require_planned(meeting)
    if not _sitting(meeting.committee, unit, meeting.scheduled_on):
        raise JointRuleBroken(_("Only member units of the committee can submit topics."))
    deadline = topic_deadline(meeting)
    if today > deadline:
        raise JointRuleBroken(
            _("Topics for this meeting were due by %(day)s.") % {"day": deadline.isoformat()},
            field="title",
        )
    if not title.strip():
        raise JointRuleBroken(_("A topic needs a title."), field="title")
    topic = TopicSubmission.objects.create(
        meeting=meeting,
        unit=unit,
        title=title.strip(),
        description=description,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(actor=actor, action="joint.topic_submitted", target=topic, data={"unit": unit.pk})
    return topic


@transaction.atomic
def record_attendance(
    *,
    meeting: JointMeeting,
    unit: CoBuildingUnit,
    status: str,
    attendee: str = "",
    reason: str = "",
    actor: User | None,
) -> Attendance:
    """Record how a member unit attended; an absence needs its reason."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise JointRuleBroken(_("This meeting was cancelled."))
    if status not in AttendanceStatus.values:
        raise JointRuleBroken(_("Choose present, delegate or absent."), field="status")
    if not _sitting(meeting.committee, unit, meeting.scheduled_on):
        raise JointRuleBroken(_("This unit did not sit on the committee on the meeting day."))
    if status == AttendanceStatus.ABSENT and not reason.strip():
        raise JointRuleBroken(_("Give the reason for the absence."), field="reason")
    if status == AttendanceStatus.DELEGATE and not attendee.strip():
        raise JointRuleBroken(_("Name the delegate the unit sent."), field="attendee")
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        unit=unit,
        defaults={
            "status": status,
            "attendee": attendee.strip(),
            "reason": reason.strip() if status == AttendanceStatus.ABSENT else "",
        },
    )
    record_audit(
        actor=actor,
        action="joint.attendance_recorded",
        target=attendance,
        data={"meeting": meeting.pk, "unit": unit.pk, "status": status},
    )
    return attendance


@transaction.atomic
def hold_meeting(
    *, meeting: JointMeeting, minutes: str, actor: User | None, today: dt.date | None = None
) -> JointMeeting:
    """Mark the meeting held with its minutes; not before its day."""
    today = today or timezone.localdate()
    meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise JointRuleBroken(_("This meeting was cancelled."))
    if meeting.scheduled_on > today:
        raise JointRuleBroken(_("A meeting cannot be recorded as held before its day."))
    if not minutes.strip():
        raise JointRuleBroken(_("Write the minutes of the meeting."), field="minutes")
    meeting.status = MeetingStatus.HELD
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["status", "minutes"])
    record_audit(actor=actor, action="joint.meeting_held", target=meeting)
    return meeting


@transaction.atomic
def add_resolution(*, meeting: JointMeeting, text: str, actor: User | None) -> Resolution:
    if meeting.status == MeetingStatus.CANCELLED:
        raise JointRuleBroken(_("This meeting was cancelled."))
    if not text.strip():
        raise JointRuleBroken(_("Write the resolution."), field="text")
    resolution = Resolution.objects.create(meeting=meeting, text=text.strip())
    record_audit(actor=actor, action="joint.resolution_added", target=resolution)
    return resolution


@transaction.atomic
def add_action_item(
    *,
    resolution: Resolution,
    title: str,
    deadline: dt.date,
    owner_unit: CoBuildingUnit | None = None,
    owner_community: Community | None = None,
    actor: User | None,
) -> ActionItem:
    """Give a resolution's work to one owner (a unit or a community) with a deadline."""
    if (owner_unit is None) == (owner_community is None):
        raise JointRuleBroken(_("Choose one owner: a unit or a community."), field="owner_unit")
    meeting = resolution.meeting
    if owner_unit is not None and not _sitting(meeting.committee, owner_unit, meeting.scheduled_on):
        raise JointRuleBroken(_("The owner unit must sit on the committee."), field="owner_unit")
    if owner_community is not None and (
        owner_community.sub_district_id != meeting.committee.sub_district_id
    ):
        raise JointRuleBroken(
            _("The owner community must lie in the committee's sub-district."),
            field="owner_community",
        )
    if deadline < meeting.scheduled_on:
        raise JointRuleBroken(_("The deadline cannot precede the meeting."), field="deadline")
    item = ActionItem.objects.create(
        resolution=resolution,
        title=title.strip(),
        deadline=deadline,
        owner_unit=owner_unit,
        owner_community=owner_community,
    )
    record_audit(actor=actor, action="joint.action_item_added", target=item)
    return item


@transaction.atomic
def note_action_progress(
    *,
    item: ActionItem,
    text: str,
    done: bool = False,
    actor: User | None,
    today: dt.date | None = None,
) -> ProgressNote:
    """Add a progress note; `done` closes the item (it then leaves later agendas)."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ActionStatus.DONE:
        raise JointRuleBroken(_("This action item is already done."))
    if not text.strip():
        raise JointRuleBroken(_("Describe the progress."), field="text")
    note = ProgressNote.objects.create(
        action_item=item,
        text=text.strip(),
        written_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if done:
        item.status = ActionStatus.DONE
        item.done_on = today or timezone.localdate()
    else:
        item.status = ActionStatus.IN_PROGRESS
    item.save(update_fields=["status", "done_on"])
    record_audit(
        actor=actor, action="joint.action_progress", target=item, data={"status": item.status}
    )
    return note


# --- The three lists ----------------------------------------------------------------------------


@transaction.atomic
def add_need(
    *,
    committee: RegionalCommittee,
    community: Community,
    title: str,
    place: str = "",
    wanted_by: dt.date | None = None,
    scale: str = "",
    description: str = "",
    source: str = "community",
    actor: User | None,
) -> Need:
    if community.sub_district_id != committee.sub_district_id:
        raise JointRuleBroken(
            _("The community must lie in the committee's sub-district."), field="community"
        )
    if not title.strip():
        raise JointRuleBroken(_("Say what is needed."), field="title")
    need = Need.objects.create(
        committee=committee,
        community=community,
        title=title.strip(),
        place=place,
        wanted_by=wanted_by,
        scale=scale,
        description=description,
        source=source,
    )
    record_audit(actor=actor, action="joint.need_added", target=need)
    return need


@transaction.atomic
def add_resource(
    *,
    committee: RegionalCommittee,
    unit: CoBuildingUnit,
    kind: str,
    title: str,
    description: str = "",
    actor: User | None,
) -> Resource:
    if not _sitting(committee, unit, timezone.localdate()):
        raise JointRuleBroken(_("Only member units of the committee can offer resources."))
    if not title.strip():
        raise JointRuleBroken(_("Say what is offered."), field="title")
    resource = Resource.objects.create(
        committee=committee, unit=unit, kind=kind, title=title.strip(), description=description
    )
    record_audit(actor=actor, action="joint.resource_added", target=resource)
    return resource


@transaction.atomic
def claim_need(
    *, need: Need, unit: CoBuildingUnit, deadline: dt.date, actor: User | None
) -> Project:
    """A member unit claims an open need; the claim becomes a project the unit owns.

    Exclusive: one conditional UPDATE moves the need from open to claimed, so of two units
    claiming at once exactly one wins; the other gets `AlreadyClaimed`.
    """
    if not _sitting(need.committee, unit, timezone.localdate()):
        raise JointRuleBroken(_("Only member units of the committee can claim its needs."))
    if deadline < timezone.localdate():
        raise JointRuleBroken(_("The deadline cannot be in the past."), field="deadline")
    won = Need.objects.filter(pk=need.pk, status=ItemStatus.OPEN).update(
        status=ItemStatus.CLAIMED, claimed_by=unit, claimed_at=timezone.now()
    )
    if won != 1:
        raise AlreadyClaimed(_("Another party has already claimed this need."))
    need.refresh_from_db()
    project = Project.objects.create(
        committee=need.committee,
        title=need.title,
        need=need,
        unit=unit,
        community=need.community,
        deadline=deadline,
    )
    record_audit(actor=actor, action="joint.need_claimed", target=need, data={"unit": unit.pk})
    return project


@transaction.atomic
def claim_resource(
    *, resource: Resource, community: Community, deadline: dt.date, actor: User | None
) -> Project:
    """A community claims a unit's open resource; exclusive like `claim_need`."""
    if community.sub_district_id != resource.committee.sub_district_id:
        raise JointRuleBroken(_("Only communities of the committee's sub-district can claim."))
    if deadline < timezone.localdate():
        raise JointRuleBroken(_("The deadline cannot be in the past."), field="deadline")
    won = Resource.objects.filter(pk=resource.pk, status=ItemStatus.OPEN).update(
        status=ItemStatus.CLAIMED, claimed_by=community, claimed_at=timezone.now()
    )
    if won != 1:
        raise AlreadyClaimed(_("Another party has already claimed this resource."))
    resource.refresh_from_db()
    project = Project.objects.create(
        committee=resource.committee,
        title=resource.title,
        resource=resource,
        unit=resource.unit,
        community=community,
        deadline=deadline,
    )
    record_audit(
        actor=actor,
        action="joint.resource_claimed",
        target=resource,
        data={"community": community.pk},
    )
    return project


class ClaimNotReleasable(Conflict):
    pass


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise JointRuleBroken(_("Give the reason for releasing the claim."), field="reason")
    if len(reason) > 200:
        raise JointRuleBroken(
            _("Keep the reason under 200 characters."),
            field="reason",
        )
    return reason


@transaction.atomic
def release_need(*, need: Need, unit: CoBuildingUnit, reason: str, actor: User | None) -> Project:
    """The unit that claimed a need gives it back; the need is open for claiming again.

    Race-safe the way a claim is: conditional UPDATEs, never check-then-write. The project goes
    first (in progress → released, detached from the need), then the need (claimed by this unit
    → open), in the order `confirm_project_done` takes the same rows, so a release and a
    confirmation cannot deadlock and exactly one of them wins. A claim racing the release
    waits on the need's row lock and then sees either `claimed` (and loses) or `open` (and
    wins a fresh project). The released project stays as history (`released_need`).
    """
    return _release(
        need,
        field="need",
        claimant_field="unit",
        claimant=unit,
        reason=reason,
        actor=actor,
        refused=_("Only a claim of your unit that is still in progress can be released."),
    )


@transaction.atomic
def release_resource(
    *, resource: Resource, community: Community, reason: str, actor: User | None
) -> Project:
    """The community that claimed a unit's resource gives it back; race-safe like
    `release_need`."""
    return _release(
        resource,
        field="resource",
        claimant_field="community",
        claimant=community,
        reason=reason,
        actor=actor,
        refused=_("Only a claim of your community that is still in progress can be released."),
    )


def _release(
    item: Need | Resource,
    *,
    field: str,
    claimant_field: str,
    claimant: CoBuildingUnit | Community,
    reason: str,
    actor: User | None,
    refused: str,
) -> Project:
    """Both directions of a release: `field` is the project's link to the item ("need" or
    "resource"), `claimant_field` its link to who claimed it ("unit" or "community")."""
    reason = _clean_reason(reason)
    released = Project.objects.filter(
        **{f"{field}_id": item.pk, claimant_field: claimant, "status": ProjectStatus.IN_PROGRESS}
    ).update(
        **{
            "status": ProjectStatus.RELEASED,
            field: None,
            f"released_{field}_id": item.pk,
            "released_at": timezone.now(),
            "release_reason": reason,
        }
    )
    reopened = 0
    if released == 1:
        reopened = (
            type(item)
            .objects.filter(pk=item.pk, status=ItemStatus.CLAIMED, claimed_by=claimant)
            .update(status=ItemStatus.OPEN, claimed_by=None, claimed_at=None)
        )
    if released != 1 or reopened != 1:
        raise ClaimNotReleasable(refused)
    project = Project.objects.filter(**{f"released_{field}": item}).latest("released_at", "pk")
    item.refresh_from_db()
    record_audit(
        actor=actor,
        action=f"joint.{field}_released",
        target=item,
        data={claimant_field: claimant.pk, "project": project.pk, "reason": reason},
    )
    return project


@transaction.atomic
def note_project_progress(*, project: Project, text: str, actor: User | None) -> ProgressNote:
    if project.status == ProjectStatus.DONE:
        raise JointRuleBroken(_("This project is already closed."))
    if project.status == ProjectStatus.RELEASED:
        raise JointRuleBroken(_("This claim was released; the project is closed."))
    if not text.strip():
        raise JointRuleBroken(_("Describe the progress."), field="text")
    note = ProgressNote.objects.create(
        project=project,
        text=text.strip(),
        written_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(actor=actor, action="joint.project_progress", target=project)
    return note


@transaction.atomic
def confirm_project_done(*, project: Project, actor: User | None) -> Project:
    """The community confirms the work done; the project and its list item close."""
    updated = Project.objects.filter(pk=project.pk, status=ProjectStatus.IN_PROGRESS).update(
        status=ProjectStatus.DONE,
        confirmed_done_at=timezone.now(),
        confirmed_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if updated != 1:
        raise JointRuleBroken(_("This project is already closed."))
    if project.need_id:
        Need.objects.filter(pk=project.need_id).update(status=ItemStatus.CLOSED)
    if project.resource_id:
        Resource.objects.filter(pk=project.resource_id).update(status=ItemStatus.CLOSED)
    project.refresh_from_db()
    record_audit(actor=actor, action="joint.project_done", target=project)
    return project


def _lists_now(committee: RegionalCommittee) -> dict[str, list[dict[str, Any]]]:
    def _d(day: dt.date | None) -> str:
        return day.isoformat() if day else ""

    needs = [
        {
            "title": n.title,
            "community": str(n.community),
            "place": n.place,
            "when": _d(n.wanted_by),
            "scale": n.scale,
            "status": str(n.get_status_display()),
            "claimed_by": str(n.claimed_by or ""),
        }
        for n in Need.objects.filter(committee=committee)
        .exclude(status=ItemStatus.CLOSED)
        .select_related("community", "claimed_by")
        .order_by("pk")
    ]
    resources = [
        {
            "title": r.title,
            "unit": str(r.unit),
            "kind": str(r.get_kind_display()),
            "status": str(r.get_status_display()),
            "claimed_by": str(r.claimed_by or ""),
        }
        for r in Resource.objects.filter(committee=committee)
        .exclude(status=ItemStatus.CLOSED)
        .select_related("unit", "claimed_by")
        .order_by("pk")
    ]
    projects = [
        {
            "title": p.title,
            "unit": str(p.unit),
            "community": str(p.community),
            "deadline": _d(p.deadline),
            "status": str(p.get_status_display()),
        }
        for p in Project.objects.filter(committee=committee)
        .exclude(status=ProjectStatus.RELEASED)
        .select_related("unit", "community")
        .order_by("pk")
    ]
    return {"needs": needs, "resources": resources, "projects": projects}


@transaction.atomic
def publish_lists(*, meeting: JointMeeting, actor: User | None) -> ListSnapshot:
    """Freeze the three lists as they stand, for this meeting; once per meeting."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise JointRuleBroken(_("This meeting was cancelled."))
    try:
        with transaction.atomic():
            snapshot = ListSnapshot.objects.create(
                meeting=meeting, data=_lists_now(meeting.committee)
            )
    except IntegrityError as exc:
        raise AlreadyPublished(_("The lists were already published at this meeting.")) from exc
    record_audit(actor=actor, action="joint.lists_published", target=meeting)
    return snapshot


# --- Year-end evaluation ------------------------------------------------------------------------


def unit_figures(committee: RegionalCommittee, year: int) -> dict[int, dict[str, int]]:
    """Per sitting unit: meetings held while it sat, attended, topics, claims taken and done."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    seats = RegionalMembership.objects.filter(committee=committee).during(start, end)
    held = list(
        JointMeeting.objects.filter(
            committee=committee, status=MeetingStatus.HELD, year=year
        ).values_list("pk", "scheduled_on")
    )
    figures: dict[int, dict[str, int]] = {}
    for seat in seats:
        expected = [pk for pk, day in held if seat.in_force_on(day)]
        figures[seat.unit_id] = {
            "meetings_expected": len(expected),
            "meetings_attended": Attendance.objects.filter(
                meeting_id__in=expected,
                unit_id=seat.unit_id,
                status__in=[AttendanceStatus.PRESENT, AttendanceStatus.DELEGATE],
            ).count(),
            "topics_submitted": TopicSubmission.objects.filter(
                meeting__committee=committee, meeting__year=year, unit_id=seat.unit_id
            ).count(),
            "claims_taken": Project.objects.filter(
                committee=committee, unit_id=seat.unit_id, created_at__year=year
            )
            .exclude(status=ProjectStatus.RELEASED)
            .count(),
            "claims_completed": Project.objects.filter(
                committee=committee,
                unit_id=seat.unit_id,
                created_at__year=year,
                status=ProjectStatus.DONE,
            ).count(),
        }
    return figures


@transaction.atomic
def evaluate_year(
    *, committee: RegionalCommittee, year: int, actor: User | None
) -> list[UnitEvaluation]:
    """Compute (or refresh) each member unit's figures for `year`, keeping the committee's own
    score and verdict."""
    if not 2000 <= year <= timezone.localdate().year:
        raise JointRuleBroken(
            _("An evaluation covers a year from 2000 to this year."), field="year"
        )
    evaluations = []
    for unit_id, numbers in unit_figures(committee, year).items():
        evaluation, _created = UnitEvaluation.objects.update_or_create(
            committee=committee, unit_id=unit_id, year=year, defaults=numbers
        )
        evaluations.append(evaluation)
    record_audit(
        actor=actor,
        action="joint.year_evaluated",
        target=committee,
        data={"year": year, "units": len(evaluations)},
    )
    return evaluations


@transaction.atomic
def judge_unit(
    *,
    evaluation: UnitEvaluation,
    score: int | None,
    commended: bool,
    failed_duties: bool,
    comment: str = "",
    actor: User | None,
) -> UnitEvaluation:
    """The committee's score and verdict on a unit; a unit is commended or failed, not both."""
    if commended and failed_duties:
        raise JointRuleBroken(
            _("A unit cannot be both commended and named as failing its duties."),
            field="commended",
        )
    if score is not None and not 0 <= score <= 100:
        raise JointRuleBroken(_("The score runs from 0 to 100."), field="score")
    if failed_duties and not comment.strip():
        raise JointRuleBroken(_("Say which duties the unit failed."), field="comment")
    evaluation.score = score
    evaluation.commended = commended
    evaluation.failed_duties = failed_duties
    evaluation.comment = comment.strip()
    evaluation.save()
    record_audit(
        actor=actor,
        action="joint.unit_judged",
        target=evaluation,
        data={"score": score, "commended": commended, "failed": failed_duties},
    )
    return evaluation
