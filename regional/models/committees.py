"""Regional party building: regional committees, their member units, visits and pairings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.dated import DatedRow, DatedSpan, span_constraints
from branches.models.places import Community, SubDistrict
from branches.models.units import CoBuildingUnit
from regional.querysets import (
    PairingQuerySet,
    PartTimeMemberQuerySet,
    RegionalCommitteeQuerySet,
    RegionalMembershipQuerySet,
    UnitVisitQuerySet,
)


class CommitteeLevel(models.TextChoices):
    SUB_DISTRICT = "sub_district", _("Sub-district regional committee")
    COMMUNITY = "community", _("Community grand party committee")


class RegionalCommittee(models.Model):
    """A regional party committee (大工委) or a community grand party committee (社区大党委)."""

    sub_district = models.ForeignKey(
        SubDistrict,
        on_delete=models.PROTECT,
        related_name="regional_committees",
        verbose_name=_("sub-district"),
    )
    level = models.CharField(_("level"), max_length=20, choices=CommitteeLevel.choices)
    name = models.CharField(_("name"), max_length=100)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    communities = models.ManyToManyField(
        Community, blank=True, related_name="regional_committees", verbose_name=_("communities")
    )
    units = models.ManyToManyField(
        CoBuildingUnit,
        through="RegionalMembership",
        related_name="regional_committees",
        verbose_name=_("member units"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegionalCommitteeQuerySet.as_manager()

    class Meta:
        db_table = "branches_regionalcommittee"
        verbose_name = _("regional committee")
        verbose_name_plural = _("regional committees")
        ordering = ["sub_district", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "name"], name="regional_committee_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionalMembership(DatedRow):
    """A unit's seat on a regional committee, dated; a unit may sit on several committees."""

    span_start = "joined_on"
    span_end = "left_on"

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("regional committee"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("co-building unit"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = RegionalMembershipQuerySet.as_manager()

    class Meta:
        db_table = "branches_regionalmembership"
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["committee", "joined_on"]
        constraints = span_constraints(
            "regional_membership", open_per=["committee", "unit"], start="joined_on", end="left_on"
        )

    def __str__(self) -> str:
        return f"{self.unit} @ {self.committee}"


class PartTimeMember(DatedSpan):
    """A unit's leader sitting on a regional committee (兼职委员)."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.CASCADE,
        related_name="part_time_members",
        verbose_name=_("regional committee"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="part_time_members",
        verbose_name=_("co-building unit"),
    )
    full_name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title in the unit"), max_length=60, blank=True)

    objects = PartTimeMemberQuerySet.as_manager()

    class Meta:
        db_table = "branches_parttimemember"
        verbose_name = _("part-time committee member")
        verbose_name_plural = _("part-time committee members")
        ordering = ["committee", "started_on"]
        constraints = span_constraints("part_time_member")

    def __str__(self) -> str:
        return self.full_name


class UnitVisit(models.Model):
    """A visit to a unit (走访): who went, the needs and opinions heard, the follow-up."""

    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("co-building unit"),
    )
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=200)
    needs = models.TextField(_("needs"), blank=True)
    opinions = models.TextField(_("opinions"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = UnitVisitQuerySet.as_manager()

    class Meta:
        db_table = "branches_unitvisit"
        verbose_name = _("unit visit")
        verbose_name_plural = _("unit visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.unit}"


class Pairing(DatedSpan):
    """A unit paired with a community for co-building (结对共建)."""

    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("co-building unit"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("community")
    )
    note = models.TextField(_("note"), blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        db_table = "branches_pairing"
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on"]
        constraints = span_constraints("pairing", open_per=["unit", "community"])

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.community}"
