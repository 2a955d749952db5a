"""Sign-off seals version 1 of the minutes; every change after it seals the next version with a
reason, chained by hash. The clock is fixed, so every snapshot and hash is reproducible."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from accounts.models import AuditEntry
from activities.minutes.sealing import canonical_json, chain, chain_hash, record_of
from activities.minutes.services import remove_attachment
from activities.models import Attachment, Meeting, MeetingRevision
from activities.services import MeetingRecord, MeetingRuleBroken, attach_file, record_meeting
from tests.activities.minutes.conftest import PNG, everyone, upload

pytestmark = pytest.mark.django_db


def test_canonical_json_is_sorted_compact_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": {"d": [2, 1], "c": "会议"}}) == (
        '{"a":{"c":"会议","d":[2,1]},"b":1}'
    )


def test_an_attachment_before_sign_off_gets_its_sha256_and_no_revision(held):
    attachment = Attachment.objects.get(meeting=held)
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert not MeetingRevision.objects.exists()


def test_sign_off_seals_everything_an_inspector_reads_as_version_1(signed, people, secretary):
    chair, note_taker, others = people
    revision = MeetingRevision.objects.get(meeting=signed)
    assert (revision.version, revision.previous_hash, revision.changed_by) == (1, "", secretary)
    snapshot = revision.snapshot
    assert snapshot["version"] == 1 and snapshot["sealed_by"] == "secretary"
    assert snapshot["sealed_at"] == "2026-11-03T01:30:00+00:00"  # 09:30 in Shanghai, in UTC
    record = snapshot["record"]
    assert record["starts_at"] == "2026-11-02T11:00:00+00:00"
    assert record["held_on"] == "2026-11-02"
    assert record["chair"] == {"id": chair.pk, "name": "王洁茹"}
    assert record["note_taker"] == {"id": note_taker.pk, "name": "李记录"}
    assert {
        "member": others[0].pk,
        "name": others[0].full_name,
        "status": "leave",
        "reason": "出差在外",
        "entitled_to_vote": True,
    } in record["attendance"]
    assert record["votes"][0]["motion"] == "接收张三为预备党员" and record["votes"][0]["passed"]
    assert record["resolutions"] == "同意接收张三为预备党员"
    assert record["guests"] == [{"name": "赵明", "title": "街道党工委"}]
    assert [(f["name"], f["sha256"]) for f in record["attachments"]] == [
        ("签到表.png", hashlib.sha256(PNG).hexdigest())
    ]
    expected = hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert revision.hash == expected
    assert AuditEntry.objects.get(action="meeting.signed_off").data["hash"] == expected


def test_the_snapshot_is_the_same_however_the_rows_are_read(signed):
    from activities.minutes.verification import for_verification

    plain = Meeting.objects.get(pk=signed.pk)
    prefetched = for_verification(Meeting.objects.filter(pk=signed.pk)).get()
    assert canonical_json(record_of(plain)) == canonical_json(record_of(prefetched))


def test_each_change_after_sign_off_seals_the_next_link(signed, people, secretary, fixed):
    fixed.advance(days=1)
    with pytest.raises(MeetingRuleBroken) as refused:
        attach_file(meeting=signed, upload=upload("照片.png"), kind="photo", actor=secretary)
    assert refused.value.field == "change_reason"
    assert Attachment.objects.count() == 1 and MeetingRevision.objects.count() == 1

    record_meeting(
        meeting=signed,
        record=MeetingRecord(attendance=everyone(people), main_points="补充要点"),
        actor=secretary,
        change_reason="补充会议要点",
    )
    photo = attach_file(
        meeting=signed,
        upload=upload("照片.png", PNG + b"photo"),
        kind="photo",
        actor=secretary,
        change_reason="补交会议照片",
    )
    remove_attachment(attachment=photo, actor=secretary, change_reason="照片重复上传")

    revisions = list(MeetingRevision.objects.filter(meeting=signed).order_by("version"))
    assert [(r.version, r.reason) for r in revisions] == [
        (1, revisions[0].snapshot["reason"]),
        (2, "补充会议要点"),
        (3, "补交会议照片"),
        (4, "照片重复上传"),
    ]
    assert [r.previous_hash for r in revisions] == ["", *[r.hash for r in revisions[:-1]]]
    assert [r.hash for r in revisions] == chain(r.snapshot for r in revisions)
    assert revisions[1].snapshot["record"]["main_points"] == "补充要点"
    assert [f["name"] for f in revisions[2].snapshot["record"]["attachments"]] == [
        "签到表.png",
        "照片.png",
    ]
    assert [f["name"] for f in revisions[3].snapshot["record"]["attachments"]] == ["签到表.png"]
    assert Meeting.objects.get(pk=signed.pk).version == 4
    removed = AuditEntry.objects.get(action="meeting.attachment_removed")
    assert removed.data["name"] == "照片.png" and removed.data["hash"] == revisions[3].hash


def test_the_chain_is_reproducible_under_a_fixed_clock(signed):
    revision = MeetingRevision.objects.get(meeting=signed)
    assert chain_hash("", revision.snapshot) == revision.hash
    assert chain_hash("x", revision.snapshot) != revision.hash


def test_a_refused_change_leaves_no_revision_and_no_version(signed, people, secretary):
    with pytest.raises(MeetingRuleBroken):
        record_meeting(
            meeting=signed,
            record=MeetingRecord(attendance=everyone(people), main_points="改"),
            actor=secretary,
            change_reason="   ",
        )
    assert MeetingRevision.objects.count() == 1
    assert Meeting.objects.get(pk=signed.pk).version == 1


def test_removing_an_attachment_before_sign_off_needs_no_reason(
    held, secretary, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.get(meeting=held)
    path = Path(attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=attachment, actor=secretary)
    assert not Attachment.objects.exists() and not MeetingRevision.objects.exists()
    assert not path.exists()
