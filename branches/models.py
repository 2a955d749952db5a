"""The first models of the organisation tree: places and party organisations.

The organisation issue grows these (committees, restructuring with history, places below the
community); scope (`accounts.scope`) already rests on them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from branches.querysets import (
    CoBuildingUnitQuerySet,
    CommunityQuerySet,
    OrganizationQuerySet,
    SubDistrictQuerySet,
)


class District(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubDistrict(models.Model):
    """The unit that runs the portal; one deployment may host several."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="sub_districts", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SubDistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="sub_district_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CommunityKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")


class Community(models.Model):
    """A residential community (社区, with its residents' committee) or a village (村)."""

    sub_district = models.ForeignKey(
        SubDistrict,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CommunityKind.choices, default=CommunityKind.COMMUNITY
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["sub_district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="community_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    WORK_COMMITTEE = "work_committee", _("Party working committee")
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    PARTY_GROUP = "party_group", _("Party group")


class Sector(models.TextChoices):
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    NON_PUBLIC_ENTERPRISE = "non_public_enterprise", _("Non-public enterprise")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisation")
    BUILDING = "building", _("Building or business district")
    AGENCY = "agency", _("Agency")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    STATE_OWNED_ENTERPRISE = "soe", _("State-owned enterprise")
    MOBILE = "mobile", _("Mobile members")
    RETIREES = "retirees", _("Retirees")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> OrganizationQuerySet:
        # treebeard's manager builds its own queryset class; keep ours, in tree order.
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A party organisation: one node of the tree under a sub-district's working committee."""

    sub_district = models.ForeignKey(
        SubDistrict,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    is_temporary = models.BooleanField(_("temporary"), default=False)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="organization_temporary_has_end",
                condition=Q(is_temporary=False) | Q(ends_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


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
