"""The structure checks of RULES.md "Branch structure" read from real rows: committee size, a
committee kept below 7 full members, the local figures of a 总支 and a 党委."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import OrganizationKind, StructureSettings
from branches.structure import figures_for
from committees.services.terms import appoint_position, start_committee_term
from tests.branches.factories import OrganizationFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


def committee_of(branch, members):
    term = start_committee_term(organization=branch, started_on=dt.date(2025, 1, 1), actor=None)
    for member, position in zip(members, ["secretary", "deputy_secretary"], strict=False):
        appoint_position(
            term=term, member=member, position=position, started_on=dt.date(2025, 1, 1), actor=None
        )
    return term


def codes(org):
    return [w.code for w in figures_for([org], TODAY)[org.pk].warnings]


def test_a_committee_of_two_in_a_branch_of_six_full_members_is_flagged_twice(branch):
    members = [MemberFactory(organization=branch) for _ in range(6)]
    committee_of(branch, members[:2])
    found = codes(branch)
    assert "committee_too_small" in found
    assert "committee_below_threshold" in found


def test_a_seventh_full_member_lifts_the_below_threshold_warning(branch):
    members = [MemberFactory(organization=branch) for _ in range(7)]
    committee_of(branch, members[:2])
    assert "committee_below_threshold" not in codes(branch)


def test_the_sub_districts_own_figures_judge_a_general_branch(sub_district, work_committee):
    general = OrganizationFactory(
        parent=work_committee, name="某总支", kind=OrganizationKind.GENERAL_BRANCH
    )
    for _ in range(30):
        MemberFactory(organization=general)
    assert "general_branch_size" in codes(general)
    StructureSettings.objects.create(
        sub_district=sub_district, general_branch_min_members=30, general_branch_max_members=80
    )
    assert "general_branch_size" not in codes(general)


def test_the_health_page_lists_a_committee_below_threshold(clients, branch):
    members = [MemberFactory(organization=branch) for _ in range(4)]
    committee_of(branch, members[:2])
    response = clients["staff"].get(
        reverse("staff:structure-health"), {"code": "committee_below_threshold"}
    )
    assert [org.pk for org, _ in response.context["flagged"]] == [branch.pk]
