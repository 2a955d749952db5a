"""Cached summaries of the heavy staff pages, invalidated by any write to the data they show.

The dashboard, the compliance heat map and the organisation tree summarise every organisation of
a sub-district: a few grouped queries, then tens of milliseconds of Python and template rendering
per request. What they build is cached per (fragment, scope, language, day, parameters) under a
*data version*, a counter bumped whenever a row of the organisation, member or organisational-life
tables is inserted, updated or deleted.

The bump is made by a database execute wrapper, not by model signals, so no code path escapes it:
services, the admin, bulk updates, imports, Celery tasks and management commands all write through
it. It happens at once and again when the transaction commits, so a page built in another
transaction from the state before the commit is never served after it.

The cache is shared by every process (Redis in production, a file cache under `make run`). When it
is unreachable, reads miss and pages are built as if nothing were cached; a bump lost that way is
bounded by the entries' lifetime (`PAGE_CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.utils import translation

from accounts.scope import scope_for

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "pagecache:data-version"
# The apps whose rows the cached pages are built from.
WATCHED_APPS = ("branches", "regional", "members", "activities")  # regional left branches
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_watched_tables: frozenset[str] | None = None


def watched_tables() -> frozenset[str]:
    global _watched_tables
    if _watched_tables is None:
        _watched_tables = frozenset(
            model._meta.db_table
            for label in WATCHED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        )
    return _watched_tables


def data_version() -> int | None:
    """The current data version; None when the cache cannot be reached."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # A random start, so entries of a cache that lost its counter are never reused.
            cache.add(VERSION_KEY, secrets.randbits(40), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # the cache is an optimisation: never fail a page for it
        logger.warning("page cache unavailable", exc_info=True)
        return None
    return version


def bump() -> None:
    """Invalidate every cached summary (called on writes to the watched tables)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no counter yet (or the cache was emptied): start a fresh one
        try:
            cache.set(VERSION_KEY, secrets.randbits(40), timeout=None)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)


def _watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if sql[:1] in "IUDiud " else None
    if match and match.group(1) in watched_tables():
        bump()
        connection = context["connection"]
        if connection.in_atomic_block:
            transaction.on_commit(bump, using=connection.alias)
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch writes on every database connection of this process (from an AppConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch-writes")


def cached(name: str, user: Any, parts: tuple, build: Callable[[], T]) -> T:
    """`build()`, or what it returned for the same scope, language, parts and data version.

    `parts` holds everything else the result depends on (the day, filters, the year); it must be
    made of plain values whose repr is stable.
    """
    version = data_version()
    if version is None or not settings.PAGE_CACHE_SECONDS:
        return build()
    scope = scope_for(user)
    described = repr(
        (
            scope.everything,
            sorted(scope.sub_district_ids),
            scope.organization_paths,
            sorted(scope.unit_ids),
            translation.get_language(),
            parts,
        )
    )
    digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    key = f"pagecache:{name}:{version}:{digest}"
    try:
        hit = cache.get(key)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        hit = None
    if hit is not None:
        return hit
    value = build()
    try:
        cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
    return value
