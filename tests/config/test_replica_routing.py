"""The report replica (config/dbrouter.py): which database each read and write goes to.

In tests the `replica` alias is a test mirror of `default` (config/settings.py): a second
connection to the same test database, so the routing is exercised on one PostgreSQL. A mirror's
connection sees only committed rows, hence `transaction=True` where rows are read through it.
"""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from accounts.models import User
from activities.models import Meeting
from branches.models import OrganizationKind
from branches.services.tree import found_organization
from config.dbrouter import (
    PIN_COOKIE,
    REPLICA,
    _in_replica,
    pinned_to_primary,
    read_connection,
    replica_caught_up,
    replica_reads,
)
from members.models import Member
from reports import services
from reports.figures import build_figures
from reports.models import ExportJob, JobStatus
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

BOTH = ["default", "replica"]


@pytest.fixture
def with_replica(settings):
    settings.REPORT_READS_FROM_REPLICA = True
    return settings


def test_without_a_replica_every_read_goes_to_the_primary():
    with replica_reads(wait=False) as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Member) == DEFAULT_DB_ALIAS
        assert read_connection(Meeting) is connections[DEFAULT_DB_ALIAS]


def test_reads_of_a_report_build_go_to_the_replica_and_writes_to_the_primary(with_replica):
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS  # outside a build: the primary
    with replica_reads(wait=False) as alias:
        assert alias == REPLICA
        assert router.db_for_read(Member) == REPLICA
        assert router.db_for_read(ExportJob) == REPLICA
        assert read_connection(Meeting) is connections[REPLICA]
        # Identity and security stay on the primary: a fresh session must not look signed out.
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
        for model in (Member, ExportJob, User):
            assert router.db_for_write(model) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS


def test_migrations_run_only_on_the_primary(with_replica):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "members")
    assert not router.allow_migrate(REPLICA, "members")
    assert not router.allow_migrate_model(REPLICA, Member)


def test_a_pinned_user_reads_from_the_primary(with_replica):
    with pinned_to_primary(), replica_reads(wait=False) as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Member) == DEFAULT_DB_ALIAS


def test_a_streamed_body_reads_the_replica_after_the_view_has_returned(with_replica):
    """A streaming export reads its rows while the server sends the body, after the middleware
    returned: the body is wrapped so those reads still go to the replica, and only they."""

    def body():
        yield router.db_for_read(Member).encode()
        yield router.db_for_read(User).encode()

    assert list(_in_replica(body())) == [b"replica", b"default"]
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary(with_replica):
    with replica_reads(wait=False):
        with transaction.atomic():
            assert router.db_for_read(Member) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Member) == REPLICA


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no server: a closed port cannot make its replica stop answering",
)
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_mirror_is_caught_up_and_a_replica_that_does_not_answer_is_not(with_replica):
    assert replica_caught_up(timeout=0)
    with replica_reads() as alias:
        assert alias == REPLICA
    replica = connections[REPLICA]
    original = replica.settings_dict  # a mirror shares the primary's dict: never edit it in place
    replica.close()
    replica.settings_dict = {**original, "PORT": 1}  # nothing listens there
    try:
        assert not replica_caught_up(timeout=0)
        with replica_reads() as alias:
            assert alias == DEFAULT_DB_ALIAS  # the build falls back to the primary
    finally:
        replica.close()
        replica.settings_dict = original


def _by_alias(run) -> dict[str, list[str]]:
    """The SQL each connection ran while `run()` ran."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        run()
    return {
        DEFAULT_DB_ALIAS: [q["sql"] for q in primary.captured_queries],
        REPLICA: [q["sql"] for q in replica.captured_queries],
    }


def _reads_of(sql: list[str], table: str) -> list[str]:
    reads = ("SELECT", "WITH", "DECLARE")  # DECLARE: a server-side cursor (.iterator())
    return [s for s in sql if s.lstrip().upper().startswith(reads) and table in s]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_report_build_reads_from_the_replica_end_to_end(
    with_replica, settings, tmp_path, sub_district, staff
):
    settings.MEDIA_ROOT = tmp_path
    root = found_organization(
        sub_district=sub_district,
        parent=None,
        name="测试街道党工委",
        kind=OrganizationKind.WORK_COMMITTEE,
        founded_on=dt.date(2019, 1, 1),
        actor=None,
    )
    community = found_organization(
        sub_district=sub_district,
        parent=root,
        name="甲社区党支部",
        kind=OrganizationKind.BRANCH,
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    for _ in range(3):
        MemberFactory(organization=community)
    MeetingFactory(organization=community, held_on=dt.date(2026, 5, 12))
    job, _ = services.request_export(
        sub_district=sub_district, year=2026, number=2, format="xlsx", actor=staff
    )

    sql = _by_alias(lambda: services.build_export(job.pk))

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # The figures were read on the replica: members, organisations, meetings (raw SQL too) …
    assert _reads_of(sql[REPLICA], '"members_member"')
    assert _reads_of(sql[REPLICA], '"branches_organization"')
    assert _reads_of(sql[REPLICA], "activities_meeting")
    # … and none of them on the primary, which took only the job's own claim, progress and file.
    for table in ('"members_member"', "activities_meeting", '"regional_'):
        assert not _reads_of(sql[DEFAULT_DB_ALIAS], table), table
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in sql[REPLICA])
    assert any('"reports_exportjob"' in s and "UPDATE" in s for s in sql[DEFAULT_DB_ALIAS])
    # The same figures as a build on the primary.
    scope = services.scope_of(job)
    assert job.figures == build_figures(scope, 2026, 2)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_a_replica_a_report_build_never_touches_the_replica_alias(
    settings, tmp_path, sub_district, branch, staff
):
    settings.MEDIA_ROOT = tmp_path
    MemberFactory(organization=branch)
    job, _ = services.request_export(
        sub_district=sub_district, year=2026, number=2, format="csv", actor=staff
    )
    sql = _by_alias(lambda: services.build_export(job.pk))
    assert sql[REPLICA] == [] and _reads_of(sql[DEFAULT_DB_ALIAS], '"members_member"')


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_roster_export_reads_from_the_replica_until_the_user_saves(
    with_replica, clients, branch, sub_district
):
    MemberFactory(organization=branch)
    staff = clients["staff"]
    export = reverse("staff:member-export")

    sql = _by_alias(lambda: staff.get(export))
    assert _reads_of(sql[REPLICA], '"members_member"')
    assert not _reads_of(sql[DEFAULT_DB_ALIAS], '"members_member"')
    assert PIN_COOKIE not in staff.cookies  # a GET that wrote (its audit entry) pins nothing

    # A POST that saved (a report asked for) pins this browser to the primary …
    response = staff.post(
        reverse("staff:report_request"),
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "csv"},
    )
    assert response.status_code == 302 and ExportJob.objects.exists()
    assert staff.cookies[PIN_COOKIE]["max-age"] == 30
    sql = _by_alias(lambda: staff.get(export))
    assert sql[REPLICA] == [] and _reads_of(sql[DEFAULT_DB_ALIAS], '"members_member"')
    # … while another user still reads the replica.
    sql = _by_alias(lambda: clients["secretary"].get(export))
    assert _reads_of(sql[REPLICA], '"members_member"')


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_pin_ends_after_its_window(with_replica, clients, branch, sub_district, monkeypatch):
    with_replica.REPORT_PRIMARY_PIN_SECONDS = 1
    MemberFactory(organization=branch)
    staff = clients["staff"]
    staff.post(
        reverse("staff:report_request"),
        {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "csv"},
    )
    assert PIN_COOKIE in staff.cookies
    # Two seconds on for the signed timestamp's check only (the session keeps the real clock):
    # the pin is older than its window (the browser would drop it).
    later = time.time() + 2.1
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    sql = _by_alias(lambda: staff.get(reverse("staff:member-export")))
    assert _reads_of(sql[REPLICA], '"members_member"')


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_forged_pin_is_ignored(with_replica, clients, branch):
    MemberFactory(organization=branch)
    staff = clients["staff"]
    staff.cookies[PIN_COOKIE] = "1"
    sql = _by_alias(lambda: staff.get(reverse("staff:member-export")))
    assert _reads_of(sql[REPLICA], '"members_member"')


def _view_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _view_names(pattern, inner)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_replica_view_names_a_url(settings):
    """A renamed export must not silently fall back to the primary."""
    assert set(settings.REPORT_REPLICA_VIEWS) <= _view_names()
