"""Reminders of joint meetings and action item deadlines, each sent once; warnings when a
committee's quarter is closing with its joint meetings not held, once per committee and quarter.

A periodic scan finds due rows; the claim is a conditional UPDATE of `reminder_sent_at` from NULL,
so a second scan, or two workers at once, cannot send the same reminder twice. The emails are
queued in the same transaction as the claim (the outbox delivers them after commit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import queue_email
from activities.models import LocalSettings
from config.periods import Period, period_containing, quarter
from regional.models import (
    ActionItem,
    ActionStatus,
    JointMeeting,
    JointMeetingWarning,
    MeetingStatus,
    RegionalCommittee,
)
from regional.rules import joint_meetings_owed
from regional.services.joint import settings_for

LONGEST_LEAD_DAYS = 60
# An item found overdue is reminded once; one overdue for longer than this when the scan first
# sees it (history loaded from paper, a scan that was down) is left to the meetings' agendas.
OVERDUE_WINDOW_DAYS = 30


def _liaison_emails(unit_ids: list[int]) -> list[str]:
    emails = (
        RoleAssignment.objects.filter(
            is_active=True, user__is_active=True, role=Role.UNIT_LIAISON, unit_id__in=unit_ids
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def _community_emails(community_id: int) -> list[str]:
    emails = (
        RoleAssignment.objects.filter(
            is_active=True,
            user__is_active=True,
            role=Role.SECRETARY,
            organization__communities__id=community_id,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def _render(name: str, context: dict) -> tuple[str, str]:
    with translation.override("zh-hans"):
        subject = render_to_string(f"branches/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"branches/email/{name}_body.txt", context)
    return subject, body


def send_joint_reminders(*, today: dt.date | None = None) -> int:
    """Queue the meeting and action item reminders due today; returns how many were claimed."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    meetings = JointMeeting.objects.filter(
        status=MeetingStatus.PLANNED,
        reminder_sent_at__isnull=True,
        scheduled_on__gte=today,
        scheduled_on__lte=today + dt.timedelta(days=LONGEST_LEAD_DAYS),
    ).select_related("committee")
    for meeting in meetings:
        lead = settings_for(meeting.committee.sub_district_id).meeting_reminder_days
        if (meeting.scheduled_on - today).days > lead:
            continue
        with transaction.atomic():
            claimed = JointMeeting.objects.filter(
                pk=meeting.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed != 1:
                continue
            unit_ids = list(
                meeting.committee.memberships.on(meeting.scheduled_on).values_list(
                    "unit_id", flat=True
                )
            )
            subject, body = _render("joint_meeting", {"meeting": meeting})
            for email in _liaison_emails(unit_ids):
                queue_email(to=email, subject=subject, body=body)
        sent += 1
    items = (
        ActionItem.objects.filter(
            reminder_sent_at__isnull=True,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=LONGEST_LEAD_DAYS),
        )
        .filter(~Q(status=ActionStatus.DONE))
        .select_related("resolution__meeting__committee", "owner_unit", "owner_community")
    )
    for item in items:
        committee = item.resolution.meeting.committee
        lead = settings_for(committee.sub_district_id).action_reminder_days
        if (item.deadline - today).days > lead:
            continue
        with transaction.atomic():
            claimed = ActionItem.objects.filter(pk=item.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed != 1:
                continue
            if item.owner_unit_id:
                emails = _liaison_emails([item.owner_unit_id])
            else:
                emails = _community_emails(item.owner_community_id)
            subject, body = _render("action_item_due", {"item": item, "committee": committee})
            for email in emails:
                queue_email(to=email, subject=subject, body=body)
        sent += 1
    sent += _send_overdue_reminders(today=today, now=now)
    return sent


def _owner_emails(item: ActionItem) -> list[str]:
    if item.owner_unit_id:
        return _liaison_emails([item.owner_unit_id])
    return _community_emails(item.owner_community_id)


def _send_overdue_reminders(*, today: dt.date, now: dt.datetime) -> int:
    """Once the deadline has passed with the item not done, its owner is told once."""
    sent = 0
    items = (
        ActionItem.objects.filter(
            overdue_reminder_sent_at__isnull=True,
            deadline__lt=today,
            deadline__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS),
        )
        .filter(~Q(status=ActionStatus.DONE))
        .select_related("resolution__meeting__committee", "owner_unit", "owner_community")
    )
    for item in items:
        with transaction.atomic():
            claimed = ActionItem.objects.filter(
                pk=item.pk, overdue_reminder_sent_at__isnull=True
            ).update(overdue_reminder_sent_at=now)
            if claimed != 1:
                continue
            committee = item.resolution.meeting.committee
            subject, body = _render("action_item_overdue", {"item": item, "committee": committee})
            for email in _owner_emails(item):
                queue_email(to=email, subject=subject, body=body)
        sent += 1
    return sent


@dataclass(frozen=True)
class QuarterStatus:
    """Where a committee stands with the joint meetings its quarter owes, on `today`."""

    quarter: Period
    window_start: dt.date  # meetings held from here count (an earlier quarter may share the due)
    owed: int
    held: int

    @property
    def short(self) -> bool:
        return self.held < self.owed

    def days_left(self, today: dt.date) -> int:
        return self.quarter.days_left(today)


def quarter_statuses(
    committees: list[RegionalCommittee], today: dt.date
) -> dict[int, QuarterStatus]:
    """Each committee's quarter on `today`: the meetings owed by its end (the sub-district's
    `meetings_per_year`, `regional.rules.joint_meetings_owed`) and those held since the window
    opened. One grouped query for the meetings held, one per sub-district for its settings."""
    current = period_containing(today, "quarter")
    number = (current.start.month - 1) // 3 + 1
    windows: dict[int, tuple[int, dt.date]] = {}
    per_year: dict[int, int] = {}
    for committee in committees:
        if committee.sub_district_id not in per_year:
            per_year[committee.sub_district_id] = settings_for(
                committee.sub_district_id
            ).meetings_per_year
        owed, first = joint_meetings_owed(per_year[committee.sub_district_id], number)
        windows[committee.pk] = (owed, quarter(today.year, first).start)
    earliest = min((start for _owed, start in windows.values()), default=current.start)
    held_on = (
        JointMeeting.objects.filter(
            committee__in=[c.pk for c in committees],
            status=MeetingStatus.HELD,
            scheduled_on__gte=earliest,
            scheduled_on__lte=current.end,
        )
        .values_list("committee_id", "scheduled_on")
        .order_by()
    )
    held: dict[int, int] = {}
    for committee_id, day in held_on:
        if day >= windows[committee_id][1]:
            held[committee_id] = held.get(committee_id, 0) + 1
    return {
        pk: QuarterStatus(quarter=current, window_start=start, owed=owed, held=held.get(pk, 0))
        for pk, (owed, start) in windows.items()
    }


def _staff_emails(sub_district_id: int) -> list[str]:
    emails = (
        RoleAssignment.objects.filter(
            is_active=True,
            user__is_active=True,
            role=Role.SUB_DISTRICT_STAFF,
            sub_district_id=sub_district_id,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def warn_missing_joint_meetings(*, today: dt.date | None = None) -> int:
    """Warn, as a committee's quarter is about to close, when the joint meetings it owes are not
    held: as many days ahead as branch compliance warns (the sub-district's
    `warn_days_before_close`). Sent once per committee and quarter: the unique
    `JointMeetingWarning` row is the claim, committed with the queued emails (sub-district staff
    and the secretaries of the committee's communities)."""
    today = today or timezone.localdate()
    committees = list(RegionalCommittee.objects.order_by("pk"))
    statuses = quarter_statuses(committees, today)
    lead: dict[int, int] = {}
    sent = 0
    for committee in committees:
        status = statuses[committee.pk]
        if not status.short:
            continue
        if committee.sub_district_id not in lead:
            lead[committee.sub_district_id] = LocalSettings.for_sub_district(
                committee.sub_district_id
            ).warn_days_before_close
        if status.days_left(today) > lead[committee.sub_district_id]:
            continue
        try:
            with transaction.atomic():
                JointMeetingWarning.objects.create(
                    committee=committee,
                    period_start=status.quarter.start,
                    owed=status.owed,
                    held=status.held,
                )
                context = {"committee": committee, "status": status}
                subject, body = _render("joint_meeting_missing", context)
                emails = set(_staff_emails(committee.sub_district_id))
                for community_id in committee.communities.values_list("pk", flat=True):
                    emails.update(_community_emails(community_id))
                for email in sorted(emails):
                    queue_email(to=email, subject=subject, body=body)
        except IntegrityError:
            continue  # warned already (a second scan, or another worker just now)
        sent += 1
    return sent
