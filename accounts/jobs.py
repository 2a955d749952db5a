"""Queued work: a row the portal has promised to do in the background (a report file, a large
import, a volunteer certificate), and the one mechanism that does it.

The row is saved in the request and its task enqueued after commit (`send_after_commit`); the
task is only the fast path, and a periodic scan owns the row. Every kind shares one life:

    queued --claim--> running --run returns--> done
                              run raises a final error (a refused file) --> failed
                              run raises anything else --> queued again after a backoff
                                                           (30 s, 1, 2, 4 … min); failed once
                                                           `max_attempts` claims are used up
                              worker dies --> running with a stale lease: the scan hands it on

Claimed exactly once: the claim locks the row (`select_for_update`) and its write is conditional
on the status and attempts it read, so of two claimers (a duplicate message and the scan, say)
one runs the job and the other gets None, with row locks or without (SQLite in `make run`). A job
may run for minutes and shows its progress, so no transaction is held while it runs: the claim
is a lease, the row `running` with a sign of life (`heartbeat_at`, or a certificate's
`claimed_at`) newer than `stale_after`. A worker that dies lets the lease run out and the scan
gives the job to another. The outcome is written under the row lock and only while the claim is
still this worker's (same status, same attempts): a worker that was taken over writes nothing
(`TakenOver`).

`Job` holds the shared columns, `JobLife` says how one kind's rows live (status values, the
lease column, the limits) and `JobRunner` is the shared behaviour; a kind only says what running
one row means (`JobRunner.run`). The outbox (`accounts/outbox.py`) is the short-work sibling: it
holds the row lock while it sends, and shares `backoff`, the `Retried` columns and the scan's
hand-over (`config.celery.send_each`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Self, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


#: The options of the Celery task that runs one job: acknowledged only when done, so a killed
#: worker's message is delivered again (the claim makes a duplicate delivery a no-op).
JOB_TASK = {"acks_late": True, "reject_on_worker_lost": True}


def backoff(attempts: int, *, base: int = 30, ceiling: int = 600) -> dt.timedelta:
    """Delay before the next attempt after `attempts` failures: 30 s, 60 s, 120 s … capped."""
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


class Retried(models.Model):
    """The columns of a row that is tried again after a failure (outbox messages and jobs)."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class JobLife:
    """How the rows of one kind of job live: what their statuses are called, which column shows
    that a worker holds the row, and the limits. `running` may equal `queued` (a certificate
    is "pending" until built): a claimed row is then told by its lease alone.

    With `settings_prefix`, the limits are read from the settings `<prefix>_MAX_ATTEMPTS`,
    `<prefix>_STALE_SECONDS` and `<prefix>_QUEUED_GRACE_SECONDS` each time they are needed."""

    queued: str = "queued"
    running: str = "running"
    done: str = "done"
    failed: str = "failed"
    lease: str = "heartbeat_at"
    started: str | None = "started_at"
    finished: str | None = "finished_at"
    error: str = "error"
    settings_prefix: str = ""
    max_attempts: int = 3
    stale_seconds: int = 600
    queued_grace_seconds: int = 120

    def _limit(self, name: str, default: int) -> int:
        if not self.settings_prefix:
            return default
        return int(getattr(settings, f"{self.settings_prefix}_{name}"))

    @property
    def attempts_allowed(self) -> int:
        return self._limit("MAX_ATTEMPTS", self.max_attempts)

    @property
    def stale_after(self) -> dt.timedelta:
        """A claim with no sign of life for this long is lost (its worker died)."""
        return dt.timedelta(seconds=self._limit("STALE_SECONDS", self.stale_seconds))

    @property
    def queued_grace(self) -> dt.timedelta:
        """The fast path had this long to start a queued row before the scan considers it lost."""
        return dt.timedelta(seconds=self._limit("QUEUED_GRACE_SECONDS", self.queued_grace_seconds))


class Job(Retried):
    """The columns every long-running job row has; concrete models add their status, what they
    produce and their error column, and name their `job_life`."""

    job_life: ClassVar[JobLife] = JobLife()

    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True


class JobQuerySet(models.QuerySet):
    """Which job rows a worker may take, and which the periodic scan should hand on."""

    def _lease_ran_out(self, now: dt.datetime) -> Q:
        life: JobLife = self.model.job_life
        return Q(**{f"{life.lease}__isnull": True}) | Q(
            **{f"{life.lease}__lt": now - life.stale_after}
        )

    def claimable(self, *, now: dt.datetime | None = None) -> Self:
        """Queued, or running with its lease run out (the worker died)."""
        life: JobLife = self.model.job_life
        now = now or timezone.now()
        return self.filter(status__in={life.queued, life.running}).filter(self._lease_ran_out(now))

    def stalled(self, *, now: dt.datetime | None = None) -> Self:
        """Rows a worker should have taken by now: queued for longer than the fast path needs
        (the broker was down, the message was lost) and not waiting for a backoff, or running
        with no sign of life (the worker died)."""
        life: JobLife = self.model.job_life
        now = now or timezone.now()
        waiting = (
            Q(status=life.queued, created_at__lt=now - life.queued_grace)
            & self._lease_ran_out(now)
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        )
        lost = Q(status=life.running, **{f"{life.lease}__lt": now - life.stale_after})
        return self.filter(waiting | lost)


J = TypeVar("J", bound=Retried)


class TakenOver(Exception):
    """Another worker holds the job now (this one's lease ran out); nothing is written."""


class JobRunner(Generic[J]):
    """Claim, run, record and resume rows of one job model; subclasses implement `run`."""

    model: type[J]
    #: The Celery task (taking the row's primary key) that runs one job; the scan enqueues it.
    task_path: ClassVar[str]
    #: Errors that are an outcome, not an accident (a refused file): failed at once, not retried.
    final_errors: ClassVar[tuple[type[Exception], ...]] = ()
    #: Related rows `run` reads, fetched with the claim.
    related: ClassVar[tuple[str, ...]] = ()
    scan_batch: ClassVar[int] = 500

    @property
    def life(self) -> JobLife:
        return self.model.job_life  # type: ignore[attr-defined]

    # -- what a kind provides ----------------------------------------------------------------

    def run(self, job: J) -> None:
        """Do the work of one claimed row, then write its outcome with `completing(job)`.
        Raise to fail the attempt (a `final_errors` error fails the job)."""
        raise NotImplementedError

    def claim_fields(self, job: J) -> dict[str, Any]:
        """Further fields written with the claim (e.g. progress back to 0)."""
        return {}

    def error_text(self, exc: BaseException) -> str:
        limit = self.model._meta.get_field(self.life.error).max_length or 500
        return f"{exc.__class__.__name__}: {exc}"[:limit]

    def failure_fields(self, job: J, exc: Exception, *, final: bool) -> dict[str, Any]:
        """What a failed attempt records (`final`: no attempts are left)."""
        return {self.life.error: self.error_text(exc)}

    def refused_fields(self, job: J, exc: Exception) -> dict[str, Any]:
        """What a `final_errors` error records."""
        return {self.life.error: str(exc)}

    def gave_up_fields(self, job: J) -> dict[str, Any]:
        """What a job records when it is claimed with no attempts left (its workers died)."""
        return {}

    def ended(self, job: J) -> None:
        """Called inside the transaction that ends the job, done or failed (e.g. delete an
        input file once that commits)."""

    def after(self, job: J) -> None:
        """Called after a job's run was written (e.g. mail its link)."""

    # -- the shared life of a job --------------------------------------------------------------

    def claim(self, pk: int) -> J | None:
        """Take the row for this worker: None if it is done, failed, held by a live worker or
        taken by another claimer first. A row whose attempts are used up is failed here."""
        life = self.life
        now = timezone.now()
        with transaction.atomic():
            job = (
                self.model.objects.select_for_update(of=("self",))
                .select_related(*self.related)
                .filter(pk=pk)
                .claimable(now=now)
                .first()
            )
            if job is None:
                return None
            if job.attempts >= life.attempts_allowed:
                self._end(job, life.failed, self.gave_up_fields(job))
                return None
            fields = {
                "status": life.running,
                "attempts": job.attempts + 1,
                "next_attempt_at": None,
                life.lease: now,
                **({life.started: now} if life.started else {}),
                **self.claim_fields(job),
            }
            # The row lock serialises claimers; without one (SQLite) this conditional write does.
            won = self.model.objects.filter(pk=pk, status=job.status, attempts=job.attempts).update(
                **fields
            )
            if won != 1:
                return None
            for name, value in fields.items():
                setattr(job, name, value)
        return job

    def perform(self, pk: int) -> J | None:
        """Claim and run one job; the job as it ended, or None when there was nothing to do.

        An unexpected error is logged, recorded (queued again after a backoff, or failed when no
        attempts are left) and re-raised, so the task shows it; the periodic scan retries."""
        job = self.claim(pk)
        if job is None:
            return None
        try:
            self.run(job)
        except TakenOver:
            return None
        except self.final_errors as exc:
            with transaction.atomic():
                locked = self._held(job)
                if locked is not None:
                    self._end(locked, self.life.failed, self.refused_fields(job, exc))
        except Exception as exc:
            logger.exception(
                "%s %s failed (attempt %s)", self.model._meta.label, job.pk, job.attempts
            )
            self._record_failure(job, exc)
            raise
        job.refresh_from_db()
        self.after(job)
        return job

    def heartbeat(self, job: J, **fields: Any) -> None:
        """A sign of life (renews the lease), with progress fields, while the claim is ours."""
        self.model.objects.filter(
            pk=job.pk, status=self.life.running, attempts=job.attempts
        ).update(**{self.life.lease: timezone.now()}, **fields)

    @contextmanager
    def completing(self, job: J) -> Iterator[J]:
        """The job's row, locked and marked done; what the body sets is saved with it in one
        transaction. Raises `TakenOver`, writing nothing, when the claim is no longer ours."""
        with transaction.atomic():
            locked = self._held(job)
            if locked is None:
                raise TakenOver
            self._ending(locked, self.life.done, {self.life.error: ""})
            yield locked
            self.ended(locked)
            locked.save()

    def due(self, now: dt.datetime | None = None) -> list[int]:
        """The stalled rows (see `JobQuerySet.stalled`), oldest first."""
        return list(
            self.model.objects.stalled(now=now)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[: self.scan_batch]
        )

    def scan(self, now: dt.datetime | None = None) -> int:
        """The periodic scan: hand every stalled row to a worker; returns how many."""
        from config.celery import send_each

        return send_each(self.task_path, self.due(now))

    # -- inside ------------------------------------------------------------------------------

    def _held(self, job: J) -> J | None:
        """The row locked, if the claim on it is still this worker's."""
        locked = self.model.objects.select_for_update().get(pk=job.pk)
        if locked.status != self.life.running or locked.attempts != job.attempts:
            return None
        return locked

    def _ending(self, job: J, status: str, fields: dict[str, Any]) -> None:
        job.status = status
        for name, value in fields.items():
            setattr(job, name, value)
        if self.life.finished:
            setattr(job, self.life.finished, timezone.now())

    def _end(self, job: J, status: str, fields: dict[str, Any]) -> None:
        self._ending(job, status, fields)
        self.ended(job)
        job.save()

    def _record_failure(self, job: J, exc: Exception) -> None:
        life = self.life
        with transaction.atomic():
            locked = self._held(job)
            if locked is None:
                return
            if locked.attempts >= life.attempts_allowed:
                self._end(locked, life.failed, self.failure_fields(locked, exc, final=True))
                return
            self.model.objects.filter(pk=job.pk).update(
                status=life.queued,
                next_attempt_at=timezone.now() + backoff(locked.attempts),
                **{life.lease: None},
                **self.failure_fields(locked, exc, final=False),
            )
