"""Verification of sealed minutes: recompute the chain and name the first broken link.

A meeting's minutes verify when its revisions are versions 1…N without a gap, each stored
`previous_hash` is the hash of the link before it, each stored `hash` is sha256(previous hash +
the canonical snapshot) recomputed now, the last link is the meeting's current version, and the
live record (attendance, votes, attachments… as the tables hold them now) is the one the last
link sealed. The first check that fails names its link (`v3`) and what is wrong with it; a row
altered in SQL after sealing is therefore found whether the snapshot or the live row was
touched. With `files=True` each attachment's stored file is read again and its SHA-256 compared.

`verify` reads the meeting's rows through `.all()`: `for_verification(queryset)` prefetches
them, so verifying a page of meetings, a branch or everything costs a fixed number of queries
per batch, not per meeting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from activities.minutes.sealing import chain_hash, file_sha256, record_differences, record_of
from activities.models import Attachment, Attendance, Guest, Meeting, Vote

BATCH = 200


@dataclass(frozen=True)
class Verification:
    """The outcome for one meeting. `ok` is None when there is nothing sealed to verify (not
    signed off); `broken_version` names the first link that fails, `problem` says why."""

    ok: bool | None
    links: int
    head: str
    broken_version: int | None = None
    problem: str = ""

    @property
    def state(self) -> str:
        """ "verified", "broken" or "unsealed", as the API and the command print it."""
        return {True: "verified", False: "broken", None: "unsealed"}[self.ok]

    @property
    def link(self) -> str:
        return f"v{self.broken_version}" if self.broken_version is not None else ""


_ROWS = {"attendance": Attendance, "guests": Guest, "votes": Vote, "attachments": Attachment}


def field_label(key: str) -> str:
    """A record key as a person reads it: the model field's or the related rows' name."""
    if key in _ROWS:
        return str(_ROWS[key]._meta.verbose_name_plural)
    if key == "meeting":
        return str(Meeting._meta.verbose_name)
    try:
        return str(Meeting._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:  # a key of a later format: shown as it is
        return key


def for_verification(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings with every row `verify` (and the printed minutes) read, prefetched."""
    return queryset.select_related("organization", "chair", "note_taker").prefetch_related(
        "attendances", "guests", "votes", "attachments", "revisions"
    )


def _broken(links: int, head: str, version: int, problem: str) -> Verification:
    return Verification(ok=False, links=links, head=head, broken_version=version, problem=problem)


def verify(
    meeting: Meeting, *, files: bool = False, record: dict[str, Any] | None = None
) -> Verification:
    """Recompute the meeting's chain and compare its last link with the live record (`record`:
    `record_of(meeting)` when the caller has it already, as the printed minutes do)."""
    revisions = sorted(meeting.revisions.all(), key=lambda r: r.version)
    head = revisions[-1].hash if revisions else ""
    links = len(revisions)
    if not revisions:
        if meeting.signed_off_at is None:
            return Verification(ok=None, links=0, head="")
        return _broken(0, "", 1, _("The minutes are signed off but no version was sealed."))
    previous = ""
    for expected, revision in enumerate(revisions, start=1):
        if revision.version != expected:
            return _broken(
                links,
                head,
                expected,
                _("Version %(version)s is missing from the chain.") % {"version": expected},
            )
        if revision.previous_hash != previous:
            return _broken(
                links,
                head,
                expected,
                _("Its link to the previous version does not match that version's hash."),
            )
        if chain_hash(previous, revision.snapshot) != revision.hash:
            return _broken(
                links,
                head,
                expected,
                _("The stored record does not match its hash: it was altered after sealing."),
            )
        if revision.snapshot.get("version") != revision.version:
            return _broken(
                links, head, expected, _("The version number stored with it was changed.")
            )
        previous = revision.hash
    last = revisions[-1]
    if meeting.signed_off_at is None:
        return _broken(
            links, head, last.version, _("The minutes have sealed versions but are not signed off.")
        )
    if meeting.version != last.version:
        return _broken(
            links,
            head,
            min(meeting.version, last.version + 1),
            _("The record is at version %(current)s but the last sealed version is %(last)s.")
            % {"current": meeting.version, "last": last.version},
        )
    sealed = last.snapshot.get("record") or {}
    if sealed.get("format", 0) >= 1:
        changed = record_differences(sealed, record if record is not None else record_of(meeting))
        if changed:
            return _broken(
                links,
                head,
                last.version,
                _("The record in the database differs from the sealed version in: %(fields)s.")
                % {"fields": "、".join(field_label(key) for key in changed)},
            )
    if files:
        problem = _files_problem(meeting)
        if problem:
            return _broken(links, head, last.version, problem)
    return Verification(ok=True, links=links, head=head)


def _files_problem(meeting: Meeting) -> str:
    for attachment in sorted(meeting.attachments.all(), key=lambda a: a.pk):
        try:
            with attachment.file.open("rb") as stream:
                digest = file_sha256(stream)
        except OSError:
            return _("The file of attachment “%(name)s” is missing.") % {
                "name": attachment.original_name
            }
        if digest != attachment.sha256:
            return _("The file of attachment “%(name)s” does not match its SHA-256.") % {
                "name": attachment.original_name
            }
    return ""


def verify_all(
    queryset: QuerySet[Meeting], *, files: bool = False
) -> Iterator[tuple[Meeting, Verification]]:
    """Each meeting of the queryset with its verification, read in batches of `BATCH` meetings
    (keyset by primary key, the batch's rows prefetched)."""
    last_pk = 0
    base = queryset.order_by("pk")
    while True:
        batch: list[Any] = list(for_verification(base.filter(pk__gt=last_pk))[:BATCH])
        if not batch:
            return
        for meeting in batch:
            yield meeting, verify(meeting, files=files)
        last_pk = batch[-1].pk
