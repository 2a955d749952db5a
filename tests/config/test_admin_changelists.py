"""Every changelist of a model that can grow has search and filters.

The rule walks `admin.site._registry`, so a new admin is checked without a line here. A model is
exempt only when it cannot grow: one row per sub-district (a one-to-one `sub_district`), or one
of the few named below with the reason. The test fails when an exemption is stale or when the
walk checked too few admins to mean anything.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.core import checks
from django.db import models

# label -> why its rows stay few
FEW_ROWS = {
    "auth.Group": "roles are granted by RoleAssignment; groups are not used for people",
    "authtoken.TokenProxy": "API tokens are issued by an administrator to a few named systems",
    "branches.District": "the districts of one city",
}


def _one_per_sub_district(model) -> bool:
    return any(
        isinstance(field, models.OneToOneField) and field.name == "sub_district"
        for field in model._meta.fields
    )


def test_every_changelist_that_can_grow_has_search_and_filters():
    registered = {
        model._meta.label: (model, model_admin)
        for model, model_admin in admin.site._registry.items()
    }
    assert set(FEW_ROWS) <= set(registered), "a FEW_ROWS entry names no registered model"
    missing = []
    checked = 0
    for label, (model, model_admin) in registered.items():
        if label in FEW_ROWS or _one_per_sub_district(model):
            continue
        checked += 1
        if not model_admin.search_fields:
            missing.append(f"{label}: no search_fields")
        if not model_admin.list_filter:
            missing.append(f"{label}: no list_filter")
    assert checked >= 50, f"only {checked} admins checked: the rule exempts too much"
    assert not missing, "\n".join(missing)


def test_settings_exemptions_are_few():
    # One settings table per domain app at most (structure, members, organisational life,
    # volunteers, venues, dues, points, grids …): a second in one app means the rule is misused.
    exempt = [m for m in admin.site._registry if _one_per_sub_district(m)]
    per_app = Counter(model._meta.app_label for model in exempt)
    assert exempt and max(per_app.values()) == 1, per_app


def test_admin_checks_pass():
    # list_filter entries name real fields (admin.E116 and friends).
    errors = [e for e in checks.run_checks() if e.id.startswith("admin.")]
    assert not errors
