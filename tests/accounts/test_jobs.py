"""The job mechanism itself (accounts/jobs.py): claimed once under claimers at the same instant,
a failure retried after a backoff and failed for good after the last attempt, a final error not
retried, a claim whose worker died resumed by the scan, a worker taken over writing nothing.

The kinds are defined here, over a real job model (members' ImportJob), and do real work: they
count their runs and fail with real exceptions; nothing of ours is mocked.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.utils import timezone

from accounts.jobs import JobRunner, TakenOver, backoff
from members.models import ImportJob, ImportJobStatus
from tests.accounts.factories import UserFactory
from tests.parallel import run_together

pytestmark = pytest.mark.django_db


class Refused(Exception):
    """A refusal: an outcome, not an accident."""


class Counting(JobRunner[ImportJob]):
    """Runs count themselves; `failing` is raised by every run, `pause` holds each run."""

    model = ImportJob
    task_path = "members.tasks.run_import_job"
    final_errors = (Refused,)

    def __init__(self, failing: Exception | None = None, pause: float = 0.0) -> None:
        self.failing = failing
        self.pause = pause
        self.runs: list[int] = []

    def run(self, job: ImportJob) -> None:
        self.runs.append(job.attempts)
        time.sleep(self.pause)
        if self.failing is not None:
            raise self.failing
        with self.completing(job) as done:
            done.created_count = 7


def queued() -> ImportJob:
    return ImportJob.objects.create(kind="roster", requested_by=UserFactory(), file_name="x.xlsx")


@pytest.mark.django_db(transaction=True)
def test_a_job_is_run_once_when_two_workers_take_it_at_the_same_instant():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    job = queued()
    runner = Counting(pause=0.3)  # the first run is still going when the second claims
    outcomes = run_together([lambda: runner.perform(job.pk)] * 4)
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert sum(o is not None for o in outcomes) == 1
    assert runner.runs == [1]
    done = ImportJob.objects.get(pk=job.pk)
    assert done.status == ImportJobStatus.DONE and done.attempts == 1 and done.created_count == 7


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_claimers_at_the_same_instant_gets_the_row():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    job = queued()
    runner = Counting()
    claims = run_together([lambda: runner.claim(job.pk)] * 2)
    assert sorted(c is None for c in claims) == [False, True]
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_a_failing_job_is_retried_after_a_backoff_then_failed_for_good(clock, settings):
    settings.IMPORT_MAX_ATTEMPTS = 3
    job = queued()
    runner = Counting(failing=OSError("disk full"))
    clock.advance(minutes=5)  # past the fast path's grace: only the backoff holds it back
    waits = []
    for attempt in (1, 2):
        with pytest.raises(OSError, match="disk full"):
            runner.perform(job.pk)
        row = ImportJob.objects.get(pk=job.pk)
        assert row.status == ImportJobStatus.QUEUED and row.attempts == attempt
        assert row.message == "OSError: disk full" and row.heartbeat_at is None
        waits.append(row.next_attempt_at - timezone.now())
        assert runner.due() == []  # the scan waits for the backoff
        clock.advance(seconds=backoff(attempt).total_seconds() + 1)
        assert runner.due() == [job.pk]
    assert [round(w.total_seconds()) for w in waits] == [30, 60]

    with pytest.raises(OSError):
        runner.perform(job.pk)  # the third and last attempt
    failed = ImportJob.objects.get(pk=job.pk)
    assert failed.status == ImportJobStatus.FAILED and failed.attempts == 3
    assert failed.message == "OSError: disk full" and failed.finished_at is not None
    assert runner.due() == []
    assert runner.perform(job.pk) is None
    assert runner.runs == [1, 2, 3]


def test_a_final_error_fails_the_job_at_once_and_is_not_retried(clock):
    job = queued()
    runner = Counting(failing=Refused("第 3 行的日期无法识别"))
    ended = runner.perform(job.pk)
    assert ended.status == ImportJobStatus.FAILED and ended.attempts == 1
    assert ended.message == "第 3 行的日期无法识别" and ended.finished_at is not None
    clock.advance(hours=1)
    assert runner.due() == [] and runner.perform(job.pk) is None
    assert runner.runs == [1]


def test_a_claim_whose_worker_died_is_resumed_by_the_scan(clock, settings):
    job = queued()
    runner = Counting()
    assert runner.claim(job.pk) is not None  # a worker takes it, then dies without a word
    assert runner.perform(job.pk) is None  # its lease is fresh: nobody else runs it
    clock.advance(seconds=settings.IMPORT_STALE_SECONDS - 1)
    assert runner.due() == []
    clock.advance(seconds=2)
    assert runner.due() == [job.pk]  # no sign of life: the scan hands it on
    done = runner.perform(job.pk)
    assert done.status == ImportJobStatus.DONE and done.attempts == 2
    assert runner.runs == [2] and runner.due() == []


def test_a_queued_job_is_left_to_the_fast_path_for_its_grace(clock, settings):
    job = queued()
    runner = Counting()
    assert runner.due() == []
    clock.advance(seconds=settings.IMPORT_QUEUED_GRACE_SECONDS + 1)
    assert runner.due() == [job.pk]


def test_a_worker_that_was_taken_over_writes_nothing(clock, settings):
    job = queued()
    runner = Counting()
    first = runner.claim(job.pk)
    clock.advance(seconds=settings.IMPORT_STALE_SECONDS + 1)
    second = runner.claim(job.pk)
    assert second is not None and second.attempts == 2
    runner.heartbeat(first, rows_checked=99)  # a late sign of life from the first: ignored
    with pytest.raises(TakenOver), runner.completing(first) as done:
        done.created_count = 99
    row = ImportJob.objects.get(pk=job.pk)
    assert row.status == ImportJobStatus.RUNNING and row.attempts == 2
    assert row.rows_checked == 0 and row.created_count == 0
    assert row.heartbeat_at == second.heartbeat_at


def test_a_job_with_no_attempts_left_is_failed_when_claimed(clock, settings):
    settings.IMPORT_MAX_ATTEMPTS = 2
    job = queued()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING,
        attempts=2,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    runner = Counting()
    assert runner.perform(job.pk) is None
    failed = ImportJob.objects.get(pk=job.pk)
    assert failed.status == ImportJobStatus.FAILED and failed.finished_at is not None
    assert runner.runs == []
