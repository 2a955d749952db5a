"""Dues reminders through the outbox: the month's bill (to the member, on the sub-district's
reminder day) and three months unpaid (to the member and to the branch's secretaries).

The claim is a unique `DuesReminder` row per member, month and kind, inserted set-based with
`ON CONFLICT DO NOTHING RETURNING`, so a second scan or a second worker claims nothing twice; the
messages are outbox rows written in the same transaction (bulk), handed to workers after commit,
and picked up by the outbox's scan if the broker was down.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import OutgoingEmail, OutgoingSms, RoleAssignment
from accounts.roles import Role
from config.celery import send_after_commit
from dues import rules
from members.models import Member

_CLAIM_BILL_DUE = """
INSERT INTO dues_duesreminder (member_id, month, kind, created_at)
SELECT b.member_id, b.month, 'bill_due', %(now)s
  FROM dues_duesbill b
  JOIN branches_organization o ON o.id = b.organization_id
  LEFT JOIN dues_duessettings s ON s.sub_district_id = o.sub_district_id
 WHERE b.month = %(month)s AND b.paid_on IS NULL AND COALESCE(s.reminder_day, 20) <= %(day)s
ON CONFLICT (member_id, month, kind) DO NOTHING
RETURNING member_id
"""

_CLAIM_THREE_MONTHS = """
INSERT INTO dues_duesreminder (member_id, month, kind, created_at)
SELECT b.member_id, %(month)s, 'three_months', %(now)s
  FROM dues_duesbill b
 WHERE b.paid_on IS NULL AND b.month < %(month)s
 GROUP BY b.member_id
HAVING COUNT(*) >= %(count)s
ON CONFLICT (member_id, month, kind) DO NOTHING
RETURNING member_id
"""


def _claim(sql: str, params: dict) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _queue_sms(messages: list[tuple[str, str]]) -> None:
    rows = OutgoingSms.objects.bulk_create(OutgoingSms(to=to, body=body) for to, body in messages)
    for row in rows:
        send_after_commit("accounts.tasks.deliver_sms", row.pk)


@transaction.atomic
def send_dues_reminders(*, today: dt.date | None = None) -> int:
    """Claim and queue today's reminders; returns how many members were newly reminded."""
    today = today or timezone.localdate()
    month = rules.month_start(today)
    params = {
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "month": month,
        "day": today.day,
    }
    due = _claim(_CLAIM_BILL_DUE, params)
    late = _claim(_CLAIM_THREE_MONTHS, {**params, "count": rules.REMIND_AFTER_MONTHS})
    members = Member.objects.filter(pk__in=[*due, *late]).select_related("organization")
    by_pk = {m.pk: m for m in members}
    sms: list[tuple[str, str]] = []
    late_by_branch: dict[int, list[Member]] = defaultdict(list)
    with translation.override("zh-hans"):
        for pk in due:
            member = by_pk[pk]
            if member.phone:
                sms.append(
                    (
                        member.phone,
                        _(
                            "%(name)s, your party dues for %(month)s are due; pay your branch "
                            "secretary or by transfer with your reference code."
                        )
                        % {"name": member.full_name, "month": f"{month:%Y-%m}"},
                    )
                )
        for pk in late:
            member = by_pk[pk]
            late_by_branch[member.organization_id].append(member)
            if member.phone:
                sms.append(
                    (
                        member.phone,
                        _(
                            "%(name)s, your party dues are unpaid for three months or more; please "
                            "pay them with your branch secretary."
                        )
                        % {"name": member.full_name},
                    )
                )
        _queue_sms(sms)
        if late_by_branch:
            emails = []
            secretaries = (
                RoleAssignment.objects.filter(
                    Q(role=Role.SECRETARY, organization_id__in=list(late_by_branch)),
                    is_active=True,
                    user__is_active=True,
                )
                .exclude(user__email="")
                .values_list("organization_id", "user__email")
            )
            for organization_id, email in secretaries:
                names = "、".join(m.full_name for m in late_by_branch[organization_id])
                emails.append(
                    OutgoingEmail(
                        to=email,
                        subject=_("Party dues unpaid for three months"),
                        body=_(
                            "These members of your branch have not paid dues for three months "
                            "or more: %(names)s."
                        )
                        % {"names": names},
                    )
                )
            for row in OutgoingEmail.objects.bulk_create(emails):
                send_after_commit("accounts.tasks.deliver_email", row.pk)
    return len(due) + len(late)
