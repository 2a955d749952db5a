from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.calendar import token_for
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_branch_feed_lists_planned_meetings_by_secret_link(client, branch, party_group):
    MeetingFactory(
        organization=branch, topic="主题党日活动", starts_at=timezone.now() + dt.timedelta(days=2)
    )
    MeetingFactory(
        organization=party_group,
        kind="group_meeting",
        topic="小组学习",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    MeetingFactory(organization=branch, topic="已开过的会", held_on=dt.date(2026, 1, 5))
    response = client.get(reverse("meeting-calendar", args=[token_for(organization=branch)]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "主题党日活动" in body and "小组学习" in body and "已开过的会" not in body


def test_a_member_feed_has_their_branch_and_group(client, branch, party_group, other_branch):
    member = MemberFactory(organization=branch, party_group=party_group)
    MeetingFactory(
        organization=other_branch, topic="别的支部", starts_at=timezone.now() + dt.timedelta(days=2)
    )
    MeetingFactory(
        organization=party_group,
        kind="group_meeting",
        topic="小组学习",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    body = client.get(reverse("meeting-calendar", args=[token_for(member=member)])).content.decode()
    assert "小组学习" in body and "别的支部" not in body


def test_a_forged_link_is_404(client, branch):
    token = token_for(organization=branch)
    assert client.get(reverse("meeting-calendar", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("meeting-calendar", args=["not-a-token"])).status_code == 404


def test_calendar_links_page_access_matrix(clients, branch):
    assert_access(
        clients,
        reverse("staff:meeting-calendar-links", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
