"""Sub-district staff export the quarter's report pack (one ZIP of XLSX, DOCX and CSV) from the
browser, while a real Celery worker builds it; the page follows the progress and offers the
file."""

from __future__ import annotations

import zipfile

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


def test_staff_export_the_quarter_as_one_pack(live_server, page, staff, branch, sub_district):
    """The page's main action builds the pack (XLSX, DOCX and CSV in one ZIP) as one job with
    one progress bar; a single format can still be chosen."""
    sign_in(page, live_server.url, "staff")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for format, extension in ((None, ".zip"), ("docx", ".docx")):
            page.goto(f"{live_server.url}/staff/reports/")
            page.get_by_role("link", name="生成报表").click()
            page.select_option("select[name=sub_district]", str(sub_district.pk))
            page.fill("input[name=year]", "2026")
            page.select_option("select[name=quarter]", "2")
            if format is None:  # the default is the pack
                assert page.input_value("select[name=format]") == "pack"
            else:
                page.select_option("select[name=format]", format)
            page.click("input[type=submit][name=submit]")
            page.wait_for_url(f"{live_server.url}/staff/reports/*/")
            assert page.locator(".progress").count() == 1
            # The page polls the job and reloads when the worker has finished.
            download_link = page.locator("[data-role=download]:not(.d-none)")
            download_link.wait_for(timeout=60_000)
            assert "组织" in page.content()  # the figures are shown on the page
            shot = f"tests/e2e/artifacts/report-{format or 'pack'}.png"
            page.screenshot(path=shot, full_page=True)
            with page.expect_download() as info:
                download_link.click()
            assert info.value.suggested_filename.endswith(extension)
            assert "2026Q2" in info.value.suggested_filename
            if format is None:
                names = zipfile.ZipFile(info.value.path()).namelist()
                assert {n.rsplit(".", 1)[-1] for n in names} == {"xlsx", "docx", "csv"}
    assert set(ExportJob.objects.values_list("format", "status")) == {
        ("pack", "done"),
        ("docx", "done"),
    }
