"""Co-building units: the agencies, schools, hospitals and firms of a sub-district."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models.organizations import Sector
from branches.models.places import SubDistrict
from branches.querysets import CoBuildingUnitQuerySet


class UnitType(models.TextChoices):
    AGENCY = "agency", _("Agency")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOE = "soe", _("State-owned enterprise")
    PRIVATE_FIRM = "private_firm", _("Private firm")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisation")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    TROOP = "troop", _("Troop")
    OTHER = "other", _("Other")


class CoBuildingUnit(models.Model):
    """An agency, school, hospital or firm that builds with the sub-district (共建单位)."""

    sub_district = models.ForeignKey(
        SubDistrict,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=100)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    unit_type = models.CharField(
        _("unit type"), max_length=30, choices=UnitType.choices, default=UnitType.OTHER
    )
    party_organization_name = models.CharField(
        _("its party organisation"), max_length=100, blank=True
    )
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_units",
        verbose_name=_("liaison"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    resources = models.TextField(_("resources offered"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CoBuildingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-building unit")
        verbose_name_plural = _("co-building units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
