"""Where each query goes: the primary, or the report replica (`REPORT_DATABASE_URL`).

A report pack or a district roster reads hundreds of thousands of rows and writes none; on a
streaming replica that work no longer competes with the bookings and the secretaries' writes on
the primary. The rule is narrow on purpose:

- every write, every migration and every read inside a transaction on the primary go to the
  primary (`default`): a service that locks a row, or reads what it has just written, must see
  the primary;
- only reads made inside `replica_reads()` go to the replica: the report build
  (`reports.services.build_export`), the heavy read-only export views named in
  `REPORT_REPLICA_VIEWS` (`ReplicaMiddleware`), and the raw SQL that calls `read_connection`;
- even there, the tables of identity and security (sessions, users and roles, sign-in, audit)
  stay on the primary: a session created a moment ago must not look signed out on a replica
  that is a few milliseconds behind;
- read-your-writes: a browser whose request wrote something (a POST that saved) reads from the
  primary for `REPORT_PRIMARY_PIN_SECONDS` (a signed cookie set by `ReplicaMiddleware`), and a
  build in a worker first waits until the replica has replayed everything the primary had
  committed when the build started (`replica_caught_up`), so work queued by a user who just
  saved never misses that save; if the replica does not catch up within
  `REPORT_REPLICA_WAIT_SECONDS`, or does not answer, the build reads from the primary.

Without `REPORT_DATABASE_URL` the `replica` alias is a copy of `default` that nothing routes
to: behaviour is exactly Django's default. In tests it is a test mirror of `default`, so the
routing can be exercised on one PostgreSQL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

REPLICA = "replica"
#: Apps whose tables are always read on the primary, even inside `replica_reads()`.
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts",
        "auth",
        "authtoken",
        "axes",
        "contenttypes",
        "admin",
        "django_otp",
        "otp_static",
        "otp_totp",
        "sessions",
    }
)
PIN_COOKIE = "primary_pin"
_PIN_SALT = "config.dbrouter.primary-pin"
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


def replica_configured() -> bool:
    """True when `REPORT_DATABASE_URL` names a replica (the setting, read at each call, so a
    test can turn it on with `override_settings`)."""
    return bool(settings.REPORT_READS_FROM_REPLICA)


def replica_caught_up(timeout: float | None = None) -> bool:
    """Whether the replica has replayed everything the primary has committed now, waiting up to
    `timeout` seconds (`REPORT_REPLICA_WAIT_SECONDS`) for it.

    A database that is not in recovery is the primary itself (the test mirror, or a setup that
    points REPORT_DATABASE_URL at the primary): caught up by definition. A replica that does not
    answer is not caught up; the caller reads from the primary.
    """
    timeout = settings.REPORT_REPLICA_WAIT_SECONDS if timeout is None else timeout
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[REPLICA]
    if primary.vendor != "postgresql" or replica.vendor != "postgresql":
        return True
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            if cursor.fetchone()[0]:
                return True  # the primary alias is itself a standby: nothing to compare with
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        with replica.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                    [target],
                )
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() >= deadline:
                    logger.warning("report replica behind after %s s: reading the primary", timeout)
                    return False
                time.sleep(0.05)
    except DatabaseError as exc:
        logger.warning("report replica unavailable (%s): reading the primary", type(exc).__name__)
        return False


@contextmanager
def replica_reads(*, wait: bool = True) -> Iterator[str]:
    """Send the reads of domain tables made inside this block to the replica, when one is
    configured and the caller is not pinned to the primary; yields the alias they go to.

    `wait` (for work that runs apart from the request, such as a report build in a worker):
    first wait until the replica has replayed what the primary had committed, or read the
    primary if it does not. Writes inside the block still go to the primary.
    """
    use = replica_configured() and not _pinned.get() and (not wait or replica_caught_up())
    token = _replica_reads.set(use)
    try:
        yield REPLICA if use else DEFAULT_DB_ALIAS
    finally:
        _replica_reads.reset(token)


@contextmanager
def pinned_to_primary(pinned: bool = True) -> Iterator[None]:
    """Every read inside goes to the primary, `replica_reads()` included (read-your-writes)."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection raw SQL reading `model`'s table should use: the one the router picks for
    an ORM read of that model (`connection` is always the primary)."""
    return connections[router.db_for_read(model)]


class ReportReplicaRouter:
    """The database router (`DATABASE_ROUTERS`): see the module docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_reads.get()
            and not _pinned.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: one database in two places

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None if db == DEFAULT_DB_ALIAS else False


def _pin_is_fresh(request: HttpRequest) -> bool:
    try:
        request.get_signed_cookie(
            PIN_COOKIE, salt=_PIN_SALT, max_age=settings.REPORT_PRIMARY_PIN_SECONDS
        )
    except (KeyError, BadSignature):
        return False
    return True


def _in_replica(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streaming response's body, produced with its reads on the replica (the view returned
    before the rows were read)."""
    with replica_reads(wait=False):
        yield from chunks


class ReplicaMiddleware:
    """Read-your-writes and the replica views, for the web process.

    - A request whose browser wrote within `REPORT_PRIMARY_PIN_SECONDS` reads only from the
      primary; a non-GET request that ran an INSERT, UPDATE or DELETE on the primary sets that
      pin (a signed cookie, so it cannot be forged to push load onto the primary for ever: it
      expires by its signed timestamp).
    - A GET of a view named in `REPORT_REPLICA_VIEWS` (the heavy read-only exports) runs with
      `replica_reads()`, its streamed body too.

    Inert (one setting read) when no replica is configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        wrote = False

        def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            nonlocal wrote
            if not wrote and sql.lstrip()[:6].upper().startswith(_WRITES):
                wrote = True
            return execute(sql, params, many, context)

        pinned = _pin_is_fresh(request)
        replica_view = (
            not pinned and request.method in ("GET", "HEAD") and self._is_replica_view(request)
        )
        with pinned_to_primary(pinned), connections[DEFAULT_DB_ALIAS].execute_wrapper(watch):
            if replica_view:
                with replica_reads(wait=False):
                    response = self.get_response(request)
                if response.streaming:
                    response.streaming_content = _in_replica(response.streaming_content)
            else:
                response = self.get_response(request)
        if wrote and request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_PIN_SALT,
                max_age=settings.REPORT_PRIMARY_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _is_replica_view(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in settings.REPORT_REPLICA_VIEWS
