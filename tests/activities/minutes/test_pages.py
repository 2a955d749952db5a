"""The verify page, removing an attachment, attaching after sign-off, and the API's fields:
each scoped (a secretary reaches only their own branch: 404 elsewhere)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEntry
from activities.models import Attachment, Attendance, Meeting, MeetingRevision
from tests.access import assert_access
from tests.activities.minutes.conftest import upload

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Meeting.objects.values_list("pk", "version", "signed_off_at")),
        list(Attachment.objects.values_list("pk", flat=True)),
        MeetingRevision.objects.count(),
    )


def test_verify_page_access_matrix(clients, signed):
    assert_access(
        clients,
        reverse("staff:meeting-verify", args=[signed.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_the_verify_page_names_the_first_broken_link(clients, signed):
    url = reverse("staff:meeting-verify", args=[signed.pk])
    page = clients["secretary"].get(url).content.decode()
    assert 'data-state="verified"' in page
    assert MeetingRevision.objects.get().hash in page
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Attendance._meta.db_table} SET status = 'absent' "  # noqa: S608
            "WHERE meeting_id = %s AND status = 'present'",
            [signed.pk],
        )
    page = clients["staff"].get(url).content.decode()
    assert 'data-state="broken"' in page and "v1" in page
    entries = AuditEntry.objects.filter(action="meeting.minutes_verified").order_by("pk")
    assert [e.data["state"] for e in entries] == ["verified", "broken"]


def test_an_unsigned_meeting_has_nothing_sealed(clients, held):
    page = clients["secretary"].get(reverse("staff:meeting-verify", args=[held.pk]))
    assert 'data-state="unsealed"' in page.content.decode()


def test_meeting_docx_access_matrix(clients, signed):
    assert_access(
        clients,
        reverse("staff:meeting-minutes-docx", args=[signed.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_remove_attachment_access_matrix(clients, signed):
    attachment = Attachment.objects.get(meeting=signed)
    url = reverse("staff:attachment-remove", args=[attachment.pk])
    expected = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 404,
        "secretary": 200,
        "staff": 200,
    }
    assert_access(clients, url, expected)
    # Without a reason the signed-off minutes refuse the removal: the form is shown again.
    assert_access(clients, url, expected, method="post", data={}, snapshot=state)
    page = clients["secretary"].post(url, {}).content.decode()
    assert "change_reason" in page
    response = clients["secretary"].post(url, {"change_reason": "传错了文件"})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    head = MeetingRevision.objects.get(version=2)
    assert head.reason == "传错了文件" and head.snapshot["record"]["attachments"] == []


def test_attaching_to_signed_off_minutes_through_the_page_needs_a_reason(clients, signed):
    url = reverse("staff:meeting-attach", args=[signed.pk])
    client = clients["secretary"]
    before = state()
    client.post(url, {"kind": "photo", "file": upload("照片.png")})
    assert state() == before
    client.post(url, {"kind": "photo", "file": upload("照片.png"), "change_reason": "补交照片"})
    assert Attachment.objects.count() == 2
    assert MeetingRevision.objects.get(version=2).reason == "补交照片"
    detail = client.get(reverse("staff:meeting-detail", args=[signed.pk])).content.decode()
    assert reverse("staff:meeting-verify", args=[signed.pk]) in detail
    assert MeetingRevision.objects.get(version=2).hash in detail


def test_the_meeting_api_gives_the_hash_and_the_verified_state(
    clients, signed, held, branch, django_assert_max_num_queries
):
    from tests.activities.factories import MeetingFactory

    client = clients["secretary"]
    client.get("/api/v1/meetings/")
    with django_assert_max_num_queries(20) as few:
        rows = client.get("/api/v1/meetings/").json()["results"]
    assert rows[0]["hash"] == MeetingRevision.objects.get().hash
    assert rows[0]["verified"] is True and rows[0]["broken_link"] == ""
    for _ in range(10):
        MeetingFactory(organization=branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = client.get("/api/v1/meetings/").json()["results"]
    assert {row["verified"] for row in rows} == {True, None}
    Attendance.objects.filter(meeting=signed).update(reason="改过")
    row = client.get(f"/api/v1/meetings/{signed.pk}/").json()
    assert row["verified"] is False and row["broken_link"].startswith("v1")
    assert clients["other_secretary"].get(f"/api/v1/meetings/{signed.pk}/").status_code == 404
