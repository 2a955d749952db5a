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
            "members.view_member",
            "members.add_member",
            "members.change_member",
            "members.import_member",
            "members.export_member",
            # Sub-district staff may see a whole ID number, after confirming, audited.
            "members.reveal_id_number",
            "members.view_memberchange",
            "members.view_membersettings",
            "members.change_membersettings",
            "members.view_transfer",
            "members.add_transfer",
            "members.change_transfer",
        }
    ),
    Role.SECRETARY: frozenset(
        {
            "branches.view_organization",
            # Secretaries keep their own branch's roll; they never see a whole ID number.
            "members.view_member",
            "members.add_member",
            "members.change_member",
            "members.import_member",
            "members.export_member",
            "members.view_memberchange",
            "members.view_transfer",
            "members.add_transfer",
            "members.change_transfer",
        }
    ),
    Role.UNIT_LIAISON: frozenset(
        {
            "branches.view_cobuildingunit",
        }
    ),
}
