"""Reminders of joint meetings and action item deadlines, each sent once.

A periodic scan finds due rows; the claim is a conditional UPDATE of `reminder_sent_at` from NULL,
so a second scan, or two workers at once, cannot send the same reminder twice. The emails are
queued in the same transaction as the claim (the outbox delivers them after commit).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import queue_email
from regional.models import ActionItem, ActionStatus, JointMeeting, MeetingStatus
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
