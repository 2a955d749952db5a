"""Warnings before a period closes with a required meeting missing, and reminders before
planned meetings. Found by periodic scans; each is claimed by a unique row, so it goes out once
even if the scan runs twice or a worker dies after claiming (the claim and the queued messages
commit together)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.channels import queue_webhook
from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import queue_email
from activities.compliance import checks_for
from activities.models import (
    BranchChannel,
    LocalSettings,
    Meeting,
    MeetingReminder,
    MeetingStatus,
    PeriodWarning,
)
from branches.models import Organization, OrganizationKind


def _lineage(organization: Organization) -> list[str]:
    steplen = organization.steplen
    return [organization.path[:end] for end in range(steplen, len(organization.path) + 1, steplen)]


def _secretary_emails(organization: Organization) -> list[str]:
    """Secretaries of the organisation or of any organisation above it."""
    return sorted(
        set(
            RoleAssignment.objects.filter(
                role=Role.SECRETARY,
                is_active=True,
                user__is_active=True,
                organization__path__in=_lineage(organization),
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _channels(organization: Organization) -> list[tuple[str, str]]:
    """The robots of the organisation and those above it: (address, sealed signing secret)."""
    return list(
        BranchChannel.objects.filter(
            is_active=True, organization__path__in=_lineage(organization)
        ).values_list("url", "signing_secret")
    )


def _notify(organization: Organization, subject: str, body: str) -> None:
    for email in _secretary_emails(organization):
        queue_email(to=email, subject=subject, body=body)
    for url, sealed_secret in _channels(organization):
        queue_webhook(url=url, text=f"{subject}\n{body}", sealed_secret=sealed_secret)


def warn_missing_meetings(*, today: dt.date | None = None) -> int:
    """Warn the secretary when a period is about to close with a required meeting missing."""
    today = today or timezone.localdate()
    organizations = list(
        Organization.objects.active().filter(
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.PARTY_GROUP]
        )
    )
    by_pk = {org.pk: org for org in organizations}
    settings_by_sub_district: dict[int, LocalSettings] = {}
    sent = 0
    for check in checks_for(organizations, today, today, today):
        if check.met:
            continue
        org = by_pk[check.organization_id]
        local = settings_by_sub_district.get(org.sub_district_id)
        if local is None:
            local = settings_by_sub_district[org.sub_district_id] = LocalSettings.for_sub_district(
                org.sub_district_id
            )
        if check.period.days_left(today) > local.warn_days_before_close:
            continue
        try:
            with transaction.atomic():
                PeriodWarning.objects.create(
                    organization=org, rule=check.rule, period_start=check.period.start
                )
                with translation.override("zh-hans"):
                    subject = _("%(org)s: %(kind)s not yet held this period") % {
                        "org": org.name,
                        "kind": check.label,
                    }
                    body = _(
                        "The period %(period)s ends on %(end)s; %(held)d of %(required)d "
                        "required so far. Please plan it before the period closes."
                    ) % {
                        "period": check.period.label,
                        "end": check.period.end.isoformat(),
                        "held": check.held,
                        "required": check.required,
                    }
                _notify(org, subject, body)
        except IntegrityError:
            continue
        sent += 1
    return sent


def remind_upcoming_meetings(*, now: dt.datetime | None = None) -> int:
    """Remind before planned meetings: the first and second lead times are local settings."""
    now = now or timezone.now()
    sent = 0
    horizon = now + dt.timedelta(hours=72)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=horizon
    ).select_related("organization")
    for meeting in meetings:
        local = LocalSettings.for_sub_district(meeting.organization.sub_district_id)
        leads = sorted({local.first_reminder_hours, local.second_reminder_hours})
        due = [h for h in leads if meeting.starts_at - now <= dt.timedelta(hours=h)]
        if not due:
            continue
        sent += _remind(meeting, min(due), [h for h in leads if h > min(due)], now)
    return sent


def _remind(meeting: Meeting, lead: int, skipped: Iterable[int], now: dt.datetime) -> int:
    try:
        with transaction.atomic():
            MeetingReminder.objects.create(meeting=meeting, hours_before=lead)
            for longer in skipped:  # a longer lead never sent is moot now
                MeetingReminder.objects.get_or_create(meeting=meeting, hours_before=longer)
            with translation.override("zh-hans"):
                starts = timezone.localtime(meeting.starts_at)
                subject = _("Reminder: %(kind)s at %(time)s") % {
                    "kind": meeting.kind_label,
                    "time": starts.strftime("%m-%d %H:%M"),
                }
                body = _("%(org)s, %(topic)s, at %(place)s.") % {
                    "org": meeting.organization.name,
                    "topic": meeting.topic,
                    "place": meeting.place or "—",
                }
            _notify(meeting.organization, subject, body)
    except IntegrityError:
        return 0
    return 1
