"""The report pack through real Celery workers and the configured broker: a request built by a
worker, the beat task of the quarter, and a worker killed (SIGKILL) in the middle of a build."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection, connections, transaction

from config.celery import app
from reports import services
from reports.models import ExportJob, JobStatus
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def status_of(job: ExportJob) -> str:
    return ExportJob.objects.get(pk=job.pk).status


def test_a_requested_report_is_built_by_a_real_worker(sub_district, staff, branch):
    """The page's main action: the whole pack, one job, one ZIP with the three formats."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            job, _ = services.request_export(
                sub_district=sub_district, year=2026, number=2, format="pack", actor=staff
            )
        assert wait_for(lambda: status_of(job) == JobStatus.DONE, timeout=60)
    built = ExportJob.objects.get(pk=job.pk)
    assert built.file_size > 0 and built.progress == 100
    with built.file.open("rb") as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert {name.rsplit(".", 1)[-1] for name in names} == {"xlsx", "docx", "csv"}


def test_the_beat_task_schedules_and_builds_the_last_quarter(sub_district, staff, settings):
    settings.REPORT_SCHEDULED_FORMATS = ["csv"]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("reports.tasks.schedule_quarterly_reports")
        assert wait_for(
            lambda: ExportJob.objects.filter(scheduled=True, status=JobStatus.DONE).count()
            == ExportJob.objects.filter(scheduled=True).count()
            > 0,
            timeout=90,
        )
        # The same beat firing twice (a retry, a second beat) adds nothing.
        before = ExportJob.objects.count()
        app.send_task("reports.tasks.schedule_quarterly_reports")
        time.sleep(3)
        assert ExportJob.objects.count() == before
    year, number = services.last_finished_quarter()
    assert set(ExportJob.objects.values_list("year", "quarter")) == {(year, number)}


def _worker_process() -> subprocess.Popen:
    """A separate `celery worker` process on the test database, so it can really be killed."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "LOG_FORMAT": "text",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def test_a_worker_killed_mid_build_leaves_a_job_that_is_resumed_once(
    sub_district, staff, branch, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("the lock that holds the build mid-way is PostgreSQL's")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs the shared Redis broker")
    # Hold the organisation periods so the build stops inside its first section.
    blocker = connections.create_connection("default")
    blocker.connect()
    blocker.set_autocommit(False)
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE branches_organizationperiod IN ACCESS EXCLUSIVE MODE")
    worker = _worker_process()
    try:
        with transaction.atomic():
            job, _ = services.request_export(
                sub_district=sub_district, year=2026, number=2, format="docx", actor=staff
            )
        assert wait_for(lambda: status_of(job) == JobStatus.RUNNING, timeout=60)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        blocker.rollback()
        blocker.close()
    killed = ExportJob.objects.get(pk=job.pk)
    assert killed.status == JobStatus.RUNNING and not killed.file
    # The worker is gone and its heartbeat goes stale; the periodic scan hands the job over.
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=killed.heartbeat_at - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("reports.tasks.resume_stalled_exports")
        assert wait_for(lambda: status_of(job) == JobStatus.DONE, timeout=60)
    done = ExportJob.objects.get(pk=job.pk)
    assert done.attempts == 2
    assert ExportJob.objects.count() == 1
    assert len(list(Path(settings.MEDIA_ROOT, "reports").iterdir())) == 1
