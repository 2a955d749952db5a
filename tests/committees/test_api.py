"""The committee terms API (moved with the code from tests/branches)."""

from __future__ import annotations

import datetime as dt

import pytest

from committees.models import CommitteeTerm
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-06-10"  # a Wednesday in mid-quarter: Django's clock is held on it below


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(dt.date.fromisoformat(TODAY), 10)


def test_committee_terms_api(clients, branch, other_branch):
    member = MemberFactory(organization=branch)
    response = clients["secretary"].post(
        "/api/v1/committee-terms/",
        {"organization": branch.pk, "started_on": "2024-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    term_id = response.json()["id"]
    response = clients["secretary"].post(
        f"/api/v1/committee-terms/{term_id}/appoint/",
        {"member": member.pk, "position": "secretary", "started_on": "2024-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["positions"][0]["member_name"] == member.full_name
    assert clients["other_secretary"].get(f"/api/v1/committee-terms/{term_id}/").status_code == 404
    response = clients["other_secretary"].post(
        "/api/v1/committee-terms/",
        {"organization": branch.pk, "started_on": "2024-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert CommitteeTerm.objects.count() == 1
