"""Seal the minutes signed off before sealing existed, so that old data verifies.

1. Every attachment gets the SHA-256 of its stored file (a file missing from storage keeps an
   empty digest, which the sealed record then shows).
2. Every signed-off meeting gets its chain. A revision used to keep the record as it stood
   *before* an edit, with that edit's reason; now revision k is the record *as version k* and
   the reason version k came to be. The earlier rows are the records of versions 1…N-1 already,
   so each keeps its record (marked format 0: it has no chair, note-taker or attachments) and
   takes the reason, author and time of the change that made its version (version 1: the
   sign-off); the current record is sealed as version N. Hashes are chained in version order.

Running it again changes nothing: meetings whose revisions carry hashes are skipped.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

from activities.minutes.sealing import chain_hash, file_sha256, record_of, revision_snapshot

BATCH = 500


def _digest_attachments(Attachment) -> None:
    pending = []
    for attachment in Attachment.objects.filter(sha256="").iterator(chunk_size=BATCH):
        try:
            with attachment.file.open("rb") as stream:
                attachment.sha256 = file_sha256(stream)
        except (OSError, ValueError):
            continue
        pending.append(attachment)
        if len(pending) >= BATCH:
            Attachment.objects.bulk_update(pending, ["sha256"])
            pending = []
    Attachment.objects.bulk_update(pending, ["sha256"])


def _name(user) -> str:
    return user.username if user is not None else ""


def seal_existing(apps, schema_editor) -> None:
    Attachment = apps.get_model("activities", "Attachment")
    Meeting = apps.get_model("activities", "Meeting")
    Revision = apps.get_model("activities", "MeetingRevision")
    _digest_attachments(Attachment)
    with translation.override(settings.LANGUAGE_CODE):
        signed_off = gettext("Signed off")
    meetings = (
        Meeting.objects.filter(signed_off_at__isnull=False)
        .select_related("organization", "chair", "note_taker", "signed_off_by")
        .prefetch_related(
            "attendances", "guests", "votes", "attachments", "revisions__changed_by"
        )
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(meetings.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        changed, created = [], []
        for meeting in batch:
            old = sorted(meeting.revisions.all(), key=lambda r: r.version)
            if any(r.hash for r in old):
                continue
            made = {1: (signed_off, meeting.signed_off_by, meeting.signed_off_at)}
            for revision in old:
                made[revision.version + 1] = (
                    revision.reason,
                    revision.changed_by,
                    revision.created_at,
                )
            previous = ""
            for revision in old:
                reason, by, at = made[revision.version]
                revision.snapshot = revision_snapshot(
                    {"format": 0, **revision.snapshot},
                    version=revision.version,
                    reason=reason,
                    sealed_at=at,
                    sealed_by=_name(by),
                )
                revision.reason, revision.changed_by, revision.created_at = reason[:200], by, at
                revision.previous_hash = previous
                revision.hash = previous = chain_hash(previous, revision.snapshot)
                changed.append(revision)
            if meeting.version in {r.version for r in old}:
                continue
            reason, by, at = made.get(
                meeting.version, (signed_off, meeting.signed_off_by, meeting.signed_off_at)
            )
            snapshot = revision_snapshot(
                record_of(meeting),
                version=meeting.version,
                reason=reason,
                sealed_at=at,
                sealed_by=_name(by),
            )
            created.append(
                Revision(
                    meeting=meeting,
                    version=meeting.version,
                    snapshot=snapshot,
                    reason=reason[:200],
                    changed_by=by,
                    previous_hash=previous,
                    hash=chain_hash(previous, snapshot),
                    created_at=at,
                )
            )
        Revision.objects.bulk_update(
            changed, ["snapshot", "reason", "changed_by", "created_at", "previous_hash", "hash"]
        )
        times = [revision.created_at for revision in created]
        created = Revision.objects.bulk_create(created)
        # auto_now_add wrote "now" on insert; the row's time is the version's.
        for revision, at in zip(created, times, strict=True):
            revision.created_at = at
        Revision.objects.bulk_update(created, ["created_at"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0007_minutes_sealed_by_hash")]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
