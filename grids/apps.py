from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW_ALL = (
    "gridrole",
    "household",
    "contactassignment",
    "assistancepairing",
    "householdvisit",
    "screeningreport",
    "dispute",
    "mediationsession",
    "carecampaign",
    "carevisit",
)

# Sub-district staff run grid work and may reveal a household's phone (audited); secretaries
# keep their communities' households, 联系户, pairings, visits, disputes and care visits, and
# never see a whole phone. Grid workers hold no workbench role: their phone pages check their
# grid role (grids.querysets.grid_ids_held_by).
STAFF_PERMISSIONS = frozenset(
    {f"grids.{verb}_{model}" for model in _VIEW_ALL for verb in ("view", "add", "change")}
    | {"grids.view_gridsettings", "grids.change_gridsettings", "grids.reveal_household_phone"}
)
SECRETARY_PERMISSIONS = frozenset(
    {f"grids.view_{model}" for model in _VIEW_ALL}
    | {
        f"grids.{verb}_{model}"
        for model in (
            "household",
            "contactassignment",
            "assistancepairing",
            "householdvisit",
            "dispute",
            "mediationsession",
            "carevisit",
        )
        for verb in ("add", "change")
    }
)

AUDIT_LABELS = {
    "grid.role_assigned": _("Grid role assigned"),
    "grid.role_ended": _("Grid role ended"),
    "household.created": _("Household added"),
    "household.changed": _("Household changed"),
    "household.phone_revealed": _("Household phone revealed"),
    "household.contact_assigned": _("Contact household assigned"),
    "household.link_ended": _("Household link ended"),
    "household.pairing_made": _("Assistance pairing made"),
    "household.visited": _("Household visit recorded"),
    "screening.report_filed": _("Daily screening report filed"),
    "dispute.opened": _("Dispute opened"),
    "dispute.session_recorded": _("Mediation session recorded"),
    "dispute.closed": _("Dispute outcome recorded"),
    "dispute.followed_up": _("Dispute follow-up recorded"),
    "care.visited": _("Care visit recorded"),
    "care.campaign_planned": _("Care campaign planned"),
}


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("Grids and households")

    def ready(self) -> None:
        # The role table and the audit labels live in `accounts`, below this app: add this
        # app's rows here rather than make `accounts` name an app above it.
        from accounts.audit import ACTION_LABELS
        from accounts.roles import ROLE_PERMISSIONS, Role

        ROLE_PERMISSIONS[Role.SUB_DISTRICT_STAFF] = (
            ROLE_PERMISSIONS[Role.SUB_DISTRICT_STAFF] | STAFF_PERMISSIONS
        )
        ROLE_PERMISSIONS[Role.SECRETARY] = ROLE_PERMISSIONS[Role.SECRETARY] | SECRETARY_PERMISSIONS
        ACTION_LABELS.update(AUDIT_LABELS)
