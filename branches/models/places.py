"""Places: district, sub-district, community or village, grid, compound, office building."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.querysets import CommunityQuerySet, PlaceQuerySet, SubDistrictQuerySet


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


class Grid(models.Model):
    """A grid (网格) of a community: the third level of sub-district → community → grid."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=60)
    leader_name = models.CharField(_("grid leader"), max_length=50, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.name}"


class Compound(models.Model):
    """A residential compound or courtyard (小区 / 楼院); some have no management body."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=60)
    has_management = models.BooleanField(_("has a management body"), default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("residential compound")
        verbose_name_plural = _("residential compounds")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """An office building or business district (楼宇 / 商圈)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("office building")
        verbose_name_plural = _("office buildings")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="building_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
