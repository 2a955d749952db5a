"""The local figures of branch structure a sub-district sets for itself (RULES.md "Branch
structure": 总支 50–100 members and grassroots 党委 from 100 are local for communities)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import ScopedQuerySet


class StructureSettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class StructureSettings(models.Model):
    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="structure_settings",
        verbose_name=_("sub-district"),
    )
    general_branch_min_members = models.PositiveSmallIntegerField(
        _("general branch: at least this many members"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    general_branch_max_members = models.PositiveSmallIntegerField(
        _("general branch: at most this many members"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    committee_min_members = models.PositiveSmallIntegerField(
        _("grassroots party committee: at least this many members"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StructureSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure settings")
        verbose_name_plural = _("structure settings")
        constraints = [
            models.CheckConstraint(
                name="structure_settings_general_branch_range",
                condition=Q(general_branch_max_members__gte=F("general_branch_min_members")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.sub_district)
