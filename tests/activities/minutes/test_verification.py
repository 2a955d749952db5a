"""Verification recomputes the chain and names the first broken link: rows altered in SQL
after sealing (a snapshot, an attendance row, a deleted revision, a file) are found."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import AuditEntry
from activities.minutes.verification import verify, verify_all
from activities.models import Attachment, Attendance, Meeting, MeetingRevision
from activities.services import MeetingRecord, record_meeting
from tests.activities.factories import MeetingFactory
from tests.activities.minutes.conftest import DAY, everyone

pytestmark = pytest.mark.django_db


def fresh(meeting):
    return Meeting.objects.get(pk=meeting.pk)


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def edited(signed, people, secretary, fixed):
    """Three links: sign-off, then two edits."""
    for n, points in enumerate(["第二版要点", "第三版要点"]):
        fixed.advance(hours=1)
        record_meeting(
            meeting=signed,
            record=MeetingRecord(attendance=everyone(people), main_points=points),
            actor=secretary,
            change_reason=f"第{n + 2}次修改",
        )
    return fresh(signed)


def test_an_untouched_chain_verifies(edited):
    result = verify(edited, files=True)
    assert (result.ok, result.links, result.state) == (True, 3, "verified")
    assert result.head == MeetingRevision.objects.get(meeting=edited, version=3).hash


def test_minutes_not_signed_off_have_nothing_to_verify(branch):
    result = verify(MeetingFactory(organization=branch, held_on=DAY))
    assert (result.ok, result.state, result.head) == (None, "unsealed", "")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="alters the row with jsonb_set")
def test_a_snapshot_altered_in_sql_breaks_its_link(edited):
    table = MeetingRevision._meta.db_table
    sql(
        f"UPDATE {table} SET snapshot = jsonb_set(snapshot, '{{record,main_points}}', "  # noqa: S608
        "'\"悄悄改过\"') WHERE meeting_id = %s AND version = 2",
        edited.pk,
    )
    result = verify(fresh(edited))
    assert result.ok is False and result.link == "v2"
    assert "hash" in result.problem or "哈希" in result.problem


def test_an_attendance_row_altered_after_sealing_breaks_the_last_link(edited, people):
    absent = people[2][0]
    sql(
        f"UPDATE {Attendance._meta.db_table} SET status = 'present', reason = '' "  # noqa: S608
        "WHERE meeting_id = %s AND member_id = %s",
        edited.pk,
        absent.pk,
    )
    result = verify(fresh(edited))
    assert result.ok is False and result.link == "v3"
    assert str(Attendance._meta.verbose_name_plural) in result.problem


def test_a_rehashed_snapshot_still_breaks_the_next_link(edited):
    """Whoever alters v2 and recomputes its hash breaks v3's link to it."""
    revision = MeetingRevision.objects.get(meeting=edited, version=2)
    revision.snapshot["record"]["main_points"] = "悄悄改过"
    from activities.minutes.sealing import chain_hash

    MeetingRevision.objects.filter(pk=revision.pk).update(
        snapshot=revision.snapshot, hash=chain_hash(revision.previous_hash, revision.snapshot)
    )
    result = verify(fresh(edited))
    assert result.ok is False and result.link == "v3"


def test_a_deleted_revision_is_a_missing_link(edited):
    sql(
        f"DELETE FROM {MeetingRevision._meta.db_table} WHERE meeting_id = %s AND version = 2",  # noqa: S608
        edited.pk,
    )
    result = verify(fresh(edited))
    assert result.ok is False and result.link == "v2"


def test_sign_off_removed_in_sql_is_found(signed):
    Meeting.objects.filter(pk=signed.pk).update(signed_off_at=None)
    result = verify(fresh(signed))
    assert result.ok is False and result.link == "v1"


def test_an_attachment_file_replaced_on_disk_is_found_when_files_are_read(signed):
    attachment = Attachment.objects.get(meeting=signed)
    with open(attachment.file.path, "wb") as stream:
        stream.write(b"\x89PNG\r\n\x1a\n replaced")
    assert verify(fresh(signed)).ok is True  # the rows are intact
    result = verify(fresh(signed), files=True)
    assert result.ok is False and result.link == "v1" and "签到表.png" in result.problem


def test_verifying_many_meetings_reads_in_batches(edited, branch, django_assert_max_num_queries):
    for _ in range(5):
        MeetingFactory(organization=branch, held_on=DAY)
    with django_assert_max_num_queries(10):
        results = list(verify_all(Meeting.objects.all()))
    assert sorted(r.state for _m, r in results) == ["unsealed"] * 5 + ["verified"]


def test_the_command_exits_non_zero_naming_the_broken_link(edited, other_branch):
    out = io.StringIO()
    call_command("verify_minutes", "all", stdout=out)
    assert "1 verified" in out.getvalue()
    sql(
        f"UPDATE {Attendance._meta.db_table} SET reason = '改' WHERE meeting_id = %s",  # noqa: S608
        edited.pk,
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_minutes", "--branch", str(edited.organization_id), stdout=out)
    assert f"meeting {edited.pk}" in out.getvalue() and "v3" in out.getvalue()
    assert AuditEntry.objects.filter(
        action="meeting.minutes_verified", data__state="broken", data__link="v3"
    ).exists()
    out = io.StringIO()
    call_command("verify_minutes", "--branch", str(other_branch.pk), stdout=out)
    assert "checked 0" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_minutes", "--meeting", str(edited.pk), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("verify_minutes", stdout=io.StringIO())  # no scope given


def test_the_migration_seals_minutes_signed_off_before_sealing(branch, people, secretary, fixed):
    """Old data: a meeting signed off, edited once (the old revision kept the record before the
    edit, no hash), with an attachment without a digest. The migration's function seals it."""
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile

    from activities.minutes.sealing import chain
    from tests.activities.minutes.conftest import PNG

    migration = importlib.import_module("activities.migrations.0008_seal_signed_off_minutes")
    meeting = MeetingFactory(
        organization=branch,
        kind="general_meeting",
        held_on=DAY,
        chair=people[0],
        version=2,
        signed_off_at=fixed.now,
        signed_off_by=secretary,
        main_points="新要点",
    )
    attachment = Attachment(
        meeting=meeting,
        kind="photo",
        original_name="旧照片.png",
        content_type="image/png",
        size=len(PNG),
    )
    attachment.file.save("x", ContentFile(PNG), save=True)
    old = MeetingRevision.objects.create(
        meeting=meeting,
        version=1,
        snapshot={"topic": meeting.topic, "main_points": "原要点", "attendance": []},
        reason="补充要点",
        changed_by=secretary,
    )
    migration.seal_existing(apps, None)
    migration.seal_existing(apps, None)  # a second run changes nothing

    revisions = list(MeetingRevision.objects.filter(meeting=meeting).order_by("version"))
    assert [r.version for r in revisions] == [1, 2]
    assert revisions[0].pk == old.pk
    assert revisions[0].snapshot["record"]["main_points"] == "原要点"
    assert revisions[0].snapshot["record"]["format"] == 0
    assert revisions[1].reason == "补充要点"  # the reason version 2 came to be
    assert revisions[1].snapshot["record"]["chair"]["name"] == "王洁茹"
    assert revisions[1].snapshot["record"]["attachments"][0]["sha256"]
    assert [r.hash for r in revisions] == chain(r.snapshot for r in revisions)
    result = verify(fresh(meeting), files=True)
    assert result.ok is True, result.problem


def test_the_demo_signs_off_minutes_that_verify():
    call_command("seed_demo", stdout=io.StringIO())
    signed = Meeting.objects.filter(signed_off_at__isnull=False)
    assert signed.exists()
    assert MeetingRevision.objects.filter(meeting__in=signed, version=1).count() == signed.count()
    out = io.StringIO()
    call_command("verify_minutes", "all", stdout=out)
    assert f"{signed.count()} verified" in out.getvalue() and "0 broken" in out.getvalue()
