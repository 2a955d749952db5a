"""The cached summaries of the heavy staff pages (config/pagecache.py): served from the cache on a
second visit, rebuilt after any write to the data they show (saves and bulk updates alike), kept
apart per scope and language, and never in the way when the cache server is down."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Role
from branches.models import Organization, OrganizationKind
from config import pagecache
from members.models import Member
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.activities.factories import MeetingFactory
from tests.branches.factories import OrganizationFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

PAGES = ["staff:dashboard", "staff:compliance", "staff:organization-tree"]


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-pagecache-{uuid.uuid4().hex}",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


@pytest.mark.parametrize("page", PAGES)
def test_a_second_visit_skips_the_build(clients, work_committee, page, settings):
    for i in range(8):
        OrganizationFactory(parent=work_committee, name=f"缓存支部{i}")
    client, url = clients["staff"], reverse(page)
    settings.PAGE_CACHE_SECONDS = 0
    built, uncached_body = _queries(client, url)
    settings.PAGE_CACHE_SECONDS = 600
    _queries(client, url)  # fills the cache
    served, body = _queries(client, url)
    assert served < built
    for i in range(8):
        assert (f"缓存支部{i}" in body) == (f"缓存支部{i}" in uncached_body)


def test_a_saved_row_refreshes_the_tree(clients, branch):
    client, url = clients["staff"], reverse("staff:organization-tree")

    def english() -> str:
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "0 full · 0 probationary" in english()
    MemberFactory(organization=branch)
    assert "1 full · 0 probationary" in english()


def test_a_bulk_update_refreshes_the_tree(clients, branch):
    """Bulk updates send no model signal; the write watcher sees them all the same."""
    client, url = clients["staff"], reverse("staff:organization-tree")
    assert branch.name in client.get(url).content.decode()
    Organization.objects.filter(pk=branch.pk).update(name="改过名的支部")
    body = client.get(url).content.decode()
    assert "改过名的支部" in body and branch.name not in body


def test_a_recorded_meeting_refreshes_the_heat_map(clients, branch):
    client, url = clients["staff"], reverse("staff:compliance")
    assert 'data-testid="counts-by-kind"' not in client.get(url).content.decode()
    MeetingFactory(organization=branch, held_on=timezone.localdate())
    assert 'data-testid="counts-by-kind"' in client.get(url).content.decode()


def test_a_new_problem_refreshes_the_dashboard(clients, work_committee):
    client, url = clients["staff"], reverse("staff:dashboard")

    def problems() -> int:
        body = client.get(url).content.decode()
        found = re.search(r'data-testid="problem-count".*?class="stat-value">(\d+)<', body, re.S)
        return int(found.group(1))

    before = problems()
    OrganizationFactory(parent=work_committee, name="没有党员的支部")  # too few members
    assert problems() == before + 1


def test_scopes_and_languages_are_cached_apart(clients, branch, other_branch):
    url = reverse("staff:organization-tree")
    assert other_branch.name in clients["staff"].get(url).content.decode()
    assert other_branch.name not in clients["secretary"].get(url).content.decode()
    assert "full ·" in clients["staff"].get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = clients["staff"].get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "正式" in chinese and "full ·" not in chinese


def test_writes_elsewhere_keep_the_cache(branch, staff):
    version = pagecache.data_version()
    AuditEntry.objects.create(actor=staff, action="test.read", target_label="-")
    assert pagecache.data_version() == version
    OrganizationFactory(parent=branch.get_parent(), name="又一个支部")
    assert pagecache.data_version() != version


def test_the_commit_bumps_again(work_committee, django_capture_on_commit_callbacks):
    """A page built in another transaction before the commit must not outlive it."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        OrganizationFactory(parent=work_committee, name="提交后再失效")
    keys = [
        pagecache.VERSION_KEY,
        pagecache.ANY_KEY,
        pagecache._sub_district_key(work_committee.sub_district_id),
    ]
    before = pagecache._versions(keys)
    for callback in callbacks:
        callback()
    after = pagecache._versions(keys)
    assert after[1] != before[1] and after[2] != before[2]


def test_pages_and_saves_work_with_the_cache_server_down(clients, branch, settings):
    settings.CACHES = _redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    assert pagecache.data_version() is None
    client = clients["staff"]
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 200
    OrganizationFactory(parent=branch.get_parent(), name="缓存停了也能建")
    assert "缓存停了也能建" in client.get(reverse("staff:organization-tree")).content.decode()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")
def test_the_real_redis_cache(clients, branch, settings):
    settings.CACHES = _redis_cache(os.environ["REDIS_URL"])
    from django.core.cache import cache

    try:
        client, url = clients["staff"], reverse("staff:organization-tree")
        settings.PAGE_CACHE_SECONDS = 0
        built, _ = _queries(client, url)
        settings.PAGE_CACHE_SECONDS = 600
        _queries(client, url)
        served, _ = _queries(client, url)
        assert served < built
        Organization.objects.filter(pk=branch.pk).update(name="在真实缓存里改名")
        assert "在真实缓存里改名" in client.get(url).content.decode()
    finally:
        cache.delete_pattern("*")  # only this test's prefix


@pytest.fixture
def other_staff(other_sub_district_branch):
    user = UserFactory(username="other_staff", is_staff=True)
    RoleAssignmentFactory(
        user=user,
        role=Role.SUB_DISTRICT_STAFF,
        sub_district=other_sub_district_branch.sub_district,
    )
    return user


@pytest.mark.parametrize("write", ["member", "meeting", "member_update"])
def test_a_write_in_one_sub_district_keeps_the_pages_of_another(
    clients, branch, other_sub_district_branch, other_staff, settings, write
):
    settings.PAGE_CACHE_SECONDS = 600
    member = MemberFactory(organization=branch)
    ours, url = clients["staff"], reverse("staff:organization-tree")
    theirs = Client()
    theirs.force_login(other_staff)
    _queries(theirs, url)  # fills their cache
    served, _ = _queries(theirs, url)
    assert "1 full · 0 probationary" in ours.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    if write == "member":
        MemberFactory(organization=branch)
    elif write == "meeting":
        MeetingFactory(organization=branch, held_on=timezone.localdate())
    else:
        member.full_name = "改过名的党员"
        member.save()

    assert _queries(theirs, url)[0] == served  # still served from the cache
    if write == "member":  # and ours is rebuilt
        body = ours.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "2 full · 0 probationary" in body


def test_a_transfer_to_another_sub_district_refreshes_both(
    clients, branch, other_sub_district_branch, other_staff, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    member = MemberFactory(organization=branch)
    ours, url = clients["staff"], reverse("staff:organization-tree")
    theirs = Client()
    theirs.force_login(other_staff)

    def english(client) -> str:
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1 full" in english(ours) and "0 full" in english(theirs)
    member = Member.objects.get(pk=member.pk)  # no organisation loaded with it
    member.organization = other_sub_district_branch
    member.save()
    assert "0 full" in english(ours) and "1 full" in english(theirs)


def test_a_bulk_update_flushes_every_sub_district(
    clients, branch, other_sub_district_branch, other_staff, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    theirs, url = Client(), reverse("staff:organization-tree")
    theirs.force_login(other_staff)
    _queries(theirs, url)
    served, _ = _queries(theirs, url)
    Organization.objects.filter(pk=branch.pk).update(name="批量改名")  # its scope is not known
    assert _queries(theirs, url)[0] > served


@pytest.mark.parametrize("page", PAGES)
def test_the_uncached_builds_run_as_many_queries_for_3_branches_as_for_12(
    clients, work_committee, page, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client, url = clients["staff"], reverse(page)
    counts = []
    for n in (3, 9):
        for i in range(n):
            org = OrganizationFactory(parent=work_committee, name=f"规模支部{n}-{i}")
            OrganizationFactory(parent=org, name="党小组", kind=OrganizationKind.PARTY_GROUP)
            MemberFactory(organization=org)
            MeetingFactory(organization=org, held_on=timezone.localdate())
        counts.append(_queries(client, url)[0])
    assert counts[0] == counts[1]


def test_recording_a_meeting_keeps_the_pages_of_another_sub_district(
    clients, branch, other_sub_district_branch, other_staff, settings, clock
):
    """Recording a meeting rewrites its attendance, guests and votes in bulk (no model save
    labels those): the service declares its sub-district, so the other sub-district's heat map
    stays cached while ours is rebuilt."""
    from activities.models import Meeting
    from activities.services import MeetingRecord, plan_meeting, record_meeting
    from tests.activities.factories import at

    settings.PAGE_CACHE_SECONDS = 600
    members = [MemberFactory(organization=branch) for _ in range(2)]
    day = timezone.localdate() - dt.timedelta(days=1)
    meeting = plan_meeting(
        organization=branch,
        kind="general_meeting",
        topic="季度党员大会",
        starts_at=at(day),
        actor=None,
    )
    url = reverse("staff:compliance")
    ours, theirs = clients["staff"], Client()
    theirs.force_login(other_staff)
    for client in (ours, theirs):
        _queries(client, url)  # fills the cache
    ours_served, theirs_served = _queries(ours, url)[0], _queries(theirs, url)[0]

    record_meeting(
        meeting=Meeting.objects.get(pk=meeting.pk),  # its organisation not loaded: read once
        record=MeetingRecord(attendance={m.pk: ("present", "") for m in members}),
        actor=None,
    )

    assert _queries(theirs, url)[0] == theirs_served  # still served from the cache
    rebuilt, body = _queries(ours, url)
    assert rebuilt > ours_served  # ours was flushed: the new meeting counts
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


def test_a_declared_sub_district_adds_to_what_a_save_touches(branch, other_sub_district_branch):
    """Inside `writes_within`, a save of a row of another sub-district still bumps that one too:
    a declaration narrows the writes no save labels, never a save's own scope."""
    ours, theirs = branch.sub_district_id, other_sub_district_branch.sub_district_id
    keys = [pagecache._sub_district_key(ours), pagecache._sub_district_key(theirs)]
    before = pagecache._versions([pagecache.VERSION_KEY, *keys])
    with pagecache.writes_within([ours]):
        MemberFactory(organization=other_sub_district_branch)
    after = pagecache._versions([pagecache.VERSION_KEY, *keys])
    assert after[0] == before[0]  # nothing flushed everything
    assert after[1] > before[1] and after[2] > before[2]


def test_completing_a_make_up_study_keeps_the_pages_of_another_sub_district(
    clients, branch, other_sub_district_branch, other_staff, settings, clock
):
    """Confirming a make-up study writes a row no model save labels with a sub-district: the
    service declares the meeting's, so nothing flushes every sub-district and the other one's
    heat map is still served from the cache."""
    from activities.models import MakeUpTask
    from activities.services import MeetingRecord, complete_make_up, plan_meeting, record_meeting
    from tests.activities.factories import at

    settings.PAGE_CACHE_SECONDS = 600
    present, absent = MemberFactory(organization=branch), MemberFactory(organization=branch)
    day = timezone.localdate() - dt.timedelta(days=2)
    meeting = plan_meeting(
        organization=branch,
        kind="general_meeting",
        topic="季度党员大会",
        starts_at=at(day),
        actor=None,
    )
    record_meeting(
        meeting=meeting,
        record=MeetingRecord(
            attendance={present.pk: ("present", ""), absent.pk: ("absent", "值班")}
        ),
        actor=None,
    )
    task = MakeUpTask.objects.get(meeting=meeting)  # its meeting not loaded: read once
    url = reverse("staff:compliance")
    theirs = Client()
    theirs.force_login(other_staff)
    _queries(theirs, url)  # fills their cache
    served = _queries(theirs, url)[0]
    ours, theirs_key = (
        pagecache._sub_district_key(branch.sub_district_id),
        pagecache._sub_district_key(other_sub_district_branch.sub_district_id),
    )
    before = pagecache._versions([pagecache.VERSION_KEY, ours, theirs_key])

    complete_make_up(task=task, done_on=timezone.localdate(), note="自学会议精神", actor=None)

    after = pagecache._versions([pagecache.VERSION_KEY, ours, theirs_key])
    assert after[0] == before[0]  # nothing flushed everything
    assert after[1] > before[1]  # ours was flushed
    assert after[2] == before[2]
    assert _queries(theirs, url)[0] == served  # still served from the cache
    assert MakeUpTask.objects.get(pk=task.pk).done_on == timezone.localdate()


@pytest.mark.parametrize("how", ["model", "queryset"])
def test_deleting_a_meeting_keeps_the_pages_of_another_sub_district(
    clients, branch, other_sub_district_branch, other_staff, settings, clock, how
):
    """A meeting deleted (one row, or a queryset) takes its attendance with it; only its own
    sub-district's heat map is rebuilt, the other sub-district's is still served."""
    from activities.models import Attendance, Meeting

    settings.PAGE_CACHE_SECONDS = 600
    member = MemberFactory(organization=branch)
    meeting = MeetingFactory(organization=branch, held_on=timezone.localdate(), status="held")
    Attendance.objects.create(
        meeting=meeting, member=member, member_name=member.full_name, status="present"
    )
    url = reverse("staff:compliance")
    ours, theirs = clients["staff"], Client()
    theirs.force_login(other_staff)
    for client in (ours, theirs):
        _queries(client, url)  # fills the cache
    ours_served, theirs_served = _queries(ours, url)[0], _queries(theirs, url)[0]
    before = pagecache._versions([pagecache.VERSION_KEY])

    if how == "queryset":
        Meeting.objects.filter(pk=meeting.pk).delete()
    else:
        Meeting.objects.get(pk=meeting.pk).delete()  # its organisation not loaded: read once

    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Attendance.objects.filter(member=member).exists()
    assert pagecache._versions([pagecache.VERSION_KEY]) == before  # nothing flushed everything
    assert _queries(theirs, url)[0] == theirs_served  # still served from the cache
    assert _queries(ours, url)[0] > ours_served  # ours is rebuilt
