"""The report pack's grids section: disputes by type and outcome, screening coverage, visits."""

from __future__ import annotations

import datetime as dt

import pytest

from config.periods import quarter
from grids import services
from grids.models import GridRole
from reports.figures import grids_section
from reports.scope import ReportScope
from tests.grids.conftest import DAY, make_household

pytestmark = pytest.mark.django_db


def test_quarter_section_counts_reports_disputes_and_visits(
    clock, sub_district, grid, other_grid, officer, staff, member
):
    clock.set(DAY - dt.timedelta(days=2))
    services.file_screening_report(grid=grid, officer=officer, day=clock.today, nothing_found=True)
    clock.set(DAY)
    services.file_screening_report(grid=grid, officer=officer, day=DAY, nothing_found=True)
    services.open_dispute(
        grid=grid,
        actor=staff,
        source="screening",
        kind="family",
        party_a="甲",
        summary="赡养",
        opened_on=DAY,
    )
    home = make_household(grid)
    services.assign_contact(member=member, household=home, actor=staff, started_on=DAY)
    services.record_household_visit(household=home, actor=staff, visited_on=DAY, findings="好")
    make_household(other_grid)
    # The officer's role started 2025-01-01: owed every day of the quarter up to today.
    GridRole.objects.filter(user=officer).update(started_on=dt.date(2026, 1, 1))
    section = grids_section(ReportScope(sub_district=sub_district), quarter(2026, 1))
    figures = section["figures"]
    assert figures["reports_owed"] == (DAY - dt.date(2026, 1, 1)).days + 1
    assert figures["reports_filed"] == 2
    assert figures["disputes"] == 1
    assert figures["visits"] == 1
    assert figures["households"] == 2 and figures["households_covered"] == 1
    by_type = {row[0]: row[1] for row in section["tables"][0]["rows"]}
    assert 1 in (by_type.get("Family"), by_type.get("家庭纠纷"))
