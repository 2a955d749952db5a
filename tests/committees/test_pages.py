"""The committee actions of the organisation page (moved with the code from tests/branches)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.models import CommitteeTerm
from committees.services.terms import start_committee_term
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_secretary_records_an_election_and_appoints_a_secretary(clients, branch):
    member = MemberFactory(organization=branch)
    client = clients["secretary"]
    response = client.post(
        reverse("staff:committee-term-new", args=[branch.pk]), {"started_on": "2024-03-01"}
    )
    assert response.status_code == 302
    term = CommitteeTerm.objects.get(organization=branch)
    assert term.planned_end_on == dt.date(2029, 3, 1)  # community: 5 years
    response = client.post(
        reverse("staff:committee-position-new", args=[branch.pk]),
        {"member": member.pk, "position": "secretary", "started_on": "2024-03-01"},
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:organization-detail", args=[branch.pk])).content.decode()
    assert member.full_name in page


def test_secretary_cannot_appoint_a_member_of_another_branch(clients, branch, other_branch):
    start_committee_term(organization=branch, started_on=dt.date(2024, 3, 1), actor=None)
    stranger = MemberFactory(organization=other_branch)
    response = clients["secretary"].post(
        reverse("staff:committee-position-new", args=[branch.pk]),
        {"member": stranger.pk, "position": "secretary", "started_on": "2024-03-01"},
    )
    assert response.status_code == 200
    assert not CommitteeTerm.objects.get(organization=branch).positions.exists()
