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
            "activities.view_meeting",
            "activities.add_meeting",
            "activities.change_meeting",
            "activities.view_cadencerule",
            "activities.add_cadencerule",
            "activities.change_cadencerule",
            "activities.view_localsettings",
            "activities.change_localsettings",
            "branches.view_subdistrict",
            "branches.view_organization",
            "branches.add_organization",
            "branches.change_organization",
            "branches.view_cobuildingunit",
            "branches.add_cobuildingunit",
            "branches.change_cobuildingunit",
            "branches.view_committeeterm",
            "branches.add_committeeterm",
            "branches.view_community",
            "branches.add_community",
            "branches.change_community",
            "branches.view_grid",
            "branches.add_grid",
            "branches.change_grid",
            "branches.view_compound",
            "branches.add_compound",
            "branches.change_compound",
            "branches.view_building",
            "branches.add_building",
            "branches.change_building",
            "venues.view_servicehall",
            "venues.add_servicehall",
            "venues.change_servicehall",
            "venues.view_openinghours",
            "venues.add_openinghours",
            "venues.change_openinghours",
            "venues.delete_openinghours",
            "venues.view_closedperiod",
            "venues.add_closedperiod",
            "venues.change_closedperiod",
            "venues.delete_closedperiod",
            "venues.view_room",
            "venues.add_room",
            "venues.change_room",
            "venues.view_booking",
            "venues.add_booking",
            "venues.change_booking",
            "venues.view_bookingpolicy",
            "venues.add_bookingpolicy",
            "venues.change_bookingpolicy",
            "venues.view_waitlistentry",
            "venues.view_suspension",
            "venues.change_suspension",
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
            "members.view_development",
            "members.add_development",
            "members.change_development",
            "members.view_activistreview",
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
            "volunteers.view_volunteerteam",
            "volunteers.add_volunteerteam",
            "volunteers.change_volunteerteam",
            "volunteers.view_volunteer",
            "volunteers.add_volunteer",
            "volunteers.change_volunteer",
            "volunteers.view_teammembership",
            "volunteers.change_teammembership",
            "volunteers.view_serviceactivity",
            "volunteers.add_serviceactivity",
            "volunteers.change_serviceactivity",
            "volunteers.view_enrollment",
            "volunteers.change_enrollment",
            "volunteers.view_hourcorrection",
            "volunteers.view_gooddeed",
            "volunteers.add_gooddeed",
            "volunteers.change_gooddeed",
            "volunteers.view_wish",
            "volunteers.change_wish",
            "volunteers.view_training",
            "volunteers.add_training",
            "volunteers.change_training",
            "volunteers.view_award",
            "volunteers.add_award",
            "volunteers.change_award",
            "volunteers.view_evaluation",
            "volunteers.add_evaluation",
            "volunteers.change_evaluation",
            "volunteers.view_certificate",
            "volunteers.add_certificate",
            "volunteers.view_volunteersettings",
            "volunteers.change_volunteersettings",
        }
    ),
    Role.SECRETARY: frozenset(
        {
            "activities.view_meeting",
            "activities.add_meeting",
            "activities.change_meeting",
            "branches.view_organization",
            "branches.view_committeeterm",
            "branches.add_committeeterm",
            "branches.view_community",
            "branches.view_grid",
            "branches.view_compound",
            "branches.view_building",
            # Halls of their sub-district, read-only; bookings for their own branch.
            "venues.view_servicehall",
            "venues.view_room",
            "venues.view_booking",
            "venues.add_booking",
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
            "members.view_development",
            "members.add_development",
            "members.change_development",
            "members.view_activistreview",
            # The regional committees of the sub-district their branch lies in.
            "branches.view_regionalcommittee",
            "volunteers.view_volunteerteam",
            "volunteers.view_volunteer",
            "volunteers.view_teammembership",
            "volunteers.view_serviceactivity",
            "volunteers.view_enrollment",
            "volunteers.view_gooddeed",
            "volunteers.view_wish",
            "volunteers.view_certificate",
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
