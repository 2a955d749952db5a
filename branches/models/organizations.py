"""Party organisations as one tree, with their history.

The tree is a materialised path (django-treebeard): scope is a path prefix, a subtree is one
query. The tree says how things stand today; `OrganizationPeriod` keeps how they stood on any past
date (name, kind, sector, parent), and `OrganizationEvent` the story of each change. Nothing is
deleted: a merged or dissolved organisation is archived with its end date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from accounts.dated import span_constraints
from branches.models.places import Building, Community, SubDistrict
from branches.querysets import (
    OrganizationEventQuerySet,
    OrganizationPeriodQuerySet,
    OrganizationQuerySet,
)


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
    is_joint = models.BooleanField(
        _("joint branch"),
        default=False,
        help_text=_("A branch formed by several units that each have fewer than 3 full members."),
    )
    is_temporary = models.BooleanField(_("temporary"), default=False)
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    communities = models.ManyToManyField(
        Community, blank=True, related_name="organizations", verbose_name=_("communities covered")
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="organizations", verbose_name=_("buildings covered")
    )
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
            models.CheckConstraint(
                name="organization_archived_has_end",
                condition=Q(status="active") | Q(ended_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]


class CoveredUnit(models.Model):
    """A work unit a branch covers: one for an ordinary branch, up to 5 for a joint branch."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="covered_units",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("unit name"), max_length=100)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)

    class Meta:
        verbose_name = _("covered unit")
        verbose_name_plural = _("covered units")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="covered_unit_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationPeriod(models.Model):
    """How one organisation stood from `valid_from` until `valid_to` (exclusive; open if null).

    Every restructuring closes the open period and opens a new one in the same transaction, so the
    tree of any past date is one query: the periods valid on that date.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="periods")
    parent = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = OrganizationPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation period")
        verbose_name_plural = _("organisation periods")
        ordering = ["organization", "valid_from"]
        # The guard of a dated row (`accounts.dated`); the reads differ, as `valid_to` is the
        # first day of the next period (exclusive), not the last day of this one.
        constraints = span_constraints(
            "organization_period",
            open_per=["organization"],
            start="valid_from",
            end="valid_to",
            one_open_name="organization_one_open_period",
        )

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"


class EventKind(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    RENAMED = "renamed", _("Renamed")
    KIND_CHANGED = "kind_changed", _("Kind changed")
    MOVED = "moved", _("Moved")
    MERGED_INTO = "merged_into", _("Merged into another organisation")
    MERGED_FROM = "merged_from", _("Formed by a merger")
    SPLIT_INTO = "split_into", _("Split")
    SPLIT_FROM = "split_from", _("Formed by a split")
    DISSOLVED = "dissolved", _("Dissolved")


class OrganizationEvent(models.Model):
    """One change in the life of an organisation, dated as it took effect."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    related = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("related organisations")
    )
    description = models.CharField(_("description"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OrganizationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.organization}"
