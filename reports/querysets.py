from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.jobs import JobQuerySet
from accounts.scope import ScopedQuerySet


class ExportJobQuerySet(JobQuerySet, ScopedQuerySet):
    """Jobs belong to the sub-district they report on; staff of that sub-district see them.
    Which jobs are stalled (queued and never started, or running with no sign of life) is
    `JobQuerySet.stalled`."""

    scope_sub_district_prefix = ""

    def finished(self) -> ExportJobQuerySet:
        return self.filter(status="done")

    def expired(self, *, now: dt.datetime | None = None) -> ExportJobQuerySet:
        return self.filter(status="done", expires_at__lt=now or timezone.now())


class ReportRecipientQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""
