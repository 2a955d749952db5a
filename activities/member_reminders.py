"""Reminders to each member (党员端): before the meetings they are expected at (the lead times of
`LocalSettings`, 24 h and 2 h by default) and before a make-up study falls due
(`MEMBER_MAKE_UP_REMIND_DAYS`), by the channels they have and have not turned off: an SMS to the
phone the branch holds (an account is not needed), an email to the bound account's address.

Found by a periodic scan, never by ETAs. Each reminder is claimed by a `MemberReminder` row: the
claims of a meeting are inserted in one statement (`INSERT … SELECT … ON CONFLICT DO NOTHING
RETURNING`), and only the members whose row this scan inserted get messages, in the same
transaction, so two scans running together send each reminder once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import OutgoingEmail, OutgoingSms
from activities.models import (
    LeaveRequest,
    LocalSettings,
    MakeUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberReminder,
    MemberReminderKind,
)
from branches.models import OrganizationKind
from committees.models import CommitteePosition
from config.celery import send_after_commit
from members.models import Member, MemberBinding, ReminderPreference


def roster_of(meeting: Meeting) -> QuerySet[Member]:
    """Who is expected at a planned meeting, as of today, minus those who asked for leave."""
    members = Member.objects.current()
    if meeting.organization.kind == OrganizationKind.PARTY_GROUP:
        members = members.filter(party_group_id=meeting.organization_id)
    elif meeting.kind == MeetingKind.COMMITTEE_MEETING:
        members = members.filter(
            pk__in=CommitteePosition.objects.filter(
                term__organization_id=meeting.organization_id,
                term__ended_on__isnull=True,
                ended_on__isnull=True,
            ).values("member_id")
        )
    else:
        members = members.filter(organization_id=meeting.organization_id)
    return members.exclude(
        pk__in=LeaveRequest.objects.filter(meeting=meeting, status="requested").values("member_id")
    )


def _claim(meeting_id: int, kind: str, hours: int, members: QuerySet[Member]) -> list[int]:
    """Insert the claims of `members` for one reminder; return the members newly claimed."""
    sql, params = (
        members.order_by().annotate(claim_member=F("pk")).values("claim_member").query
    ).sql_with_params()
    table = MemberReminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (meeting_id, member_id, kind, hours_before, created_at) "  # noqa: S608
            f"SELECT %s, roster.claim_member, %s, %s, %s FROM ({sql}) roster WHERE true "
            "ON CONFLICT DO NOTHING RETURNING member_id",
            [meeting_id, kind, hours, timezone.now(), *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _send(member_ids: Iterable[int], subject: str, body: str) -> int:
    """Queue one SMS and/or one email per member, in bulk, by the channels each has and keeps."""
    return send_to_members({member_id: (subject, body) for member_id in member_ids})


def send_to_members(messages: dict[int, tuple[str, str]]) -> int:
    """Queue each member's own (subject, body) by the channels they have and keep: one SMS to the
    phone the branch holds, one email to the bound account's address. One query for the
    channels, one insert per channel, whatever the number of members."""
    if not messages:
        return 0
    prefs = ReminderPreference.objects.filter(member=OuterRef("pk"))
    account_email = MemberBinding.objects.filter(member=OuterRef("pk"), status="active").values(
        "user__email"
    )[:1]
    rows = Member.objects.filter(pk__in=list(messages)).annotate(
        wants_sms=Subquery(prefs.values("sms")[:1]),
        wants_email=Subquery(prefs.values("email")[:1]),
        account_email=Subquery(account_email),
    )
    sms: list[OutgoingSms] = []
    emails: list[OutgoingEmail] = []
    for member_id, phone, wants_sms, address, wants_email in rows.values_list(
        "pk", "phone", "wants_sms", "account_email", "wants_email"
    ):
        subject, body = messages[member_id]
        if phone and wants_sms is not False:
            sms.append(OutgoingSms(to=phone, body=f"{subject}：{body}"[:500]))
        if address and wants_email is not False:
            emails.append(OutgoingEmail(to=address, subject=subject[:200], body=body))
    for message in OutgoingSms.objects.bulk_create(sms):
        send_after_commit("accounts.tasks.deliver_sms", message.pk)
    for message in OutgoingEmail.objects.bulk_create(emails):
        send_after_commit("accounts.tasks.deliver_email", message.pk)
    return len(sms) + len(emails)


def remind_members_of_meetings(*, now: dt.datetime | None = None) -> int:
    """Each member expected at a planned meeting is reminded once per lead time; a longer lead
    passed without a scan (the worker was down) is claimed silently, never sent late."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=4)
    ).select_related("organization")
    local_by_sub_district: dict[int, LocalSettings] = {}
    for meeting in meetings:
        sub_district_id = meeting.organization.sub_district_id
        local = local_by_sub_district.get(sub_district_id)
        if local is None:
            local = local_by_sub_district[sub_district_id] = LocalSettings.for_sub_district(
                sub_district_id
            )
        leads = sorted({local.first_reminder_hours, local.second_reminder_hours})
        due = [h for h in leads if meeting.starts_at - now <= dt.timedelta(hours=h)]
        if not due:
            continue
        roster = roster_of(meeting)
        with transaction.atomic():
            for longer in due[1:]:
                _claim(meeting.pk, MemberReminderKind.MEETING, longer, roster)
            claimed = _claim(meeting.pk, MemberReminderKind.MEETING, due[0], roster)
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
            sent += _send(claimed, subject, body)
    return sent


def remind_members_of_make_up(*, today: dt.date | None = None) -> int:
    """A member with a make-up study neither done nor reported, due within
    MEMBER_MAKE_UP_REMIND_DAYS, is reminded once."""
    today = today or timezone.localdate()
    tasks = MakeUpTask.objects.filter(
        done_on__isnull=True,
        reported_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=settings.MEMBER_MAKE_UP_REMIND_DAYS),
    ).select_related("meeting")
    sent = 0
    for task in tasks:
        with transaction.atomic():
            claimed = _claim(
                task.meeting_id,
                MemberReminderKind.MAKE_UP,
                0,
                Member.objects.filter(pk=task.member_id),
            )
            with translation.override("zh-hans"):
                subject = _("Make-up study due %(day)s") % {"day": task.due_on.isoformat()}
                body = _("%(topic)s: report it done on your member pages.") % {
                    "topic": task.meeting.topic
                }
            sent += _send(claimed, subject, body)
    return sent
