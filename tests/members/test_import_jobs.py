"""Large roster imports run as a job: stored privately, enqueued after commit, checked and
written by the worker with progress, safe to run twice, picked up by the scan when the message
was lost; the file (ID numbers) is deleted once the job ends."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from members import importjobs
from members.models import ImportJob, ImportJobStatus, Member, MemberChange
from tests.members.test_roster import HEADINGS, row, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path


def post(client, content: bytes, name: str = "roster.xlsx"):
    return client.post(reverse("staff:member-import"), {"file": SimpleUploadedFile(name, content)})


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_large_roster_becomes_a_job_and_the_worker_imports_it(
    clients, branch, staff, tmp_path, django_capture_on_commit_callbacks
):
    content = workbook([row(branch.name, n) for n in range(1, 4)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(clients["staff"], content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:member-import-job", args=[job.pk])
    sends = [c for c in callbacks if getattr(c, "__qualname__", "").startswith("send_after_commit")]
    assert len(sends) == 1  # enqueued after commit, never before
    assert job.status == ImportJobStatus.QUEUED and job.requested_by == staff
    assert Member.objects.count() == 0  # nothing written in the request
    assert len(stored_files(tmp_path)) == 1

    page = clients["staff"].get(response["Location"])
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the worker's commit
        done = importjobs.run_import_job(job.pk)
    assert done.status == ImportJobStatus.DONE and done.created_count == 3
    assert done.rows_checked == 3
    assert Member.objects.filter(organization=branch).count() == 3
    assert stored_files(tmp_path) == []  # the file holds ID numbers: removed
    page = clients["staff"].get(response["Location"])
    assert "已导入 3 名党员" in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()

    # A duplicate delivery of the message changes nothing.
    assert importjobs.run_import_job(job.pk) is None
    assert Member.objects.count() == 3 and MemberChange.objects.count() == 3


def test_a_job_with_bad_rows_fails_with_every_error_and_writes_nothing(
    clients, branch, tmp_path, django_capture_on_commit_callbacks
):
    rows = [row(branch.name, 1), row(branch.name, 2, 入党日期="昨天"), row(branch.name, 3)]
    response = post(clients["staff"], workbook(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        failed = importjobs.run_import_job(job.pk)
    assert failed.status == ImportJobStatus.FAILED
    assert [(e["row"], e["column"]) for e in failed.errors] == [(3, "入党日期")]
    assert Member.objects.count() == 0 and stored_files(tmp_path) == []
    page = clients["staff"].get(reverse("staff:member-import-job", args=[job.pk]))
    assert "不是日期" in page.content.decode() or "入党日期" in page.content.decode()
    assert importjobs.run_import_job(job.pk) is None  # a refused file is not retried


def test_a_formula_below_the_first_rows_fails_the_job_with_its_row_and_column(clients, branch):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for n in range(1, 5):
        sheet.append(row(branch.name, n))
    sheet["H5"] = '=CONCATENATE("教","师")'  # below what the request reads
    buffer = io.BytesIO()
    book.save(buffer)
    response = post(clients["staff"], buffer.getvalue())
    assert response.status_code == 302
    job = importjobs.run_import_job(ImportJob.objects.get().pk)
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [
        {
            "row": 5,
            "column": "职业",
            "message": "第 5 行 H 列是公式；请填写数值本身（复制后“选择性粘贴”为数值）。",
        }
    ]
    assert Member.objects.count() == 0


def test_a_broken_large_file_is_refused_in_the_request_without_a_job(clients, branch):
    content = workbook([row(branch.name, n) for n in range(1, 4)])
    response = post(clients["staff"], content[: len(content) - 200])
    assert response.status_code == 400
    assert "无法读取此文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_job_whose_message_was_lost_is_picked_up_by_the_scan(clients, branch, settings):
    post(clients["staff"], workbook([row(branch.name, n) for n in range(1, 4)]))
    job = ImportJob.objects.get()
    assert not importjobs.stalled().exists()  # within the grace period
    later = timezone.now() + dt.timedelta(seconds=settings.IMPORT_QUEUED_GRACE_SECONDS + 1)
    assert list(importjobs.stalled(later)) == [job]
    # A worker that died while running it leaves a stale heartbeat: a fresh worker takes over.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, attempts=1, heartbeat_at=long_ago
    )
    assert list(importjobs.stalled()) == [job]
    done = importjobs.run_import_job(job.pk)
    assert done.status == ImportJobStatus.DONE and done.attempts == 2
    assert Member.objects.count() == 3


def test_a_live_job_is_not_taken_over(clients, branch):
    post(clients["staff"], workbook([row(branch.name, n) for n in range(1, 4)]))
    job = ImportJob.objects.get()
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, attempts=1, heartbeat_at=now
    )
    assert importjobs.run_import_job(job.pk) is None
    assert Member.objects.count() == 0


def test_only_the_requester_sees_the_job(clients, branch):
    post(clients["secretary"], workbook([row(branch.name, n) for n in range(1, 4)]))
    url = reverse("staff:member-import-job", args=[ImportJob.objects.get().pk])
    assert clients["secretary"].get(url).status_code == 200
    assert clients["staff"].get(url).status_code == 404
    assert clients["other_secretary"].get(url).status_code == 404
    assert clients["resident"].get(url).status_code == 403
    assert clients["anonymous"].get(url).status_code == 302


def test_a_large_in_service_registration_file_becomes_a_job(
    clients, other_branch, sub_district, branch, django_capture_on_commit_callbacks
):
    from branches.models import Community
    from members.inservice import services as inservice
    from members.models import CommunityRegistration
    from tests.members.factories import MemberFactory, valid_id

    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    members = [MemberFactory(organization=other_branch, id_number=valid_id(n)) for n in (7, 8, 9)]
    today = timezone.localdate().isoformat()
    lines = [",".join(inservice.BULK_HEADINGS)] + [
        f"{valid_id(n)},{m.full_name},{community.name},{today},摄影,"
        for n, m in zip((7, 8, 9), members, strict=True)
    ]
    response = clients["other_secretary"].post(
        reverse("staff:registration-bulk"),
        {
            "mode": "file",
            "employer_name": "郑州四十七中",
            "file": SimpleUploadedFile("报到.csv", "\n".join(lines).encode("gb18030")),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:member-import-job", args=[job.pk])
    assert job.params["employer_name"] == "郑州四十七中"
    assert not CommunityRegistration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = importjobs.run_import_job(job.pk)
    assert done.status == ImportJobStatus.DONE and done.created_count == 3
    assert set(CommunityRegistration.objects.values_list("employer_name", flat=True)) == {
        "郑州四十七中"
    }
    page = clients["other_secretary"].get(response["Location"])
    assert "3 名党员已到社区报到" in page.content.decode()
