"""Telling each member once that the community reviewed a service they reported (or that was
recorded for them): approved, or rejected with the community's reason.

Found by a periodic scan (`selfservice.tasks.tell_members_of_reviews`), never sent from the
review itself, so a review is never slowed or failed by the outbox. The reviews of the last
REVIEW_NOTICE_DAYS not yet told are claimed in one statement (`INSERT … SELECT … ON CONFLICT DO
NOTHING RETURNING`), and only the services this scan claimed are told, in the same transaction:
two scans running together tell each review once. The member's channel choices apply (a review
is not a notice the rules require).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.member_reminders import send_to_members
from members.models import CommunityService, ReviewStatus
from selfservice.models import ServiceReviewNotice

REVIEW_NOTICE_DAYS = 7


def _claim(now: dt.datetime) -> list[int]:
    reviewed = (
        CommunityService.objects.exclude(status=ReviewStatus.PENDING)
        .filter(reviewed_at__gte=now - dt.timedelta(days=REVIEW_NOTICE_DAYS))
        .exclude(Exists(ServiceReviewNotice.objects.filter(service_id=OuterRef("pk"))))
        .order_by()
        .annotate(claim_service=F("pk"))
        .values("claim_service")
    )
    sql, params = reviewed.query.sql_with_params()
    table = ServiceReviewNotice._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (service_id, created_at) "  # noqa: S608
            f"SELECT reviewed.claim_service, %s FROM ({sql}) reviewed WHERE true "
            "ON CONFLICT DO NOTHING RETURNING service_id",
            [now, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def tell_members_of_reviews(*, now: dt.datetime | None = None) -> int:
    """Claim and tell the reviews not yet told; the number of messages queued."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = _claim(now)
        if not claimed:
            return 0
        messages: dict[int, tuple[str, str]] = {}
        services = CommunityService.objects.filter(pk__in=claimed).select_related("community")
        with translation.override("zh-hans"):
            for service in services.order_by("served_on", "pk"):
                if service.status == ReviewStatus.APPROVED:
                    subject = _("Your community service was approved")
                    body = _("%(community)s approved your service of %(day)s: %(what)s.") % {
                        "community": service.community.name,
                        "day": service.served_on.isoformat(),
                        "what": service.description,
                    }
                else:
                    subject = _("Your community service was not approved")
                    body = _(
                        "%(community)s did not approve your service of %(day)s: %(reason)s"
                    ) % {
                        "community": service.community.name,
                        "day": service.served_on.isoformat(),
                        "reason": service.review_reason,
                    }
                if service.member_id in messages:  # several reviews at once: one message
                    earlier_subject, earlier_body = messages[service.member_id]
                    body = f"{earlier_body}\n{body}"
                    subject = _("Your community services were reviewed")
                messages[service.member_id] = (subject, body)
        return send_to_members(messages)
