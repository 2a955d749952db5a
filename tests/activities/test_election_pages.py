"""The election pages and API: the access matrix, the secretary's form (through the same service
as the API), refusals that write nothing, and list query counts that do not grow with rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.elections.models import Election
from activities.models import Meeting
from committees.models import CommitteeTerm, TermExtension
from committees.services.terms import start_committee_term
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(clock):
    return clock.today - dt.timedelta(days=10)


@pytest.fixture
def voters(branch):
    return [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(10)]


def form_data(day, voters, *, absent=1, votes=(9, 8, 7, 6, 6, 4)):
    data = {
        "topic": "支部换届选举大会",
        "starts_at": f"{day.isoformat()}T09:00",
        "place": "党群服务中心",
        "main_points": "",
        "seats": "5",
        "ballots_cast": str(10 - absent),
        "ballots_valid": str(10 - absent),
        "ballots_invalid": "0",
        "secretary": str(voters[0].pk),
        "deputy": str(voters[1].pk),
        "first_meeting_on": day.isoformat(),
        "approved_by": "如意湖党工委",
        "approved_on": (day + dt.timedelta(days=2)).isoformat(),
        "approval_reference": "",
    }
    for i, member in enumerate(voters):
        data[f"att_{member.pk}"] = "leave" if i >= 10 - absent else "present"
        data[f"reason_{member.pk}"] = "出差" if i >= 10 - absent else ""
    for member, n in zip(voters, votes, strict=False):
        data[f"votes_{member.pk}"] = str(n)
    return data


def written():
    return (Election.objects.count(), Meeting.objects.count(), CommitteeTerm.objects.count())


def record(day, voters, branch, actor=None):
    from activities.elections.services import record_election
    from tests.activities.test_elections import election_input

    return record_election(organization=branch, data=election_input(day, voters), actor=actor)


def test_pages_follow_the_access_matrix(clients, branch, voters, day):
    election = record(day, voters, branch)
    assert_access(
        clients,
        reverse("staff:election-list"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    assert_access(
        clients,
        reverse("staff:election-detail", args=[election.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
    assert_access(
        clients,
        reverse("staff:election-new", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
    page = clients["other_secretary"].get(reverse("staff:election-list")).content.decode()
    assert branch.name not in page


def test_a_post_out_of_scope_changes_nothing(clients, branch, voters, day):
    # Only the secretary's post is written: staff's, the same election again, is refused (the
    # new term must start after the current one) and the form shows why.
    assert_access(
        clients,
        reverse("staff:election-new", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 302, "staff": 200},
        method="post",
        data=form_data(day, voters),
    )
    assert written() == (1, 1, 1)


def test_the_secretary_records_an_election_on_the_form(clients, branch, voters, day):
    start_committee_term(organization=branch, started_on=dt.date(2021, 6, 1), actor=None)
    url = reverse("staff:election-new", args=[branch.pk])
    form = clients["secretary"].get(url, {"on": day.isoformat()}).content.decode()
    assert all(m.full_name in form for m in voters)
    response = clients["secretary"].post(url, form_data(day, voters))
    election = Election.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:election-detail", args=[election.pk])
    assert election.term.positions.count() == 5
    assert CommitteeTerm.objects.filter(organization=branch).current().get() == election.term
    detail = clients["secretary"].get(response["Location"]).content.decode()
    assert "党员00" in detail and "如意湖党工委" in detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"absent": 2, "votes": (8, 8, 7, 6, 6, 4)}, "五分之四"),
        ({"votes": (9, 8, 7, 6, 6)}, "差额"),
    ],
)
def test_a_refused_election_shows_why_and_writes_nothing(
    clients, branch, voters, day, change, message
):
    url = reverse("staff:election-new", args=[branch.pk])
    response = clients["secretary"].post(url, form_data(day, voters, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert written() == (0, 0, 0)


def test_hostile_input_is_refused_with_a_message(clients, branch, voters, day):
    data = {
        **form_data(day, voters),
        "seats": "abc",
        "approved_on": "2026-02-30",
        "topic": "<script>x</script>",
    }
    response = clients["secretary"].post(reverse("staff:election-new", args=[branch.pk]), data)
    assert response.status_code == 200
    assert "<script>x</script>" not in response.content.decode()
    assert set(response.context["form"].errors) >= {"seats", "approved_on"}
    assert written() == (0, 0, 0)


def test_the_list_query_count_does_not_grow(
    clients, branch, voters, day, django_assert_max_num_queries
):
    record(day, voters, branch)
    client = clients["staff"]
    url = reverse("staff:election-list")
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    record(day + dt.timedelta(days=1), voters, branch)
    record(day + dt.timedelta(days=2), voters, branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["elections"]) == 3


# --- the API -----------------------------------------------------------------------------------


def api_payload(branch, day, voters, **overrides):
    payload = {
        "organization": branch.pk,
        "held_at": f"{day.isoformat()}T09:00:00+08:00",
        "attendance": [{"member": m.pk, "status": "present", "reason": ""} for m in voters[:9]]
        + [{"member": voters[9].pk, "status": "leave", "reason": "出差"}],
        "seats": 5,
        "candidates": [
            {"member": m.pk, "votes": n} for m, n in zip(voters, (9, 8, 7, 6, 6, 4), strict=False)
        ],
        "ballots_cast": 9,
        "ballots_valid": 9,
        "ballots_invalid": 0,
        "secretary": voters[0].pk,
        "deputy": voters[1].pk,
        "first_meeting_on": day.isoformat(),
        "approved_by": "如意湖党工委",
        "approved_on": (day + dt.timedelta(days=1)).isoformat(),
    }
    payload.update(overrides)
    return payload


def test_the_api_records_through_the_same_service_and_is_scoped(clients, branch, voters, day):
    assert_access(
        clients,
        "/api/v1/elections/",
        {"anonymous": 403, "resident": 403, "other_secretary": 400, "secretary": 201, "staff": 400},
        method="post",
        data=api_payload(branch, day, voters),
        content_type="application/json",
    )
    # The secretary's went through; staff's, the same election again, is refused (the new term
    # must start after the current one) and nothing else was written.
    assert written() == (1, 1, 1)
    election = Election.objects.get()
    body = clients["secretary"].get(f"/api/v1/elections/{election.pk}/").json()
    assert body["present"] == 9 and body["entitled"] == 10
    assert [c["elected"] for c in body["candidates"]].count(True) == 5
    assert clients["other_secretary"].get(f"/api/v1/elections/{election.pk}/").status_code == 404
    assert clients["other_secretary"].get("/api/v1/elections/").json()["count"] == 0


def test_the_api_names_the_broken_rule(clients, branch, voters, day):
    payload = api_payload(branch, day, voters, ballots_valid=8)
    response = clients["secretary"].post(
        "/api/v1/elections/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "有效票" in str(response.json())
    assert written() == (0, 0, 0)


def test_the_api_list_query_count_does_not_grow(
    clients, branch, voters, day, django_assert_max_num_queries
):
    record(day, voters, branch)
    client = clients["secretary"]
    client.get("/api/v1/elections/")
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/elections/")
    record(day + dt.timedelta(days=1), voters, branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/elections/").json()["count"] == 2


# --- extensions: the level above's ----------------------------------------------------------------


def test_only_staff_extend_a_term(clients, branch, clock):
    term = start_committee_term(organization=branch, started_on=dt.date(2021, 6, 1), actor=None)
    data = {
        "extended_to": "2027-06-01",
        "approved_by": "如意湖党工委",
        "approved_on": clock.today.isoformat(),
        "reason": "社区调整",
    }
    assert_access(
        clients,
        reverse("staff:committee-term-extend", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 302},
        method="post",
        data=data,
    )
    assert TermExtension.objects.count() == 1
    assert CommitteeTerm.objects.get(pk=term.pk).planned_end_on == dt.date(2027, 6, 1)
    response = clients["staff"].post(
        f"/api/v1/committee-terms/{term.pk}/extend/",
        {**data, "extended_to": "2027-06-02"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert TermExtension.objects.count() == 1
