"""Sub-district staff export the quarter's report pack in all three formats from the browser,
while a real Celery worker builds them; the page follows the progress and offers the file."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from reports.models import ExportJob
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import pass_two_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, username)
    page.goto(f"{url}/staff/")


def test_staff_export_the_quarter_in_three_formats(live_server, page, staff, branch, sub_district):
    sign_in(page, live_server.url, "staff")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for format, extension in (("xlsx", ".xlsx"), ("docx", ".docx"), ("csv", ".zip")):
            page.goto(f"{live_server.url}/staff/reports/")
            page.get_by_role("link", name="生成报表").click()
            page.select_option("select[name=sub_district]", str(sub_district.pk))
            page.fill("input[name=year]", "2026")
            page.select_option("select[name=quarter]", "2")
            page.select_option("select[name=format]", format)
            page.click("input[type=submit][name=submit]")
            page.wait_for_url(f"{live_server.url}/staff/reports/*/")
            # The page polls the job and reloads when the worker has finished.
            download_link = page.locator("[data-role=download]:not(.d-none)")
            download_link.wait_for(timeout=60_000)
            assert "组织" in page.content()  # the figures are shown on the page
            with page.expect_download() as info:
                download_link.click()
            assert info.value.suggested_filename.endswith(extension)
            assert "2026Q2" in info.value.suggested_filename
    assert set(ExportJob.objects.values_list("format", "status")) == {
        ("xlsx", "done"),
        ("docx", "done"),
        ("csv", "done"),
    }
