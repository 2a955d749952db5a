from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.models import Campaign, FollowUp, Grade, Participant
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

READ = {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200}


def grade_data(campaign, date_field, *grades):
    graded = campaign.participants.graded().order_by("member__full_name")
    data = {date_field: "2026-12-10"}
    for participant, grade in zip(graded, grades, strict=True):
        data[f"grade_{participant.pk}"] = grade
    return data


def test_campaign_pages_are_scoped(clients, campaign, full_members):
    participant = campaign.participants.first()
    for url in [
        reverse("staff:appraisal-detail", args=[campaign.pk]),
        reverse("staff:appraisal-paper-tally", args=[campaign.pk]),
        reverse("staff:appraisal-propose", args=[campaign.pk]),
        reverse("staff:appraisal-decide", args=[campaign.pk]),
        reverse("staff:appraisal-self-assessment", args=[participant.pk]),
    ]:
        assert_access(clients, url, READ)
    assert_access(
        clients,
        reverse("staff:appraisal-list"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_other_secretary_cannot_post_grades(clients, campaign):
    data = grade_data(campaign, "proposed_on", *[Grade.QUALIFIED] * 6)
    url = reverse("staff:appraisal-propose", args=[campaign.pk])

    for role, status in [("anonymous", 302), ("resident", 403), ("other_secretary", 404)]:
        assert clients[role].post(url, data).status_code == status
    assert not Participant.objects.exclude(proposed_grade="").exists()
    assert clients["secretary"].post(url, data).status_code == 302
    assert Participant.objects.filter(proposed_grade=Grade.QUALIFIED).count() == 6


def test_secretary_opens_an_appraisal_for_their_branch_only(clients, branch, other_branch):
    MemberFactory(organization=branch)
    data = {"year": 2026, "opens_on": "2026-12-01", "closes_on": "2026-12-20"}
    response = clients["secretary"].post(
        reverse("staff:appraisal-new"), {**data, "organization": other_branch.pk}
    )
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    response = clients["secretary"].post(
        reverse("staff:appraisal-new"), {**data, "organization": branch.pk}
    )
    assert response.status_code == 302
    assert Campaign.objects.get().organization == branch


def test_secretary_records_paper_ballots_proposal_and_decision(clients, campaign):
    client = clients["secretary"]
    first = campaign.participants.graded().order_by("member__full_name").first()
    tally = {"ballots": "6"}
    for participant in campaign.participants.graded():
        for grade in Grade.values:
            tally[f"n_{participant.pk}_{grade}"] = "0"
    tally[f"n_{first.pk}_excellent"] = "7"  # more than the ballots: refused, nothing written
    response = client.post(reverse("staff:appraisal-paper-tally", args=[campaign.pk]), tally)
    assert response.status_code == 200
    assert not campaign.paper_tallies.exists()
    tally[f"n_{first.pk}_excellent"] = "5"
    response = client.post(reverse("staff:appraisal-paper-tally", args=[campaign.pk]), tally)
    assert response.status_code == 302

    too_many = grade_data(
        campaign,
        "proposed_on",
        "excellent",
        "excellent",
        "excellent",
        "qualified",
        "qualified",
        "qualified",
    )
    response = client.post(reverse("staff:appraisal-propose", args=[campaign.pk]), too_many)
    assert response.status_code == 200
    assert "2" in response.content.decode()
    proposal = grade_data(
        campaign,
        "proposed_on",
        "excellent",
        "excellent",
        "qualified",
        "qualified",
        "basically_qualified",
        "unqualified",
    )
    response = client.post(reverse("staff:appraisal-propose", args=[campaign.pk]), proposal)
    assert response.status_code == 302
    decision = {**proposal, "decided_on": "2026-12-10"}
    response = client.post(reverse("staff:appraisal-decide", args=[campaign.pk]), decision)
    assert response.status_code == 302
    page = client.get(reverse("staff:appraisal-detail", args=[campaign.pk])).content.decode()
    assert "2026-12-10" in page
    assert FollowUp.objects.count() == 1


def test_campaign_list_query_count(clients, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = clients["staff"].get(reverse("staff:appraisal-list"))
    assert response.status_code == 200


def test_api_lists_campaigns_in_scope_with_turnout(
    clients, campaign, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = clients["secretary"].get("/api/v1/appraisal-campaigns/")
    assert response.status_code == 200
    row = response.json()["results"][0] if "results" in response.json() else response.json()[0]
    assert row["voters_entitled"] == 6 and row["voted_online"] == 0
    assert len(row["participants"]) == 7
    other = clients["other_secretary"].get(f"/api/v1/appraisal-campaigns/{campaign.pk}/")
    assert other.status_code == 404


def test_member_record_page_shows_the_grade_decided(clients, campaign, full_members, staff):
    graded = {p.pk: Grade.QUALIFIED for p in campaign.participants.graded()}
    from appraisal.services import campaigns

    campaigns.propose_grades(
        campaign=campaign, grades=graded, proposed_on=campaign.opens_on, actor=staff
    )
    campaigns.decide_grades(
        campaign=campaign, grades=graded, decided_on=campaign.opens_on, actor=staff
    )
    page = clients["secretary"].get(reverse("staff:member-detail", args=[full_members[0].pk]))
    assert "2026年度民主评议：合格" in page.content.decode()
