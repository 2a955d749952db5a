"""我的评议: a bound member writes their self-assessment and casts one secret ballot in the
window; the page never shows what anyone voted, and another branch's appraisal is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from appraisal.models import Campaign, Turnout, Vote
from appraisal.services import campaigns
from members.models import Member
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(dt.date(2026, 12, 10))
    return clock


@pytest.fixture
def colleagues(branch):
    return [MemberFactory(organization=branch, full_name=f"同志{i}") for i in range(3)]


@pytest.fixture
def campaign(branch, member_user, colleagues, staff) -> Campaign:
    return campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def me(member_user) -> Member:
    return Member.objects.bound_to(member_user).get()


def test_the_member_votes_once_and_the_grades_are_stored_without_the_voter(
    member_client, member_user, campaign, colleagues
):
    page = member_client.get(reverse("public:me-appraisal", args=[campaign.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert all(c.full_name in body for c in colleagues)
    assert "党员本人" not in body.split('data-testid="ballot"')[1]  # nobody grades themselves
    ballot = {"action": "ballot"} | {f"grade_{c.pk}": "qualified" for c in colleagues}
    ballot[f"grade_{colleagues[0].pk}"] = "excellent"
    response = member_client.post(reverse("public:me-appraisal", args=[campaign.pk]), ballot)
    assert response.status_code == 302
    assert Turnout.objects.filter(campaign=campaign, voter=me(member_user)).count() == 1
    assert Vote.objects.filter(campaign=campaign).count() == 3
    assert {f.name for f in Vote._meta.get_fields()} & {"voter", "created_at"} == set()
    # A second ballot is refused and changes nothing.
    again = member_client.post(reverse("public:me-appraisal", args=[campaign.pk]), ballot)
    assert again.status_code in (200, 400)
    assert Vote.objects.filter(campaign=campaign).count() == 3
    listing = member_client.get(reverse("public:me-appraisals")).content.decode()
    assert "您已投票" in listing


def test_an_incomplete_ballot_is_refused_and_writes_nothing(member_client, campaign, colleagues):
    partial = {"action": "ballot", f"grade_{colleagues[0].pk}": "qualified"}
    response = member_client.post(reverse("public:me-appraisal", args=[campaign.pk]), partial)
    assert response.status_code == 400
    assert Vote.objects.count() == Turnout.objects.count() == 0


def test_outside_the_window_the_ballot_is_refused(member_client, campaign, colleagues, clock):
    clock.set(dt.date(2026, 12, 21))
    ballot = {"action": "ballot"} | {f"grade_{c.pk}": "qualified" for c in colleagues}
    response = member_client.post(reverse("public:me-appraisal", args=[campaign.pk]), ballot)
    assert response.status_code == 400
    assert Vote.objects.count() == 0


def test_the_self_assessment_is_saved_and_an_empty_one_refused(
    member_client, member_user, campaign
):
    url = reverse("public:me-appraisal", args=[campaign.pk])
    assert (
        member_client.post(url, {"action": "self_assessment", "self_assessment": " "}).status_code
        == 400
    )
    assert (
        member_client.post(
            url, {"action": "self_assessment", "self_assessment": "认真学习"}
        ).status_code
        == 302
    )
    assert campaign.participants.get(member=me(member_user)).self_assessment == "认真学习"


def test_another_branch_appraisal_is_not_found(member_client, other_branch, staff):
    MemberFactory.create_batch(2, organization=other_branch)
    elsewhere = campaigns.open_campaign(
        organization=other_branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    assert member_client.get(reverse("public:me-appraisal", args=[elsewhere.pk])).status_code == 404


def test_the_list_is_empty_without_appraisals(member_client):
    page = member_client.get(reverse("public:me-appraisals"))
    assert page.status_code == 200
