"""Export jobs: asking, idempotence, versions, building each format, the schedule, stalled jobs,
expiry, and the pages and API with their access rules."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from accounts.errors import DomainError
from accounts.models import AuditEntry, OutgoingEmail
from reports import services
from reports.figures import SECTIONS
from reports.models import ExportJob, JobStatus, ReportRecipient
from reports.writers import neutralise
from tests.access import assert_access
from tests.printed import assert_printed_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(sub_district, staff, **kwargs):
    params = {"year": 2026, "number": 2, "format": "xlsx", "actor": staff} | kwargs
    return services.request_export(sub_district=sub_district, **params)


def read(job: ExportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def test_asking_twice_gives_one_job_and_a_new_version_keeps_the_old(sub_district, staff, branch):
    job, created = ask(sub_district, staff)
    again, created_again = ask(sub_district, staff)
    assert created and not created_again and again.pk == job.pk
    newer, created_newer = ask(sub_district, staff, new_version=True)
    assert created_newer and newer.version == 2
    assert ExportJob.objects.count() == 2
    assert AuditEntry.objects.filter(action="report.requested").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"number": 5}, "1 to 4"),
        ({"year": 2099}, "begun"),
        ({"format": "pdf"}, "XLSX"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(sub_district, staff, kwargs, message):
    with translation.override("en"), pytest.raises(DomainError, match=message):
        ask(sub_district, staff, **kwargs)
    assert not ExportJob.objects.exists()


def test_a_job_from_another_sub_district_scope_is_refused(
    sub_district, staff, other_sub_district_branch
):
    with pytest.raises(DomainError):
        ask(sub_district, staff, organization=other_sub_district_branch)


@pytest.mark.parametrize("format", ["xlsx", "docx", "csv"])
def test_each_format_is_built_frozen_and_expires(sub_district, staff, branch, format):
    job, _ = ask(sub_district, staff, format=format)
    built = services.build_export(job.pk)
    assert built.status == JobStatus.DONE and built.progress == 100
    assert built.figures["sections"][0]["key"] == "organisation"
    assert built.expires_at > timezone.now() + dt.timedelta(days=80)
    content = read(built)
    if format == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        assert len(workbook.sheetnames) == 1 + len(SECTIONS)  # a cover and one per section
    elif format == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert "2026年第2季度" in text
    else:
        archive = zipfile.ZipFile(io.BytesIO(content))
        first = archive.read(archive.namelist()[1])
        assert first.startswith("\ufeff".encode())
    # A second delivery of the same message changes nothing.
    assert services.build_export(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).file.name == built.file.name


def test_formula_like_cells_are_neutralised():
    assert neutralise("=HYPERLINK()") == "'=HYPERLINK()"
    assert neutralise("@SUM") == "'@SUM"
    assert neutralise("-1") == "'-1"
    assert neutralise(-1) == -1
    assert neutralise("党支部") == "党支部"


def test_the_schedule_builds_every_sub_district_once_and_mails_once(
    sub_district, staff, branch, settings
):
    settings.REPORT_SCHEDULED_FORMATS = ["xlsx"]
    ReportRecipient.objects.create(sub_district=sub_district, name="组织办", email="zz@example.org")
    jobs = services.schedule_quarter(today=dt.date(2026, 10, 1))
    assert {(j.year, j.quarter, j.scheduled) for j in jobs} == {(2026, 3, True)}
    assert services.schedule_quarter(today=dt.date(2026, 10, 1)) == jobs  # run twice: same jobs
    mine = next(j for j in jobs if j.sub_district_id == sub_district.pk)
    services.build_export(mine.pk)
    services.mail_report(mine.pk)  # a duplicate call sends nothing more
    services.resume_stalled()
    emails = OutgoingEmail.objects.filter(to="zz@example.org")
    assert emails.count() == 1
    assert f"/staff/reports/{mine.pk}/download/" in emails.get().body
    assert ExportJob.objects.get(pk=mine.pk).expires_at is None  # scheduled reports are kept


def test_a_job_left_running_by_a_dead_worker_is_resumed_and_finished(sub_district, staff):
    job, _ = ask(sub_district, staff)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=long_ago, started_at=long_ago
    )
    assert list(ExportJob.objects.stalled()) == [job]
    # A fresh worker claims it: the stale claim does not block it.
    done = services.build_export(job.pk)
    assert done.status == JobStatus.DONE and done.attempts == 2


def test_a_live_job_is_not_taken_over(sub_district, staff):
    job, _ = ask(sub_district, staff)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=now, started_at=now
    )
    assert services.build_export(job.pk) is None
    assert not ExportJob.objects.stalled().exists()


def test_a_job_that_keeps_failing_stops_after_the_limit(sub_district, staff, settings):
    job, _ = ask(sub_district, staff)
    ExportJob.objects.filter(pk=job.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS)
    assert services.build_export(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_expired_files_are_removed_and_the_row_kept(sub_district, staff):
    job, _ = ask(sub_district, staff)
    built = services.build_export(job.pk)
    path = built.file.path
    assert services.remove_expired(now=built.expires_at + dt.timedelta(seconds=1)) == 1
    expired = ExportJob.objects.get(pk=job.pk)
    assert expired.status == JobStatus.EXPIRED and not expired.file
    import os

    assert not os.path.exists(path)


def test_pages_access(clients, sub_district, staff, branch):
    job, _ = ask(sub_district, staff)
    services.build_export(job.pk)
    for url in (
        reverse("staff:report_list"),
        reverse("staff:report_request"),
        reverse("staff:report_detail", args=[job.pk]),
        reverse("staff:report_status", args=[job.pk]),
        reverse("staff:report_download", args=[job.pk]),
    ):
        assert_access(
            clients,
            url,
            {
                "anonymous": 302,
                "resident": 403,
                "other_secretary": 403,
                "secretary": 403,
                "staff": 200,
            },
        )


def test_staff_of_another_sub_district_cannot_see_the_job(client, sub_district, staff):
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory, UserFactory
    from tests.branches.factories import SubDistrictFactory

    job, _ = ask(sub_district, staff)
    services.build_export(job.pk)
    stranger = UserFactory(username="stranger")
    RoleAssignmentFactory(
        user=stranger, role=Role.SUB_DISTRICT_STAFF, sub_district=SubDistrictFactory()
    )
    client.force_login(stranger)
    assert client.get(reverse("staff:report_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("staff:report_download", args=[job.pk])).status_code == 404


def test_staff_request_a_report_from_the_page_and_download_it(client, sub_district, staff, branch):
    client.force_login(staff)
    response = client.post(
        reverse("staff:report_request"),
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "docx"},
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "staff:report_detail", args=[job.pk]
    )
    status = client.get(reverse("staff:report_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["download_url"] is None
    services.build_export(job.pk)
    page = client.get(reverse("staff:report_detail", args=[job.pk]))
    assert "党组织" in page.content.decode() or "Organisation" in page.content.decode()
    download = client.get(reverse("staff:report_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="report.downloaded").count() == 1


def test_the_form_refuses_a_future_quarter(client, sub_district, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:report_request"),
        {"sub_district": sub_district.pk, "year": 2099, "quarter": 1, "format": "xlsx"},
    )
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_api_creates_follows_and_downloads(
    client, sub_district, staff, branch, django_assert_max_num_queries
):
    client.force_login(staff)
    url = "/api/v1/report-exports/"
    created = client.post(
        url,
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "csv"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    again = client.post(
        url,
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "csv"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    bad = client.post(
        url,
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 9, "format": "csv"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    job_id = created.json()["id"]
    services.build_export(job_id)
    with django_assert_max_num_queries(12):
        listed = client.get(url)
    assert listed.json()["results"][0]["status"] == "done"
    detail = client.get(f"{url}{job_id}/").json()
    file = client.get(detail["download_url"])
    assert file.status_code == 200


def test_api_is_closed_to_secretaries_and_residents(clients, sub_district, staff):
    job, _ = ask(sub_district, staff)
    for role in ("resident", "secretary"):
        assert clients[role].get("/api/v1/report-exports/").status_code == 403
        assert clients[role].get(f"/api/v1/report-exports/{job.pk}/file/").status_code == 403


def test_the_docx_is_a4_with_chinese_fonts_header_and_page_numbers(sub_district, staff, branch):
    job, _ = ask(sub_district, staff, format="docx")
    built = services.build_export(job.pk)
    assert_printed_page(read(built), header=f"{sub_district.name} · 2026年第2季度")


def test_csv_files_are_named_in_chinese_as_the_sheets_are(sub_district, staff, branch):
    job, _ = ask(sub_district, staff, format="csv")
    built = services.build_export(job.pk)
    names = zipfile.ZipFile(io.BytesIO(read(built))).namelist()
    sections = [s["title"] for s in built.figures["sections"] for _t in s["tables"]]
    assert names[0] == "00-封面.csv"
    assert names[1] == "01-组织建设-季末情况.csv"
    assert len(names) == len(sections) + 1
    for name, section in zip(names[1:], sections, strict=True):
        assert name.split("-")[1] == section
        assert not re.search(r"[A-Za-z]{3,}", name.removesuffix(".csv")), name


def _pack_names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_the_pack_is_one_job_holding_the_workbook_the_document_and_the_csv_files(
    sub_district, staff, branch
):
    job, created = ask(sub_district, staff, format="pack")
    assert created and ExportJob.objects.count() == 1
    built = services.build_export(job.pk)
    assert built.status == JobStatus.DONE and built.progress == 100
    assert built.filename.endswith("-2026Q2-v1.zip")
    archive = zipfile.ZipFile(io.BytesIO(read(built)))
    stem = f"{sub_district.name}2026年第2季度党建工作报告"
    names = archive.namelist()
    assert names[:2] == [f"{stem}.xlsx", f"{stem}.docx"]
    assert names[2] == "CSV 文件/00-封面.csv" and len(names) > 10
    assert all(n.startswith("CSV 文件/") and n.endswith(".csv") for n in names[2:])
    workbook = load_workbook(io.BytesIO(archive.read(f"{stem}.xlsx")), read_only=True)
    assert len(workbook.sheetnames) == 1 + len(SECTIONS)
    assert_printed_page(archive.read(f"{stem}.docx"), header="2026年第2季度")
    # Idempotent as the single formats are: asking again gives the job, a new version keeps it.
    again, created_again = ask(sub_district, staff, format="pack")
    assert not created_again and again.pk == job.pk
    newer, _ = ask(sub_district, staff, format="pack", new_version=True)
    assert newer.version == 2 and ExportJob.objects.count() == 2


def test_the_pack_reports_one_progress_through_its_three_parts(sub_district, staff, branch):
    from reports.writers import write_pack

    job, _ = ask(sub_district, staff, format="xlsx")
    figures = services.build_export(job.pk).figures
    heard: list[int] = []
    write_pack(figures, io.BytesIO(), {}, progress=heard.append)
    assert heard == [85, 90, 95]


def test_the_page_asks_for_the_pack_by_default_and_offers_one_download(
    client, sub_district, staff, branch
):
    client.force_login(staff)
    form = client.get(reverse("staff:report_request")).context["form"]
    assert form["format"].value() == "pack"
    response = client.post(
        reverse("staff:report_request"),
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "pack"},
    )
    job = ExportJob.objects.get()
    assert job.format == "pack"
    assert response.url == reverse("staff:report_detail", args=[job.pk])
    services.build_export(job.pk)
    page = client.get(reverse("staff:report_detail", args=[job.pk])).content.decode()
    assert page.count('data-role="download"') == 1 and page.count('data-role="bar"') == 1
    download = client.get(reverse("staff:report_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert ".zip" in download["Content-Disposition"]
    names = _pack_names(b"".join(download.streaming_content))
    assert {n.rsplit(".", 1)[-1] for n in names} == {"xlsx", "docx", "csv"}


def test_api_builds_the_pack_when_no_format_is_given(client, sub_district, staff, branch):
    client.force_login(staff)
    url = "/api/v1/report-exports/"
    body = {"sub_district": sub_district.pk, "year": 2026, "quarter": 2}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["format"] == "pack"
    again = client.post(url, body | {"format": "pack"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    single = client.post(url, body | {"format": "docx"}, content_type="application/json")
    assert single.status_code == 201 and single.json()["format"] == "docx"
    services.build_export(created.json()["id"])
    detail = client.get(f"{url}{created.json()['id']}/").json()
    file = client.get(detail["download_url"])
    names = _pack_names(b"".join(file.streaming_content))
    assert {n.rsplit(".", 1)[-1] for n in names} == {"xlsx", "docx", "csv"}
