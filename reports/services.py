"""Asking for, building, mailing and expiring report exports.

The job row is the unit of work. `request_export` writes it (or finds the one that exists) and
enqueues the build after commit; if the broker is down the periodic scan (`resume_stalled`)
hands it to a worker later. Claiming, retrying and resuming are `accounts.jobs` (`ExportJobs`
below says only what building one report means): two deliveries of the same message build it
once; a worker killed mid-way leaves the job "running" with a stale heartbeat, and the scan gives
it to another worker, which starts it again from the frozen figures. The file is written to an
anonymous temporary file and only attached to the job when complete, so a half-written file is
never served.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.jobs import JobRunner
from accounts.services import queue_email, record_audit
from branches.models import Organization, SubDistrict
from config.dbrouter import replica_reads
from config.periods import period_containing, quarter
from regional.models import RegionalCommittee
from reports.figures import build_figures
from reports.models import ExportFormat, ExportJob, JobStatus, ReportKind, ReportRecipient
from reports.scope import ReportScope
from reports.writers import WRITERS, write_pack


def scope_of(job: ExportJob) -> ReportScope:
    return ReportScope(
        sub_district=job.sub_district, organization=job.organization, committee=job.committee
    )


def check_quarter(year: int, number: int, *, today: dt.date | None = None) -> None:
    """A report is for a quarter that has started, from 2000 on."""
    today = today or timezone.localdate()
    if number not in (1, 2, 3, 4):
        raise DomainError(_("A quarter is numbered 1 to 4."))
    if year < 2000 or quarter(year, number).start > today:
        raise DomainError(_("Reports can only be made for quarters that have begun."))


def last_finished_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    current = period_containing(today, "quarter")
    previous = period_containing(current.start - dt.timedelta(days=1), "quarter")
    return previous.start.year, (previous.start.month - 1) // 3 + 1


def request_export(
    *,
    sub_district: SubDistrict,
    year: int,
    number: int,
    format: str,
    actor: Any | None,
    organization: Organization | None = None,
    committee: RegionalCommittee | None = None,
    new_version: bool = False,
    scheduled: bool = False,
) -> tuple[ExportJob, bool]:
    """The job for this report, and whether it was created now.

    Without `new_version`, the latest version is returned when one exists and has not failed
    or expired (asking twice gives one report). With it, a new version is built from the records
    as they are now; the old versions stay.
    """
    if format not in ExportFormat.values:
        raise DomainError(_("Choose the report pack, XLSX, DOCX or CSV."))
    check_quarter(year, number)
    if organization is not None and organization.sub_district_id != sub_district.pk:
        raise DomainError(_("The organisation is not in this sub-district."))
    if committee is not None and committee.sub_district_id != sub_district.pk:
        raise DomainError(_("The regional committee is not in this sub-district."))
    if organization is not None and committee is not None:
        raise DomainError(_("Choose an organisation or a regional committee, not both."))
    scope = ReportScope(sub_district=sub_district, organization=organization, committee=committee)
    key = {
        "kind": ReportKind.QUARTERLY,
        "scope_key": scope.key,
        "year": year,
        "quarter": number,
        "format": format,
    }
    with transaction.atomic():
        # One request at a time per report: the sub-district row is the lock.
        SubDistrict.objects.select_for_update().filter(pk=sub_district.pk).first()
        latest = ExportJob.objects.filter(**key).order_by("-version").first()
        usable = latest is not None and latest.status not in (JobStatus.FAILED, JobStatus.EXPIRED)
        if usable and not new_version:
            if scheduled and not latest.scheduled:
                ExportJob.objects.filter(pk=latest.pk).update(scheduled=True, expires_at=None)
                latest.refresh_from_db()
            return latest, False
        job = ExportJob.objects.create(
            **key,
            sub_district=sub_district,
            organization=organization,
            committee=committee,
            version=(latest.version + 1) if latest else 1,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
            scheduled=scheduled,
        )
        record_audit(
            actor=job.requested_by,
            action="report.requested",
            target=job,
            data={"scope": scope.key, "quarter": f"{year}Q{number}", "format": format},
        )
        enqueue(job)
    return job, True


def enqueue(job: ExportJob) -> None:
    from config.celery import send_after_commit

    send_after_commit("reports.tasks.build_export", job.pk)


class ExportJobs(JobRunner[ExportJob]):
    """Report files, built by `reports.tasks.build_export` (the life: `accounts.jobs`).

    The file is written to an anonymous temporary file and attached to the job only when
    complete, under the row lock, so a half-written file is never served; the figures are
    frozen on the job first, so a retry after a crash writes the same numbers."""

    model = ExportJob
    task_path = "reports.tasks.build_export"
    related = ("sub_district", "organization", "committee", "requested_by")

    def claim_fields(self, job: ExportJob) -> dict[str, Any]:
        return {"progress": 0}

    def gave_up_fields(self, job: ExportJob) -> dict[str, Any]:
        return {"error": job.error or _("The report could not be built.")}

    def run(self, job: ExportJob) -> None:
        with translation.override(job.language):
            figures = job.figures
            if not figures:
                # On the report replica when there is one, once it has replayed every save made
                # before this build started (config/dbrouter.py); writes stay on the primary.
                with replica_reads():
                    figures = build_figures(
                        scope_of(job), job.year, job.quarter, progress=lambda p: _progress(job, p)
                    )
            self.heartbeat(job, figures=figures)  # frozen: a retry writes the same numbers
            with tempfile.TemporaryFile() as handle:
                if job.format == ExportFormat.PACK:  # one job, one progress bar for the pack
                    write_pack(figures, handle, meta_of(job), progress=lambda p: _progress(job, p))
                else:
                    WRITERS[job.format](figures, handle, meta_of(job))
                _progress(job, 95)
                handle.seek(0)
                name = f"{job.pk}-{job.version}-{secrets.token_hex(8)}." + ExportFormat.extension(
                    job.format
                )
                with self.completing(job) as done:
                    done.file.save(name, File(handle), save=False)
                    done.file_size = done.file.size
                    done.progress = 100
                    done.expires_at = (
                        None
                        if done.scheduled
                        else done.finished_at + dt.timedelta(days=settings.REPORT_FILE_DAYS)
                    )

    def after(self, job: ExportJob) -> None:
        if job.scheduled:
            mail_report(job.pk)

    def scan(self, now: dt.datetime | None = None) -> int:
        count = super().scan(now)
        # Mails of finished scheduled reports that were not sent (the worker died in between).
        for job_id in ExportJob.objects.filter(
            status=JobStatus.DONE, scheduled=True, mailed_at__isnull=True
        ).values_list("pk", flat=True):
            mail_report(job_id)
        return count


EXPORT_JOBS = ExportJobs()


def _progress(job: ExportJob, percent: int) -> None:
    EXPORT_JOBS.heartbeat(job, progress=min(percent, 99))


def meta_of(job: ExportJob) -> dict[str, str]:
    requester = job.requested_by
    return {
        "version": str(job.version),
        "generated_at": timezone.localtime(job.started_at or timezone.now()).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "generated_by": (requester.get_full_name() or requester.get_username())
        if requester
        else _("Quarterly schedule"),
    }


def build_export(job_id: int) -> ExportJob | None:
    """Build one job's file; None when there was nothing to do (done, failed, or alive on
    another worker). Safe to call twice or after a crash: see `accounts.jobs`."""
    return EXPORT_JOBS.perform(job_id)


def mail_report(job_id: int) -> int:
    """Mail a finished scheduled report's link to the sub-district's recipients, once."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("sub_district")
            .filter(pk=job_id, status=JobStatus.DONE, mailed_at__isnull=True)
            .first()
        )
        if job is None:
            return 0
        recipients = list(
            ReportRecipient.objects.filter(sub_district=job.sub_district_id, is_active=True)
        )
        link = settings.PORTAL_URL + reverse("staff:report_download", args=[job.pk])
        with translation.override(job.language):
            subject = _("%(scope)s: report for %(year)s Q%(quarter)s is ready") % {
                "scope": job.scope_label,
                "year": job.year,
                "quarter": job.quarter,
            }
            body = _(
                "The quarterly report pack (%(format)s, version %(version)s) has been built.\n"
                "Sign in to download it: %(link)s\n"
            ) % {"format": job.get_format_display(), "version": job.version, "link": link}
        for recipient in recipients:
            queue_email(to=recipient.email, subject=subject, body=body)
        job.mailed_at = timezone.now()
        job.save(update_fields=["mailed_at"])
    return len(recipients)


def schedule_quarter(today: dt.date | None = None) -> list[ExportJob]:
    """The scheduled reports of the quarter that ended last, for every sub-district. Running it
    twice creates nothing new."""
    year, number = last_finished_quarter(today)
    jobs = []
    for sub_district in SubDistrict.objects.order_by("pk"):
        for format in settings.REPORT_SCHEDULED_FORMATS:
            with translation.override(settings.LANGUAGE_CODE):
                job, _created = request_export(
                    sub_district=sub_district,
                    year=year,
                    number=number,
                    format=format,
                    actor=None,
                    scheduled=True,
                )
            jobs.append(job)
    return jobs


def resume_stalled() -> int:
    """Hand stalled jobs (see `JobQuerySet.stalled`) to a worker again, and send the mails of
    finished scheduled reports that were not sent."""
    return EXPORT_JOBS.scan()


def remove_expired(now: dt.datetime | None = None) -> int:
    """Delete the files of expired on-demand reports; the job rows stay as the record."""
    count = 0
    for job in ExportJob.objects.expired(now=now):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.EXPIRED, file="", file_size=0, figures={}
        )
        count += 1
    return count


def record_download(job: ExportJob, user: Any) -> None:
    record_audit(
        actor=user,
        action="report.downloaded",
        target=job,
        data={"scope": job.scope_key, "quarter": f"{job.year}Q{job.quarter}"},
    )
