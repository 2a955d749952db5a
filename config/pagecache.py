"""Cached summaries of the heavy staff pages, invalidated by the writes to the data they show.

The dashboard, the compliance heat map and the organisation tree summarise every organisation of
a sub-district: a few grouped queries, then tens of milliseconds of Python and template rendering
per request. What they build is cached per (fragment, scope, language, day, parameters) under
*data versions*, counters bumped whenever a row of the organisation, member or organisational-life
tables is inserted, updated or deleted:

- a write whose sub-district is known (an organisation, a member or a meeting saved through the
  model) bumps that sub-district's counter, and the "any" counter: a page of sub-district staff is
  keyed by the counters of its own sub-districts, so a write in one sub-district does not flush
  the others; pages of wider or narrower scopes (the whole district, a secretary's branch) are
  keyed by the "any" counter;
- a write inside a service that declared its sub-district (`writes_within`, used by the meeting
  services: recording a meeting rewrites its attendance, guests and votes in bulk) bumps that
  sub-district's counter and the "any" counter the same way;
- any other write (bulk updates, deletes, raw SQL, the other watched tables) bumps the global
  counter, which every key includes: nothing escapes, it only flushes more.

The bump is made by a database execute wrapper, not by model signals, so no code path escapes it:
services, the admin, bulk updates, imports, Celery tasks and management commands all write through
it. It happens at once and again when the transaction commits, so a page built in another
transaction from the state before the commit is never served after it.

The cache is shared by every process (Redis in production, a file cache under `make run`). When it
is unreachable, reads miss and pages are built as if nothing were cached; a bump lost that way is
bounded by the entries' lifetime (`PAGE_CACHE_SECONDS`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.utils import translation

from accounts.scope import scope_for

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "pagecache:data-version"  # bumped by writes of unknown scope: flushes everything
ANY_KEY = "pagecache:data-version:any"  # bumped by every write
# The apps whose rows the cached pages are built from.
WATCHED_APPS = ("branches", "regional", "members", "committees", "activities")  # regional and
# committees left branches
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_watched_tables: frozenset[str] | None = None
# Read through the app registry: activities' models import this module (a meeting's delete).
MEETING = "activities.Meeting"


def watched_tables() -> frozenset[str]:
    global _watched_tables
    if _watched_tables is None:
        _watched_tables = frozenset(
            model._meta.db_table
            for label in WATCHED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        )
    return _watched_tables


def _sub_district_key(sub_district_id: int) -> str:
    return f"pagecache:data-version:sd:{sub_district_id}"


def _versions(keys: list[str]) -> list[int] | None:
    """The counters under `keys` (started at random when missing); None when unreachable."""
    try:
        found = cache.get_many(keys)
        missing = [key for key in keys if found.get(key) is None]
        for key in missing:
            # A random start, so entries of a cache that lost its counter are never reused.
            cache.add(key, secrets.randbits(40), timeout=None)
        if missing:
            found.update(cache.get_many(missing))
        if any(found.get(key) is None for key in keys):
            return None
    except Exception:  # the cache is an optimisation: never fail a page for it
        logger.warning("page cache unavailable", exc_info=True)
        return None
    return [found[key] for key in keys]


def data_version() -> int | None:
    """The current global data version; None when the cache cannot be reached."""
    versions = _versions([VERSION_KEY])
    return None if versions is None else versions[0]


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or the cache was emptied): start a fresh one
        try:
            cache.set(key, secrets.randbits(40), timeout=None)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)


def bump() -> None:
    """Invalidate every cached summary (a write whose sub-district is not known)."""
    _incr(VERSION_KEY)


def bump_sub_districts(sub_district_ids: Iterable[int]) -> None:
    """Invalidate the summaries of these sub-districts and of the scopes wider than one."""
    for sub_district_id in sorted(set(sub_district_ids)):
        _incr(_sub_district_key(sub_district_id))
    _incr(ANY_KEY)


class _Bump:
    """The bump to repeat when the transaction commits (a plain callable for on_commit)."""

    def __init__(self, sub_district_ids: frozenset[int] | None) -> None:
        self.sub_district_ids = sub_district_ids

    def __call__(self) -> None:
        if self.sub_district_ids is None:
            bump()
        else:
            bump_sub_districts(self.sub_district_ids)


# The row being saved through a model: (its table, the sub-districts the write touches). Set by
# pre_save, used (once) by the write of that table, cleared by post_save.
_saving: ContextVar[tuple[str, frozenset[int]] | None] = ContextVar(
    "pagecache_saving", default=None
)


def _sub_districts_of_save(instance: Any) -> frozenset[int] | None:
    """The sub-districts a save of `instance` writes into: the new one and, for an update, the
    one on record (a transfer touches both). None when it cannot be told."""
    from branches.models import Organization

    model = type(instance)
    adding = instance._state.adding or instance.pk is None
    if isinstance(instance, Organization):
        found = {instance.sub_district_id}
        if not adding:
            found.update(
                model._base_manager.filter(pk=instance.pk).values_list("sub_district_id", flat=True)
            )
    else:
        organization = instance._state.fields_cache.get("organization")
        if adding and organization is not None and organization.pk == instance.organization_id:
            found = {organization.sub_district_id}
        else:
            before = model._base_manager.filter(pk=instance.pk).values("organization_id")
            found = set(
                Organization.objects.filter(
                    Q(pk=instance.organization_id) | Q(pk__in=before)
                    if not adding
                    else Q(pk=instance.organization_id)
                ).values_list("sub_district_id", flat=True)
            )
    found.discard(None)
    return frozenset(found) or None


@functools.cache
def _narrowed_models() -> tuple[type, ...]:
    """The models whose saves are narrowed to their sub-districts (the busiest watched tables)."""
    return tuple(
        apps.get_model(label) for label in ("branches.Organization", "members.Member", MEETING)
    )


def _before_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or sender not in _narrowed_models():
        return
    sub_district_ids = _sub_districts_of_save(instance)
    _saving.set(None if sub_district_ids is None else (sender._meta.db_table, sub_district_ids))


def _after_save(sender: type, **kwargs: Any) -> None:
    if _saving.get() is not None:
        _saving.set(None)


# The sub-districts a service declared it writes in (`writes_within`): every watched write inside
# it, whatever its form (bulk_create, a queryset delete), is charged to them rather than to all.
_within: ContextVar[frozenset[int] | None] = ContextVar("pagecache_within", default=None)


@contextmanager
def writes_within(sub_district_ids: Iterable[int]) -> Iterator[None]:
    """Charge the writes made inside the block to `sub_district_ids` (and the wider scopes).

    For a service whose every write belongs to one organisation's sub-district (recording a
    meeting writes its attendance, guests, votes and make-up tasks in bulk, which no model save
    labels): without it each of those statements would flush every sub-district's pages. A model
    save inside the block still adds the sub-districts it touches; nested blocks add up."""
    outer = _within.get()
    token = _within.set(frozenset(sub_district_ids) | (outer or frozenset()))
    try:
        yield
    finally:
        _within.reset(token)


@contextmanager
def writes_of(target: Any) -> Iterator[None]:
    """Charge the writes made inside the block to the sub-district of `target`: an organisation,
    a row with an `organization` foreign key (a meeting), or a row with a `meeting` foreign key (a
    make-up task, a leave request, an attachment). Its sub-district is read from the loaded
    relation, or with one query when it is not loaded; when it cannot be told, nothing is
    narrowed (every write flushes as before)."""
    sub_district_id = _sub_district_of(target)
    if sub_district_id is None:
        yield
        return
    with writes_within([sub_district_id]):
        yield


def writes_within_organization(
    of: Callable[[dict[str, Any]], Any],
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a service whose writes all belong to one organisation: `of(kwargs)` gives that
    organisation or a row of it, as `writes_of` takes it."""

    def decorate(service: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(service)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            with writes_of(of(kwargs)):
                return service(*args, **kwargs)

        return wrapper

    return decorate


def _sub_district_of(target: Any) -> int | None:
    from branches.models import Organization

    Meeting = apps.get_model(MEETING)

    if isinstance(target, Organization):
        return target.sub_district_id
    if not isinstance(target, Meeting) and hasattr(target, "meeting_id"):
        # A row of a meeting (a make-up task, a leave request, a check-in, an attachment).
        meeting = target._state.fields_cache.get("meeting")
        if meeting is not None and meeting.pk == target.meeting_id:
            return _sub_district_of(meeting)
        return (
            Meeting.objects.filter(pk=target.meeting_id)
            .values_list("organization__sub_district_id", flat=True)
            .first()
        )
    organization = target._state.fields_cache.get("organization")
    if organization is not None and organization.pk == target.organization_id:
        return organization.sub_district_id
    return (
        Organization.objects.filter(pk=target.organization_id)
        .values_list("sub_district_id", flat=True)
        .first()
    )


def _watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    match = _WRITE.match(sql) if sql[:1] in "IUDiud " else None
    sub_district_ids = None
    if match:
        saving = _saving.get()
        if saving is not None and saving[0] == match.group(1):
            sub_district_ids = saving[1]
            _saving.set(None)  # one statement per save; anything after it is not vouched for
        within = _within.get()
        if within:
            sub_district_ids = within | (sub_district_ids or frozenset())
    result = execute(sql, params, many, context)
    if match and match.group(1) in watched_tables():
        connection = context["connection"]
        on_commit = _Bump(sub_district_ids) if connection.in_atomic_block else None
        _Bump(sub_district_ids)()
        if on_commit is not None:
            transaction.on_commit(on_commit, using=connection.alias)
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch writes on every database connection of this process (from an AppConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch-writes")
    pre_save.connect(_before_save, dispatch_uid="pagecache-before-save")
    post_save.connect(_after_save, dispatch_uid="pagecache-after-save")


def cached(name: str, user: Any, parts: tuple, build: Callable[[], T]) -> T:
    """`build()`, or what it returned for the same scope, language, parts and data version.

    `parts` holds everything else the result depends on (the day, filters, the year); it must be
    made of plain values whose repr is stable.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    scope = scope_for(user)
    if scope.sub_district_ids and not (
        scope.everything or scope.organization_paths or scope.unit_ids
    ):
        counters = [_sub_district_key(pk) for pk in sorted(scope.sub_district_ids)]
    else:
        counters = [ANY_KEY]
    versions = _versions([VERSION_KEY, *counters])
    if versions is None:
        return build()
    version = ".".join(map(str, versions))
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
