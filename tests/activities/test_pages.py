from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Attachment, Meeting
from activities.services import MeetingRecord, record_meeting
from tests.access import assert_access
from tests.activities.factories import MeetingFactory, at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


def state():
    return list(Meeting.objects.values_list("pk", "status", "version", "topic", "signed_off_at"))


@pytest.fixture
def meeting(branch):
    return MeetingFactory(organization=branch, kind="general_meeting", starts_at=at(DAY))


@pytest.mark.parametrize("name", ["staff:meeting-list", "staff:compliance", "staff:make-up-list"])
def test_read_pages_access_matrix(clients, name):
    assert_access(
        clients,
        reverse(name),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_meeting_page_access_matrix(clients, meeting):
    assert_access(
        clients,
        reverse("staff:meeting-detail", args=[meeting.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


@pytest.mark.parametrize("name", ["staff:meeting-record", "staff:meeting-cancel"])
def test_write_pages_refuse_other_branches(clients, meeting, name):
    url = reverse(name, args=[meeting.pk])
    expected = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 404,
        "secretary": 200,
        "staff": 200,
    }
    assert_access(clients, url, expected)
    assert_access(
        clients,
        url,
        {**expected, "secretary": 200, "staff": 200},
        method="post",
        data={},
        snapshot=state,
    )


def test_sign_off_is_refused_to_another_branch(clients, meeting):
    url = reverse("staff:meeting-sign-off", args=[meeting.pk])
    for role, status in [("anonymous", 302), ("resident", 403), ("other_secretary", 404)]:
        before = state()
        assert clients[role].post(url).status_code == status
        assert state() == before


def test_a_secretary_records_from_the_roster_marking_only_the_exceptions(clients, branch, meeting):
    members = [MemberFactory(organization=branch) for _ in range(30)]
    url = reverse("staff:meeting-record", args=[meeting.pk])
    form = clients["secretary"].get(url).context["form"]
    data = {
        "topic": "第四季度党员大会",
        "starts_at": "2026-11-02T19:00",
        "place": "党群服务中心",
        "main_points": "传达学习会议精神",
    }
    for member in members:
        data[f"att_{member.pk}"] = form[f"att_{member.pk}"].initial
    data[f"att_{members[0].pk}"] = "leave"
    data[f"reason_{members[0].pk}"] = "出差"
    data.update(
        {"motion_0": "接收预备党员", "method_0": "hands", "yes_0": 28, "no_0": 1, "abstain_0": 0}
    )
    response = clients["secretary"].post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.held_on == DAY
    assert meeting.attendances.filter(status="present").count() == 29
    vote = meeting.votes.get()
    assert vote.passed and vote.present_entitled == 29


def test_record_page_query_count_does_not_grow_with_the_roster(
    clients, branch, meeting, django_assert_max_num_queries
):
    url = reverse("staff:meeting-record", args=[meeting.pk])
    client = clients["secretary"]
    MemberFactory(organization=branch)
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(20):
        MemberFactory(organization=branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_list_query_count_does_not_grow(clients, branch, django_assert_max_num_queries):
    client = clients["staff"]
    MeetingFactory(organization=branch, held_on=DAY)
    client.get(reverse("staff:meeting-list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("staff:meeting-list"))
    for i in range(20):
        MeetingFactory(organization=branch, held_on=DAY - dt.timedelta(days=i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("staff:meeting-list"))


def test_compliance_page_query_count_does_not_grow(
    clients, work_committee, django_assert_max_num_queries, settings
):
    from tests.branches.factories import OrganizationFactory

    settings.PAGE_CACHE_SECONDS = 0  # measure the build, not the cached heat map
    client = clients["staff"]
    client.get(reverse("staff:compliance"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("staff:compliance"))
    for i in range(15):
        branch = OrganizationFactory(parent=work_committee, name=f"热力支部{i}")
        MeetingFactory(organization=branch, held_on=timezone.localdate().replace(day=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff:compliance"))
    assert response.content.decode().count('<th scope="row"') >= 15


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_attachments_are_served_only_to_those_who_may_see_the_meeting(clients, meeting):
    response = clients["secretary"].post(
        reverse("staff:meeting-attach", args=[meeting.pk]),
        {"kind": "sign_in", "file": SimpleUploadedFile("sign.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("staff:attachment-download", args=[attachment.pk])
    response = clients["secretary"].get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert clients["other_secretary"].get(url).status_code == 404
    assert clients["resident"].get(url).status_code == 403


def test_a_disguised_upload_is_refused_with_a_message(clients, meeting):
    response = clients["secretary"].post(
        reverse("staff:meeting-attach", args=[meeting.pk]),
        {
            "kind": "photo",
            "file": SimpleUploadedFile("x.png", b"MZ\x90\x00evil", content_type="image/png"),
        },
        follow=True,
    )
    assert "只能上传照片" in response.content.decode()
    assert not Attachment.objects.exists()


def test_editing_a_signed_off_record_needs_a_reason_and_shows_the_old_version(
    clients, branch, meeting, secretary
):
    member = MemberFactory(organization=branch)
    record_meeting(
        meeting=meeting,
        record=MeetingRecord(attendance={member.pk: ("present", "")}, main_points="原要点"),
        actor=secretary,
    )
    client = clients["secretary"]
    client.post(reverse("staff:meeting-sign-off", args=[meeting.pk]))
    data = {
        "topic": meeting.topic,
        "starts_at": "2026-11-02T19:00",
        f"att_{member.pk}": "present",
        "main_points": "新要点",
    }
    response = client.post(reverse("staff:meeting-record", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "修改请填写原因" in response.content.decode()
    data["change_reason"] = "补充要点"
    response = client.post(reverse("staff:meeting-record", args=[meeting.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("staff:meeting-detail", args=[meeting.pk])).content.decode()
    assert "补充要点" in page and "原要点" in page
