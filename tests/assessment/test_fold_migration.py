"""A database from before the grade caps moved into the assessment settings upgrades in place:
each sub-district's caps (the old `GradeCaps` row) land on its settings, created where missing,
and other settings keep their figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessment.models import AssessmentSettings
from tests.regional.test_move_migration import leaf_nodes, migrate


@pytest.mark.django_db(transaction=True)
def test_grade_caps_are_copied_onto_the_settings():
    old = migrate([("assessment", "0002_year_end_assessment")])
    district = old.get_model("branches", "District").objects.create(name="金水区")
    with_settings, without = (
        old.get_model("branches", "SubDistrict").objects.create(district=district, name=name)
        for name in ("北林路街道", "如意湖办事处")
    )
    old.get_model("assessment", "AssessmentSettings").objects.create(
        sub_district=with_settings, points_per_meeting=7
    )
    caps = old.get_model("assessment", "GradeCaps")
    caps.objects.create(sub_district=with_settings, good_percent=20, poor_below=45)
    caps.objects.create(sub_district=without, fairly_good_percent=50)

    migrate(leaf_nodes())
    MigrationExecutor(connection).loader.build_graph()
    ours = AssessmentSettings.objects.get(sub_district_id=with_settings.pk)
    assert (ours.points_per_meeting, ours.good_percent, ours.poor_below) == (7, 20, Decimal(45))
    theirs = AssessmentSettings.objects.get(sub_district_id=without.pk)
    assert (theirs.good_percent, theirs.fairly_good_percent) == (30, 50)
