"""The audit log: denials recorded, retention never below 180 days, a scoped read-only page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.services import prune_audit_log, record_audit
from accounts.tasks import prune_audit_entries
from tests.access import assert_access

# Django's clock held at today 10:00 Asia/Shanghai (tests/conftest.py), issue 14.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

URL = reverse("staff:audit-log")


def test_access_matrix(clients):
    assert_access(
        clients,
        URL,
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
    )


def test_a_denied_page_and_a_denied_api_call_are_recorded(clients, resident):
    clients["resident"].get(reverse("staff:dashboard"))
    clients["secretary"].post("/api/v1/organizations/", {"name": "x"})
    denied = AuditEntry.objects.filter(action="access.denied")
    assert {(e.data["path"], e.data["method"]) for e in denied} == {
        ("/staff/", "GET"),
        ("/api/v1/organizations/", "POST"),
    }


def test_staff_read_their_sub_districts_people_only(
    clients, staff, secretary, other_secretary, resident, other_sub_district_branch
):
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory, UserFactory

    stranger = UserFactory(username="stranger")
    RoleAssignmentFactory(
        user=stranger, role=Role.SECRETARY, organization=other_sub_district_branch
    )
    record_audit(actor=secretary, action="member.created")
    record_audit(actor=other_secretary, action="meeting.recorded")
    record_audit(actor=stranger, action="member.changed")
    record_audit(actor=resident, action="booking.created")
    record_audit(actor=None, action="auth.login_failed", data={"username": "x"})
    response = clients["staff"].get(URL)
    actions = {e.action for e in response.context["entries"]}
    assert "member.created" in actions and "meeting.recorded" in actions
    assert not actions & {"member.changed", "booking.created", "auth.login_failed"}


def test_filters_and_pagination(clients, secretary, django_assert_max_num_queries):
    for n in range(60):
        record_audit(actor=secretary, action="member.changed" if n % 2 else "meeting.recorded")
    client = clients["staff"]
    page = client.get(URL, {"action": "member", "actor": "secretary"})
    assert {e.action for e in page.context["entries"]} == {"member.changed"}
    assert page.context["page_obj"].paginator.count == 30
    today = timezone.localdate().isoformat()
    assert client.get(URL, {"start": today, "end": today}).context["page_obj"].paginator.count >= 60
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for _n in range(60):
        record_audit(actor=secretary, action="member.changed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL + "?page=2").status_code == 200


def test_retention_keeps_the_setting_and_never_less_than_180_days(settings, secretary):
    old = record_audit(actor=secretary, action="a")
    middle = record_audit(actor=secretary, action="b")
    young = record_audit(actor=secretary, action="c")
    now = timezone.now()
    AuditEntry.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=400))
    AuditEntry.objects.filter(pk=middle.pk).update(created_at=now - timedelta(days=200))
    AuditEntry.objects.filter(pk=young.pk).update(created_at=now - timedelta(days=100))
    settings.AUDIT_RETENTION_DAYS = 365
    assert prune_audit_entries() == 1
    settings.AUDIT_RETENTION_DAYS = 30  # below the floor: 180 days are kept anyway
    assert prune_audit_log() == 1
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["c"]


def test_the_admin_never_edits_or_deletes_entries(rf, superuser):
    entry = record_audit(actor=superuser, action="x")
    admin = site._registry[AuditEntry]
    request = rf.get("/")
    request.user = superuser
    assert admin.has_view_permission(request, entry)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert not admin.has_add_permission(request)


def test_the_retention_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.prune_audit_entries" in tasks
