"""Export templates of upper-level systems: a blank XLSX, its columns mapped once to portal
fields, saved as immutable versions; and the code tables the mappings read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import Scope, ScopedQuerySet


class SubDistrictOwned(ScopedQuerySet):
    scope_sub_district_prefix = ""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q()


class ExportTemplateQuerySet(SubDistrictOwned):
    def current(self) -> ExportTemplateQuerySet:
        return self.filter(is_current=True)


class Roster(models.TextChoices):
    MEMBERS = "members", _("Party members")
    VOLUNTEERS = "volunteers", _("Volunteers with hours")
    REGISTRATIONS = "registrations", _("In-service members registered in communities")


class ExportTemplate(models.Model):
    """One version of a template: the blank workbook as uploaded, its headings, and the mapping
    of each column (index → portal field and transform). A changed mapping is a new version
    (`version` + 1, same `family`); older versions stay, read-only, for the record."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="export_templates",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=80)
    roster = models.CharField(_("roster"), max_length=20, choices=Roster.choices)
    family = models.UUIDField(_("template"), editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    workbook = models.BinaryField(_("blank workbook"))
    file_name = models.CharField(_("file name"), max_length=120)
    headers = models.JSONField(_("column headings"), default=list)
    mapping = models.JSONField(_("mapping"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ExportTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("export template")
        verbose_name_plural = _("export templates")
        ordering = ["sub_district", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="export_template_version"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="export_template_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class CodeTable(models.TextChoices):
    EDUCATION = "education", _("Education")
    ETHNICITY = "ethnicity", _("Ethnicity")
    GENDER = "gender", _("Gender")


class CodeEntry(models.Model):
    """The upper system's code for a portal value (education 'college' → '31', say), per
    sub-district: the codes are the upper system's, and each sub-district reports to its own."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="export_codes",
        verbose_name=_("sub-district"),
    )
    table = models.CharField(_("code table"), max_length=20, choices=CodeTable.choices)
    value = models.CharField(_("portal value"), max_length=40)
    code = models.CharField(_("code"), max_length=20)

    objects = SubDistrictOwned.as_manager()

    class Meta:
        verbose_name = _("export code")
        verbose_name_plural = _("export codes")
        ordering = ["sub_district", "table", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "table", "value"], name="export_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()}: {self.value} → {self.code}"
