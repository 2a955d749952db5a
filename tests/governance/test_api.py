"""The API's writes: a resident submits an opinion and rates the reply; staff and secretaries
assign, start, reply and close through the same services. 403 without the permission, 404 out
of scope, 409 from the wrong state, 400 with the field on a broken rule; nothing is written on
a refusal."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from governance.models import Opinion, OpinionEvent
from governance.services import opinions as services
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
MINE = "/api/v1/my-opinions/"


def _url(opinion: Opinion, verb: str) -> str:
    return f"/api/v1/opinions/{opinion.pk}/{verb}/"


def _opinion(community, author=None, title="路灯不亮") -> Opinion:
    return services.receive_opinion(
        community=community,
        channel="online" if author else "visit",
        category="facilities",
        title=title,
        text="3号楼前路灯不亮。",
        author=author,
        actor=author,
    )


def _snapshot(opinion: Opinion) -> tuple:
    row = Opinion.objects.get(pk=opinion.pk)
    return (
        row.state,
        row.reply,
        row.owner_organization_id,
        OpinionEvent.objects.filter(opinion=row).count(),
        AuditEntry.objects.filter(action__startswith="governance.").count(),
    )


def test_a_resident_submits_follows_and_rates_the_reply(
    held, community, branch, clients, resident, staff
):
    response = clients["resident"].post(
        MINE,
        {
            "community": community.pk,
            "category": "facilities",
            "title": "楼道灯坏了",
            "text": "2单元",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "received" and body["events"][0]["state"] == "received"
    opinion = Opinion.objects.get(pk=body["id"])
    assert (opinion.author, opinion.channel) == (resident, "online")
    someone_else = _opinion(
        community, author=UserFactory(username="other_resident"), title="别人的"
    )
    listed = clients["resident"].get(MINE).json()["results"]
    assert [row["id"] for row in listed] == [opinion.pk]
    assert clients["resident"].get(f"{MINE}{someone_else.pk}/").status_code == 404
    early = clients["resident"].post(
        f"{MINE}{opinion.pk}/rate/", {"rating": 5}, content_type="application/json"
    )
    assert early.status_code == 409
    assert Opinion.objects.get(pk=opinion.pk).rating is None
    staff_client = clients["staff"]
    assert (
        staff_client.post(
            _url(opinion, "assign"), {"organization": branch.pk}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        staff_client.post(_url(opinion, "start"), {}, content_type="application/json").status_code
        == 200
    )
    replied = staff_client.post(
        _url(opinion, "reply"), {"reply": "已修复"}, content_type="application/json"
    )
    assert replied.status_code == 200 and replied.json()["state"] == "replied"
    out_of_range = clients["resident"].post(
        f"{MINE}{opinion.pk}/rate/", {"rating": 6}, content_type="application/json"
    )
    assert out_of_range.status_code == 400 and "rating" in out_of_range.json()
    assert (
        clients["staff"]
        .post(f"{MINE}{opinion.pk}/rate/", {"rating": 1}, content_type="application/json")
        .status_code
        == 404
    )
    rated = clients["resident"].post(
        f"{MINE}{opinion.pk}/rate/",
        {"rating": 4, "comment": "及时"},
        content_type="application/json",
    )
    assert rated.status_code == 200
    assert (rated.json()["state"], rated.json()["rating"]) == ("closed", 4)
    again = clients["resident"].post(
        f"{MINE}{opinion.pk}/rate/", {"rating": 1}, content_type="application/json"
    )
    assert again.status_code == 409
    assert Opinion.objects.get(pk=opinion.pk).rating == 4


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "facilities", "title": "", "text": "x"}, "title"),
        ({"category": "weather", "title": "t", "text": "x"}, "category"),
        ({"category": "facilities", "title": "t", "text": ""}, "text"),
        ({"category": "facilities", "title": "t" * 101, "text": "x"}, "title"),
    ],
)
def test_a_bad_submission_says_which_field_and_writes_nothing(
    held, community, clients, payload, field
):
    response = clients["resident"].post(
        MINE, {"community": community.pk, **payload}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json() and response.json()["detail"]
    assert not Opinion.objects.exists()


def test_an_anonymous_caller_cannot_submit(held, community, clients):
    response = clients["anonymous"].post(
        MINE,
        {"community": community.pk, "category": "facilities", "title": "t", "text": "x"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("other_secretary", 404),
        ("secretary", 200),
        ("staff", 200),
    ],
)
def test_start_and_reply_access_matrix(held, community, branch, staff, clients, role, expected):
    opinion = _opinion(community)
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    before = _snapshot(opinion)
    client = clients[role]
    started = client.post(_url(opinion, "start"), {}, content_type="application/json")
    assert started.status_code == expected
    if expected != 200:
        assert _snapshot(opinion) == before
        replied = client.post(
            _url(opinion, "reply"), {"reply": "好"}, content_type="application/json"
        )
        assert replied.status_code == expected
        assert _snapshot(opinion) == before
        return
    assert started.json()["state"] == "in_progress"
    replied = client.post(
        _url(opinion, "reply"), {"reply": "已处理"}, content_type="application/json"
    )
    assert replied.status_code == 200
    assert Opinion.objects.get(pk=opinion.pk).reply == "已处理"


def test_a_blank_reply_is_refused_by_field(held, community, branch, staff, clients):
    opinion = _opinion(community)
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    services.start_opinion(opinion=opinion, actor=staff)
    before = _snapshot(opinion)
    response = clients["secretary"].post(
        _url(opinion, "reply"), {"reply": "   "}, content_type="application/json"
    )
    assert response.status_code == 400 and "reply" in response.json()
    assert _snapshot(opinion) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("other_secretary", 404),
        ("secretary", 404),  # a received opinion has no owner yet: only the sub-district sees it
        ("staff", 200),
    ],
)
def test_assign_access_matrix(held, community, branch, clients, role, expected):
    opinion = _opinion(community)
    before = _snapshot(opinion)
    response = clients[role].post(
        _url(opinion, "assign"), {"organization": branch.pk}, content_type="application/json"
    )
    assert response.status_code == expected
    if expected != 200:
        assert _snapshot(opinion) == before
    else:
        assert Opinion.objects.get(pk=opinion.pk).owner_organization == branch


def test_assign_refusals(held, community, branch, other_sub_district_branch, staff, clients):
    opinion = _opinion(community)
    before = _snapshot(opinion)
    two = clients["staff"].post(
        _url(opinion, "assign"),
        {"organization": branch.pk, "office": "城管科"},
        content_type="application/json",
    )
    assert two.status_code == 400 and "owner" in two.json()
    elsewhere = clients["staff"].post(
        _url(opinion, "assign"),
        {"organization": other_sub_district_branch.pk},
        content_type="application/json",
    )
    assert elsewhere.status_code == 400 and "owner" in elsewhere.json()
    missing = clients["staff"].post(
        _url(opinion, "assign"), {"organization": 999999}, content_type="application/json"
    )
    assert missing.status_code == 400 and "organization" in missing.json()
    assert _snapshot(opinion) == before
    assert (
        clients["staff"]
        .post(_url(opinion, "assign"), {"office": "城管科"}, content_type="application/json")
        .status_code
        == 200
    )
    after = _snapshot(opinion)
    twice = clients["staff"].post(
        _url(opinion, "assign"), {"organization": branch.pk}, content_type="application/json"
    )
    assert twice.status_code == 409
    assert _snapshot(opinion) == after


def test_close_only_an_offline_opinion_after_its_reply(
    held, community, branch, staff, resident, clients
):
    offline = _opinion(community, title="信箱意见")
    services.assign_opinion(opinion=offline, organization=branch, actor=staff)
    early = clients["secretary"].post(_url(offline, "close"), {}, content_type="application/json")
    assert early.status_code == 409
    services.start_opinion(opinion=offline, actor=staff)
    services.reply_to_opinion(opinion=offline, reply="已答复", actor=staff)
    online = _opinion(community, author=resident, title="网上意见")
    services.assign_opinion(opinion=online, organization=branch, actor=staff)
    services.start_opinion(opinion=online, actor=staff)
    services.reply_to_opinion(opinion=online, reply="已答复", actor=staff)
    before = _snapshot(online)
    waits = clients["secretary"].post(_url(online, "close"), {}, content_type="application/json")
    assert waits.status_code == 400 and "state" in waits.json()
    assert _snapshot(online) == before
    assert (
        clients["other_secretary"]
        .post(_url(offline, "close"), {}, content_type="application/json")
        .status_code
        == 404
    )
    closed = clients["secretary"].post(
        _url(offline, "close"), {"note": "电话告知"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert OpinionEvent.objects.filter(opinion=offline, note="电话告知").exists()
