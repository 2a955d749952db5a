"""The regional committee's yearly work report (年度工作报告): figures assembled from the records,
a narrative written by staff, a draft until submitted, then frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regional.models.committees import RegionalCommittee
from regional.querysets import WorkReportQuerySet


class WorkReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("work report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("work report", "Submitted")


class WorkReport(models.Model):
    """One committee's report on one year. While a draft, its figures are reassembled on every
    save; once submitted, figures and narrative are frozen (the services refuse any change)."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="work_reports",
        verbose_name=_("regional committee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dated = models.DateField(_("report date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WorkReportStatus.choices,
        default=WorkReportStatus.DRAFT,
    )
    figures = models.JSONField(_("figures"), default=dict)
    summary = models.TextField(_("summary of the year's work"), blank=True)
    next_year_plan = models.TextField(_("plan for next year"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WorkReportQuerySet.as_manager()

    class Meta:
        db_table = "branches_workreport"
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")
        ordering = ["committee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="work_report_once_a_year"),
            models.CheckConstraint(
                name="work_report_submitted_is_dated",
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.status == WorkReportStatus.SUBMITTED
