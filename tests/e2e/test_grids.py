# ruff: noqa: F811  (pytest fixtures imported from other test modules)
"""A grid worker on a 375-px phone files today's daily screening report and records a visit in
three taps (my households → the household → save); nothing is wider than the screen."""

from __future__ import annotations

import pytest

from grids.models import HouseholdVisit, ScreeningReport
from tests.e2e.test_phone import WIDTH, phone, sign_in, too_wide  # noqa: F401 (fixture)
from tests.grids.conftest import (  # noqa: F401 (fixtures)
    DAY,
    community,
    grid,
    make_household,
    officer,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_grid_worker_files_the_daily_report_and_records_a_visit_on_a_phone(
    live_server,
    phone,
    clock,
    grid,
    officer,
):
    clock.set(DAY, 9)
    home = make_household(grid, address="秦江花园3号楼2单元301", is_elderly_alone=True)
    base = live_server.url
    sign_in(phone, base, "officer")
    phone.goto(f"{base}/grid/")
    assert "139****5678" in phone.content()
    assert "13912345678" not in phone.content()
    assert too_wide(phone) <= WIDTH

    # Today's report: "nothing found" is ticked by default, and the dispute's fields are asked
    # only once it is unticked; one tap to file.
    dispute_kind = phone.locator("[data-testid=report-form] select[name=dispute_kind]")
    assert dispute_kind.is_hidden()
    phone.uncheck("[data-testid=report-form] input[name=nothing_found]")
    assert dispute_kind.is_visible()
    phone.check("[data-testid=report-form] input[name=nothing_found]")
    assert dispute_kind.is_hidden()
    phone.click("[data-testid=report-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=report-filed]")
    report = ScreeningReport.objects.get()
    assert report.day == DAY and report.nothing_found and report.officer == officer

    # A visit in three taps: the household's button, the findings, save.
    phone.click(f"[data-testid=visit-{home.pk}]")
    phone.fill("textarea[name=findings]", "老人身体良好，需要帮忙换灯泡。")
    assert too_wide(phone) <= WIDTH
    phone.click("[data-testid=visit-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=my-households]")
    visit = HouseholdVisit.objects.get()
    assert visit.household == home and visit.visited_on == DAY
    assert visit.findings.startswith("老人身体良好")
    assert too_wide(phone) <= WIDTH
