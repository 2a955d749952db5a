"""Sealed minutes: the canonical snapshot a revision keeps and the hash chain over revisions.

Once a meeting is signed off, its record is sealed: sign-off stores revision 1 and every later
change (a new record, an attachment added or removed) stores the next, with its reason. A
revision keeps a canonical snapshot of everything an inspector reads (attendance with reasons,
guests, votes, resolutions, chair, note-taker, agenda and points, each attachment's SHA-256)
and `hash = sha256(previous hash + canonical JSON of the snapshot)`, so altering a stored
snapshot, deleting a revision or changing a sealed row in the database breaks the chain at a
link `verification.verify` can name.

The canonical JSON is deterministic: keys sorted, no spaces, UTF-8 text as is, datetimes in
ISO 8601 in UTC, dates in ISO 8601, rows in a fixed order. The functions here read a meeting's
related rows through `.all()`, so a prefetched queryset computes many meetings' records without
a query per meeting, and they take duck-typed rows, so the data migration that sealed the
existing minutes used them with historical models.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.utils import timezone

from accounts.models import User

# The layout of `record_of`. Format 0 is a record stored before sealing existed (kept as it was,
# hashed by the migration that sealed it); verification compares the keys a record stores.
FORMAT = 1
CHUNK_BYTES = 1024 * 1024


def canonical_json(value: Any) -> str:
    """The one text a snapshot is hashed as: sorted keys, compact separators, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(previous: str, snapshot: Mapping[str, Any]) -> str:
    """The link's hash: sha256 over the previous link's hash (empty for the first) followed by
    the snapshot's canonical JSON, as hexadecimal."""
    return hashlib.sha256((previous + canonical_json(snapshot)).encode("utf-8")).hexdigest()


def file_sha256(stream: IO[bytes]) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time from its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """A date as YYYY-MM-DD, an aware datetime in UTC (the same instant always reads the same)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _person(member: Any) -> dict[str, Any] | None:
    return None if member is None else {"id": member.pk, "name": member.full_name}


def record_of(meeting: Any) -> dict[str, Any]:
    """The record as an inspector reads it, as plain data in a fixed order."""
    attendances = sorted(meeting.attendances.all(), key=lambda a: (a.member_name, a.member_id))
    return {
        "format": FORMAT,
        "meeting": meeting.pk,
        "organization": {"id": meeting.organization_id, "name": meeting.organization.name},
        "kind": meeting.kind,
        "lecture_kind": meeting.lecture_kind,
        "topic": meeting.topic,
        "place": meeting.place,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.ends_at),
        "held_on": iso(meeting.held_on),
        "status": meeting.status,
        "chair": _person(meeting.chair),
        "note_taker": _person(meeting.note_taker),
        "agenda": meeting.agenda,
        "main_points": meeting.main_points,
        "resolutions": meeting.resolutions,
        "rectification": meeting.rectification,
        "out_of_period_reason": meeting.out_of_period_reason,
        "quorum_met": meeting.quorum_met,
        "attendance": [
            {
                "member": a.member_id,
                "name": a.member_name,
                "status": a.status,
                "reason": a.reason,
                "entitled_to_vote": a.entitled_to_vote,
            }
            for a in attendances
        ],
        "guests": [
            {"name": g.name, "title": g.title} for g in sorted(meeting.guests.all(), key=_pk)
        ],
        "votes": [
            {
                "motion": v.motion,
                "method": v.method,
                "entitled": v.entitled,
                "present_entitled": v.present_entitled,
                "yes": v.yes,
                "no": v.no,
                "abstain": v.abstain,
                "quorum_met": v.quorum_met,
                "passed": v.passed,
            }
            for v in sorted(meeting.votes.all(), key=_pk)
        ],
        "attachments": [
            {
                "id": f.pk,
                "name": f.original_name,
                "kind": f.kind,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in sorted(meeting.attachments.all(), key=_pk)
        ],
    }


def _pk(row: Any) -> int:
    return row.pk


# Names that may change without the minutes changing (an organisation renamed, a member's name
# corrected on the roll): the record prints them as they were, verification compares the ids.
_BY_ID = ("organization", "chair", "note_taker")


def comparable(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with the people and the organisation reduced to their ids."""
    return {
        key: (value["id"] if key in _BY_ID and isinstance(value, Mapping) else value)
        for key, value in record.items()
    }


def record_differences(sealed: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """The keys of a sealed record whose value the live record no longer has (keys the sealed
    record does not store are not compared: a later format adds keys without breaking)."""
    sealed_values, live_values = comparable(sealed), comparable(live)
    return [key for key in sorted(sealed_values) if sealed_values[key] != live_values.get(key)]


def revision_snapshot(
    record: Mapping[str, Any],
    *,
    version: int,
    reason: str,
    sealed_at: dt.datetime | None,
    sealed_by: str,
) -> dict[str, Any]:
    """What a revision stores and hashes: the record and the facts of its sealing."""
    return {
        "version": version,
        "reason": reason,
        "sealed_at": iso(sealed_at),
        "sealed_by": sealed_by,
        "record": dict(record),
    }


def seal(*, meeting: Any, reason: str, actor: User | None) -> Any:
    """Store the meeting's current record as revision `meeting.version`, chained to the last one.

    The caller holds the meeting's row lock (`activities.services._lock_meeting`) and has saved
    the change, in the same transaction: two changes cannot seal the same version, and a change
    that rolls back leaves no revision."""
    from activities.models import MeetingRevision

    previous = meeting.revisions.order_by("-version").only("hash").first()
    previous_hash = previous.hash if previous is not None else ""
    by = actor if actor is not None and actor.is_authenticated else None
    snapshot = revision_snapshot(
        record_of(meeting),
        version=meeting.version,
        reason=reason,
        sealed_at=timezone.now().replace(microsecond=0),
        sealed_by=by.get_username() if by is not None else "",
    )
    return MeetingRevision.objects.create(
        meeting=meeting,
        version=meeting.version,
        snapshot=snapshot,
        reason=reason[:200],
        changed_by=by,
        previous_hash=previous_hash,
        hash=chain_hash(previous_hash, snapshot),
    )


def chain(snapshots: Iterable[Mapping[str, Any]]) -> list[str]:
    """The hashes of consecutive snapshots from the first link (for tests and the migration)."""
    hashes: list[str] = []
    for snapshot in snapshots:
        hashes.append(chain_hash(hashes[-1] if hashes else "", snapshot))
    return hashes
