"""Roles of the portal and the permissions each one carries.

A role is granted to a user by a `RoleAssignment`, which also fixes the role's scope (a
sub-district, an organisation subtree or a co-building unit). Permissions follow from the role
here, in one table, so that granting a role is one row and never a hand-picked set of checkboxes.
Later features add their permissions to this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUB_DISTRICT_STAFF = "sub_district_staff", _("Sub-district staff")
    SECRETARY = "secretary", _("Branch secretary")
    UNIT_LIAISON = "unit_liaison", _("Co-building unit liaison")


# Roles that work in the staff workbench (工作台).
WORKBENCH_ROLES = frozenset({Role.SUB_DISTRICT_STAFF, Role.SECRETARY})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SUB_DISTRICT_STAFF: frozenset(
        {
            "branches.view_subdistrict",
            "branches.view_organization",
            "branches.add_organization",
            "branches.change_organization",
            "branches.view_cobuildingunit",
            "branches.add_cobuildingunit",
            "branches.change_cobuildingunit",
            # Regional party building: committees, dated seats, visits, pairings.
            "branches.view_regionalcommittee",
            "branches.add_regionalcommittee",
            "branches.change_regionalcommittee",
            "branches.view_regionalmembership",
            "branches.add_regionalmembership",
            "branches.change_regionalmembership",
            "branches.view_parttimemember",
            "branches.add_parttimemember",
            "branches.change_parttimemember",
            "branches.view_unitvisit",
            "branches.add_unitvisit",
            "branches.change_unitvisit",
            "branches.view_pairing",
            "branches.add_pairing",
            "branches.change_pairing",
        }
    ),
    Role.SECRETARY: frozenset(
        {
            "branches.view_organization",
            # The regional committees of the sub-district their branch lies in.
            "branches.view_regionalcommittee",
        }
    ),
    Role.UNIT_LIAISON: frozenset(
        {
            "branches.view_cobuildingunit",
            # Their unit's seats on committees, its visits and pairings.
            "branches.view_regionalcommittee",
            "branches.view_regionalmembership",
            "branches.view_parttimemember",
            "branches.view_unitvisit",
            "branches.view_pairing",
        }
    ),
}
