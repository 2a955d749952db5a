from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from regional.models import ActionItem, ActionStatus, ProgressNote
from regional.services import joint as services
from tests.access import assert_access
from tests.branches.factories import CommunityFactory
from tests.regional import joint_setup

API = "/api/v1"
URL = "staff:joint-community-actions"


@pytest.fixture
def w(db, sub_district, branch, staff):
    w = joint_setup.build(sub_district, branch)
    w.resolution = services.add_resolution(meeting=w.meeting, text="决议", actor=staff)
    day = w.meeting.scheduled_on
    w.late = ActionItem.objects.create(
        resolution=w.resolution,
        title="清理楼道",
        owner_community=w.community,
        deadline=w.today - dt.timedelta(days=2),
    )
    w.coming = ActionItem.objects.create(
        resolution=w.resolution,
        title="义诊场地",
        owner_community=w.community,
        deadline=day + dt.timedelta(days=10),
    )
    w.unit_item = ActionItem.objects.create(
        resolution=w.resolution, title="单位事项", owner_unit=w.unit, deadline=day
    )
    w.neighbour = CommunityFactory(sub_district=sub_district, name="邻近社区")
    w.neighbours = ActionItem.objects.create(
        resolution=w.resolution, title="邻居事项", owner_community=w.neighbour, deadline=day
    )
    return w


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_access_matrix_includes_the_liaison(clients, w):
    expected = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 200,
        "secretary": 200,
        "staff": 200,
    }
    assert_access(clients, reverse(URL), expected)
    assert as_user(w.liaison).get(reverse(URL)).status_code == 403


def test_secretary_sees_their_communitys_items_staff_all_of_the_sub_district(clients, w):
    mine = clients["secretary"].get(reverse(URL)).context["items"]
    assert {i.pk for i in mine} == {w.late.pk, w.coming.pk}
    everything = clients["staff"].get(reverse(URL)).context["items"]
    assert {i.pk for i in everything} == {w.late.pk, w.coming.pk, w.neighbours.pk}
    assert list(clients["other_secretary"].get(reverse(URL)).context["items"]) == []


def test_filters_and_overdue_highlight(clients, w):
    c = clients["secretary"]
    response = c.get(reverse(URL), {"status": "overdue"})
    assert [i.pk for i in response.context["items"]] == [w.late.pk]
    body = response.content.decode()
    assert 'data-overdue="1"' in body
    assert body.count('data-overdue="1"') == 1
    assert [i.pk for i in c.get(reverse(URL), {"status": "done"}).context["items"]] == []
    # An unknown filter shows everything rather than failing.
    response = c.get(reverse(URL), {"status": "<script>"})
    assert response.status_code == 200 and len(response.context["items"]) == 2


def test_secretary_notes_progress_and_closes_an_item_from_the_list(clients, w):
    c = clients["secretary"]
    back = reverse(URL) + "?status=overdue"
    progress = reverse("staff:joint-action-progress", args=[w.late.pk])
    before = joint_setup.snapshot()
    assert c.post(progress, {"text": "", "next": back}).status_code == 200
    assert joint_setup.snapshot() == before
    response = c.post(progress, {"text": "已联系物业", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = c.post(progress, {"text": "已完成", "done": "on", "next": "https://evil.example/"})
    assert response["Location"] == progress
    w.late.refresh_from_db()
    assert w.late.status == ActionStatus.DONE and w.late.done_on == w.today
    assert ProgressNote.objects.filter(action_item=w.late).count() == 2
    # Another community's item is out of reach.
    other = reverse("staff:joint-action-progress", args=[w.neighbours.pk])
    assert c.post(other, {"text": "越权"}).status_code == 404
    assert clients["other_secretary"].post(progress, {"text": "越权"}).status_code == 404


def test_query_count_does_not_grow_with_rows(clients, w, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        clients["staff"].get(reverse(URL))
    for n in range(15):
        ActionItem.objects.create(
            resolution=w.resolution,
            title=f"事项{n}",
            owner_community=w.community if n % 2 else w.neighbour,
            deadline=w.today + dt.timedelta(days=n - 5),
        )
    for client in (clients["staff"], clients["secretary"]):
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(URL), {"status": "overdue"}).status_code == 200
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(URL)).status_code == 200


def test_progress_api_and_filters(clients, w):
    url = f"{API}/action-items/{w.late.pk}/progress/"
    body = json.dumps({"text": "进行中"})
    before = joint_setup.snapshot()
    assert clients["resident"].post(url, body, content_type="application/json").status_code == 403
    assert (
        clients["other_secretary"].post(url, body, content_type="application/json").status_code
        == 404
    )
    assert (
        clients["secretary"]
        .post(url, json.dumps({"text": ""}), content_type="application/json")
        .status_code
        == 400
    )
    assert joint_setup.snapshot() == before
    response = clients["secretary"].post(url, body, content_type="application/json")
    assert response.status_code == 201
    response = clients["secretary"].post(
        url, json.dumps({"text": "完成", "done": True}), content_type="application/json"
    )
    assert response.status_code == 201
    assert ActionItem.objects.get(pk=w.late.pk).status == ActionStatus.DONE
    listing = clients["staff"].get(f"{API}/action-items/", {"owner": "community"}).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert {r["id"] for r in rows} == {w.late.pk, w.coming.pk, w.neighbours.pk}
    listing = clients["staff"].get(f"{API}/action-items/", {"status": "done"}).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [r["id"] for r in rows] == [w.late.pk]
