"""The team-join rejection path: a leader declines, the request is closed once, the resident is
told and sees it, may ask again, and is not a member in the meantime."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, OutgoingEmail
from tests.volunteers.factories import ServiceActivityFactory
from volunteers.errors import MembershipRefused, SignUpRefused
from volunteers.models import MembershipStatus, TeamMembership
from volunteers.services.activities import sign_up
from volunteers.services.teams import decide_join_request, request_to_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(team, resident):
    resident.email = "resident@example.com"
    resident.save(update_fields=["email"])
    return request_to_join(team=team, user=resident, message="想参加")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_declined_request_is_closed_with_who_and_when(request_, leader, clock):
    membership = decide_join_request(membership=request_, approve=False, actor=leader)
    assert membership.status == MembershipStatus.REJECTED
    assert membership.decided_by == leader
    assert abs(membership.decided_at - clock.now) < dt.timedelta(seconds=1)
    assert AuditEntry.objects.filter(action="volunteer_team.join_declined").count() == 1


def test_the_requester_is_told_of_the_decline(request_, leader, team):
    decide_join_request(membership=request_, approve=False, actor=leader)
    [mail] = OutgoingEmail.objects.filter(to="resident@example.com")
    assert team.name in mail.subject and "declined" in mail.body


@pytest.mark.parametrize("approve", [False, True])
def test_a_declined_request_cannot_be_decided_again(request_, leader, approve):
    decide_join_request(membership=request_, approve=False, actor=leader)
    with pytest.raises(MembershipRefused, match="already been decided"):
        decide_join_request(membership=request_, approve=approve, actor=leader)
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REJECTED
    assert AuditEntry.objects.filter(action__startswith="volunteer_team.join_").count() == 2


def test_a_declined_volunteer_is_no_member_and_cannot_sign_up_for_team_activities(
    request_, leader, team, resident
):
    decide_join_request(membership=request_, approve=False, actor=leader)
    activity = ServiceActivityFactory(team=team, audience="team")
    with pytest.raises(SignUpRefused):
        sign_up(activity=activity, volunteer=request_.volunteer, actor=resident)


def test_a_declined_volunteer_may_ask_again_and_be_approved(request_, leader, resident, team):
    decide_join_request(membership=request_, approve=False, actor=leader)
    again = request_to_join(team=team, user=resident, message="再次申请")
    assert again.pk == request_.pk  # one row per volunteer and team, its history in the audit
    assert again.status == MembershipStatus.PENDING
    assert again.decided_at is None and again.decided_by is None and again.message == "再次申请"
    assert decide_join_request(membership=again, approve=True, actor=leader).status == "active"


def test_the_leader_declines_on_the_page_and_the_resident_sees_it(request_, leader, team, clients):
    url = reverse("public:volunteer-lead-team-action", args=[team.pk, "decline"])
    response = _client(leader).post(url, {"membership": request_.pk})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REJECTED
    page = clients["resident"].get(reverse("public:volunteer-teams"))
    assert b'data-testid="declined"' in page.content
    # Declining again is refused with a message, and changes nothing.
    response = _client(leader).post(url, {"membership": request_.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REJECTED


def test_only_the_leader_or_staff_may_decline(request_, team, clients):
    url = reverse("public:volunteer-lead-team-action", args=[team.pk, "decline"])
    for role, status in (
        ("anonymous", 302),
        ("resident", 404),
        ("other_secretary", 404),
        ("secretary", 404),
    ):
        assert clients[role].post(url, {"membership": request_.pk}).status_code == status, role
        request_.refresh_from_db()
        assert request_.status == MembershipStatus.PENDING
    assert clients["staff"].post(url, {"membership": request_.pk}).status_code == 302
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REJECTED


def test_a_request_of_another_team_cannot_be_declined_through_this_one(request_, leader, community):
    from tests.volunteers.factories import VolunteerTeamFactory

    mine = VolunteerTeamFactory(community=community, name="另一支队", leader=leader)
    url = reverse("public:volunteer-lead-team-action", args=[mine.pk, "decline"])
    assert _client(leader).post(url, {"membership": request_.pk}).status_code == 404
    assert TeamMembership.objects.get(pk=request_.pk).status == MembershipStatus.PENDING
