"""Export jobs: one row per report file asked for, by a person or by the quarterly schedule.

A job is the promise of a file. It is idempotent per (kind, scope, year, quarter, format, version):
asking again for a report that exists returns the existing job, and a retried or duplicated task
finds the job already claimed or done. The figures are frozen in `figures` when the job is built,
so the file never changes after; regenerating makes a new version and keeps the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.jobs import Job, JobLife
from reports.querysets import ExportJobQuerySet, ReportRecipientQuerySet


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly report pack")


class ExportFormat(models.TextChoices):
    # The pack is what a sub-district hands in: one job, one progress, one ZIP download.
    PACK = "pack", _("Report pack: XLSX, DOCX and CSV in one ZIP")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    DOCX = "docx", _("Word document (DOCX)")
    CSV = "csv", _("CSV files (ZIP)")

    @staticmethod
    def extension(format: str) -> str:
        return "zip" if format in (ExportFormat.CSV, ExportFormat.PACK) else format


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("File removed")


class ExportJob(Job):
    """A report file to build (`reports.services.EXPORT_JOBS` runs it): attempts, requested,
    started, last sign of life, finished and next attempt are the columns of `accounts.jobs.Job`.
    """

    job_life = JobLife(settings_prefix="REPORT")  # REPORT_MAX_ATTEMPTS, _STALE_SECONDS, …

    kind = models.CharField(
        _("report"), max_length=20, choices=ReportKind.choices, default=ReportKind.QUARTERLY
    )
    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("sub-district"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_jobs",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for the whole sub-district."),
    )
    committee = models.ForeignKey(
        "regional.RegionalCommittee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_jobs",
        verbose_name=_("regional committee"),
    )
    # "sd:<id>", "org:<id>" or "rc:<id>": one column for the uniqueness of the scope.
    scope_key = models.CharField(_("scope key"), max_length=30, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=200)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    scheduled = models.BooleanField(
        _("from the quarterly schedule"),
        default=False,
        help_text=_("Scheduled reports are mailed to the recipients and kept."),
    )
    error = models.TextField(_("error"), blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope_key", "year", "quarter", "format", "version"],
                name="export_job_unique_version",
            ),
            models.CheckConstraint(
                name="export_job_quarter_1_to_4",
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
            ),
            models.CheckConstraint(
                name="export_job_progress_percent", condition=Q(progress__lte=100)
            ),
            models.CheckConstraint(
                name="export_job_one_narrow_scope",
                condition=Q(organization__isnull=True) | Q(committee__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope_label} {self.year}Q{self.quarter} v{self.version} {self.format}"

    @property
    def scope_label(self) -> str:
        if self.committee_id:
            return str(self.committee)
        if self.organization_id:
            return str(self.organization)
        return str(self.sub_district)

    @property
    def filename(self) -> str:
        extension = ExportFormat.extension(self.format)
        return f"{self.scope_label}-{self.year}Q{self.quarter}-v{self.version}.{extension}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)


class ReportRecipient(models.Model):
    """Who receives a sub-district's scheduled quarterly report by email."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="report_recipients",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=60)
    email = models.EmailField(_("email"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReportRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        ordering = ["sub_district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "email"], name="report_recipient_unique_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
