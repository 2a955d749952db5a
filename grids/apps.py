from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    """Grid work. Its role permissions and audit labels are listed with every other app's in
    `accounts/roles.py` and `accounts/audit.py` (plain strings: `accounts` imports nothing of
    this app). Grid workers hold no workbench role: their phone pages check their grid role
    (grids.querysets.grid_ids_held_by)."""

    name = "grids"
    verbose_name = _("Grids and households")
