"""Row locks that make an "at most N" rule hold under parallel requests.

A limit counted with `SELECT count(*)` is only a limit if no other transaction can add a row
between the count and the insert. Under READ COMMITTED, ten parallel requests all count the same
rows and all insert. Each counting service therefore first locks the one row that owns what is
counted (the resident's user row, the unit's row …), late — after the cheap checks, just before
the count — and always in the same order (owner before the rows it owns), so that requests of the
same owner queue up behind each other and requests of different owners never wait on each other.

When the owner has no row (a phone number asking for codes before it belongs to anyone), an
advisory transaction lock on a key does the same job. Both locks end with the transaction, so the
caller must be inside `transaction.atomic()`.
"""

from __future__ import annotations

import zlib

from django.db import connection, models, transaction


def lock_owner(owner: models.Model) -> None:
    """Lock `owner`'s row until the end of the current transaction (SELECT … FOR UPDATE).

    Only the primary key is read: the caller's instance stays as it was, and the lock does not
    widen to related rows (no `select_related`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_owner() must run inside transaction.atomic()")
    manager = owner._meta.model._base_manager  # not type(): request.user is a lazy proxy
    list(manager.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))


def lock_key(namespace: str, key: str) -> None:
    """Lock an owner that has no row (e.g. a phone number) for the rest of the transaction.

    A PostgreSQL advisory transaction lock on a 64-bit key made of the namespace and the key;
    a collision only means two unrelated owners wait on each other briefly. On other databases
    (SQLite serialises writers anyway) it does nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_key() must run inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    high = zlib.crc32(namespace.encode()) - 2**31
    low = zlib.crc32(key.encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [high, low])
