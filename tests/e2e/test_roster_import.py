"""A secretary imports a roster with errors, reads them, fixes the file and imports it."""

from __future__ import annotations

import pytest

from members.models import Member
from tests.accounts.factories import PASSWORD
from tests.members.test_roster import row, workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_secretary_fixes_a_roster_and_imports_it(
    live_server, page, secretary, branch, other_branch
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/members/import/")
    assert page.locator("[data-testid=template-link]").is_visible()
    broken = workbook(
        [
            row(branch.name, 1),
            row(branch.name, 2, 公民身份号码="990000198005010010"),
            row(other_branch.name, 3),
        ]
    )
    page.set_input_files(
        "#id_file", files=[{"name": "roster.xlsx", "mimeType": XLSX, "buffer": broken}]
    )
    page.click("#submit-id-submit")
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    text = errors.inner_text()
    assert "公民身份号码" in text and "校验码" in text
    assert "所在党支部" in text
    assert "未导入" in page.locator("[data-testid=import-error]").inner_text()
    assert Member.objects.count() == 0

    fixed = workbook([row(branch.name, 1), row(branch.name, 2), row(branch.name, 3)])
    page.set_input_files(
        "#id_file", files=[{"name": "roster.xlsx", "mimeType": XLSX, "buffer": fixed}]
    )
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/members/")
    assert "已导入 3 名党员" in page.content()
    table = page.locator("[data-testid=member-table]").inner_text()
    assert "导入党员1" in table and "990000********" in table
    assert Member.objects.filter(organization=branch).count() == 3
