"""Large imports run by a worker, never in the request (the design of `reports` export jobs).

A roster or an in-service registration file that the reader (`members.tabular`) finds to hold
more than `IMPORT_SYNC_MAX_ROWS` rows is stored privately as an `ImportJob` and checked and
written by `run_import_job` in a Celery task; the page polls the job. Invariants:

- enqueued only after the job row commits; when the broker is down the request still succeeds
  and `resume_stalled_imports` (beat) hands the job to a worker later;
- safe to run twice: a job is claimed as `accounts.jobs` claims every job (queued, or running
  with no sign of life for `IMPORT_STALE_SECONDS`); the import writes its members and marks the
  job done in one transaction, so a crash leaves either both or neither;
- a refused file (`ImportRejected`) is a result, recorded with its errors and never retried; an
  unexpected error is retried by the scan, after a backoff, up to `IMPORT_MAX_ATTEMPTS` times;
- the stored file holds ID-card numbers: it is deleted as soon as the job ends.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.jobs import JobRunner
from accounts.models import User
from accounts.services import record_audit
from members import roster, tabular
from members.errors import ImportRejected
from members.models import ImportJob, ImportJobKind


def needs_job(upload: BinaryIO, *, name: str, width: int) -> bool:
    """Whether the file holds more data rows than a request may check (`IMPORT_SYNC_MAX_ROWS`).

    Reads at most that many rows (plus the empty-row run), so the answer costs little; a broken
    or hostile file is refused here, in the request, with the reader's message."""
    limit = settings.IMPORT_SYNC_MAX_ROWS
    try:
        with tabular.open_table(upload, name=name, width=width) as table:
            for count, _row in enumerate(table.rows(), start=1):
                if count > limit:
                    return True
        return False
    except ImportRejected as exc:
        # A formula is reported with every other formula by the import itself; anything else
        # (unreadable, over budget) is final.
        if exc.errors:
            return False
        raise
    finally:
        upload.seek(0)


@transaction.atomic
def queue_import(
    *,
    actor: User,
    kind: str,
    upload: BinaryIO,
    name: str,
    params: dict[str, Any] | None = None,
) -> ImportJob:
    """Store the file and queue its import; the caller shows the job's page. `params` are the
    import's other arguments as plain values (primary keys, texts)."""
    job = ImportJob.objects.create(
        kind=kind,
        params=params or {},
        file_name=name[:200],
        requested_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    suffix = ".csv" if tabular.looks_like_csv(name) else ".xlsx"
    job.file.save(f"{job.pk}-{secrets.token_hex(8)}{suffix}", File(upload), save=False)
    job.save(update_fields=["file"])
    record_audit(actor=actor, action="member.import_queued", target=job, data={"kind": kind})
    enqueue(job)
    return job


def enqueue(job: ImportJob) -> None:
    from config.celery import send_after_commit

    send_after_commit("members.tasks.run_import_job", job.pk)


class ImportJobs(JobRunner[ImportJob]):
    """Large imports, run by `members.tasks.run_import_job` (the life: `accounts.jobs`)."""

    model = ImportJob
    task_path = "members.tasks.run_import_job"
    final_errors = (ImportRejected,)
    related = ("requested_by",)

    def run(self, job: ImportJob) -> None:
        def written(created: int) -> None:
            # Inside the import's transaction: the members and the job's end commit together.
            with self.completing(job) as done:
                done.created_count = created
                done.rows_checked = max(done.rows_checked, created)
                done.errors = []

        with translation.override(job.language), job.file.storage.open(job.file.name) as handle:
            _IMPORTERS[job.kind](job, handle, written)

    def error_text(self, exc: BaseException) -> str:
        return exc.__class__.__name__  # the message may quote the file's cells (ID numbers)

    def failure_fields(self, job: ImportJob, exc: Exception, *, final: bool) -> dict[str, Any]:
        return self.gave_up_fields(job) if final else {"message": self.error_text(exc)}

    def refused_fields(self, job: ImportJob, exc: Exception) -> dict[str, Any]:
        rejected = cast(ImportRejected, exc)
        return {"message": rejected.message, "errors": rejected.errors}

    def gave_up_fields(self, job: ImportJob) -> dict[str, Any]:
        return {"message": _("The file could not be read.")}

    def ended(self, job: ImportJob) -> None:
        if job.file:
            # The file holds ID-card numbers: gone once the job's end is committed.
            name, storage = job.file.name, job.file.storage
            transaction.on_commit(lambda: storage.delete(name))
            job.file = ""


IMPORT_JOBS = ImportJobs()


def _progress(job: ImportJob, rows: int) -> None:
    IMPORT_JOBS.heartbeat(job, rows_checked=rows)


def run_import_job(job_id: int) -> ImportJob | None:
    """Check and write one queued import; None when there was nothing to do. Safe to call twice
    or after a crash."""
    return IMPORT_JOBS.perform(job_id)


def _import_roster(job: ImportJob, handle: BinaryIO, written: Callable[[int], None]) -> None:
    roster.import_roster(
        actor=job.requested_by,
        upload=handle,
        name=job.file_name,
        progress=lambda rows: _progress(job, rows),
        on_written=written,
    )


def _import_registrations(job: ImportJob, handle: BinaryIO, written: Callable[[int], None]) -> None:
    from branches.models import CoBuildingUnit, Organization
    from members.inservice import services as inservice

    params = job.params
    unit_id, organization_id = params.get("employer_unit"), params.get("employer_organization")
    inservice.import_registrations(
        actor=job.requested_by,
        upload=handle,
        size=None,
        name=job.file_name,
        employer_name=params.get("employer_name", ""),
        employer_unit=CoBuildingUnit.objects.filter(pk=unit_id).first() if unit_id else None,
        employer_organization=(
            Organization.objects.filter(pk=organization_id).first() if organization_id else None
        ),
        on_written=written,
    )


_IMPORTERS: dict[str, Callable[[ImportJob, BinaryIO, Callable[[int], None]], None]] = {
    ImportJobKind.ROSTER: _import_roster,
    ImportJobKind.REGISTRATIONS: _import_registrations,
}


def stalled(now: dt.datetime | None = None) -> QuerySet[ImportJob]:
    """Queued and never started (the broker was down), or running with no sign of life."""
    return ImportJob.objects.stalled(now=now)


def resume_stalled_imports(now: dt.datetime | None = None) -> int:
    """Hand stalled jobs to a worker again (the periodic scan)."""
    return IMPORT_JOBS.scan(now)
