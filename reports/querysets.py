from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from accounts.scope import ScopedQuerySet


class ExportJobQuerySet(ScopedQuerySet):
    """Jobs belong to the sub-district they report on; staff of that sub-district see them."""

    scope_sub_district_prefix = ""

    def finished(self) -> ExportJobQuerySet:
        return self.filter(status="done")

    def stalled(self, *, now: dt.datetime | None = None) -> ExportJobQuerySet:
        """Jobs a worker should have finished by now: queued and never started (the broker was
        down or the message was lost), or running with no sign of life (the worker died)."""
        from django.conf import settings

        now = now or timezone.now()
        queued_before = now - dt.timedelta(seconds=settings.REPORT_QUEUED_GRACE_SECONDS)
        silent_since = now - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS)
        return self.filter(
            Q(status="queued", created_at__lt=queued_before)
            | Q(status="running", heartbeat_at__lt=silent_since)
        )

    def expired(self, *, now: dt.datetime | None = None) -> ExportJobQuerySet:
        return self.filter(status="done", expires_at__lt=now or timezone.now())


class ReportRecipientQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""
