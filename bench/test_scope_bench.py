"""Scope and the organisation list at district scale (≈ 4,900 organisations)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from accounts.scope import scope_for
from branches.models import Organization, OrganizationKind
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory

pytestmark = pytest.mark.django_db

SUB_DISTRICTS = 20
BRANCHES = 60
GROUPS = 3


def build_district() -> tuple[Organization, Organization]:
    first_sub_district = first_branch = None
    for s in range(SUB_DISTRICTS):
        sub_district = SubDistrictFactory(name=f"压测街道{s:02d}")
        root = OrganizationFactory(sub_district=sub_district, name=f"压测党工委{s:02d}")
        for b in range(BRANCHES):
            branch = OrganizationFactory(parent=root, name=f"压测支部{s:02d}-{b:02d}")
            for g in range(GROUPS):
                OrganizationFactory(
                    parent=branch, name=f"党小组{g}", kind=OrganizationKind.PARTY_GROUP
                )
            first_branch = first_branch or branch
        first_sub_district = first_sub_district or sub_district
    return first_sub_district, first_branch


def test_scope_and_organisation_list_at_district_scale(timer):
    sub_district, branch = build_district()
    staff = UserFactory(username="bench_staff", is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    secretary = UserFactory(username="bench_secretary")
    RoleAssignmentFactory(user=secretary, role=Role.SECRETARY, organization=branch)
    assert Organization.objects.count() == SUB_DISTRICTS * (1 + BRANCHES * (1 + GROUPS))

    def fresh(user):
        user.__dict__.pop("_scope", None)
        return user

    timer.measure("scope_for(secretary)", lambda: scope_for(fresh(secretary)))
    timer.measure(
        "visible_to(staff).count()",
        lambda: Organization.objects.visible_to(fresh(staff)).count(),
    )
    timer.measure(
        "visible_to(secretary) rows",
        lambda: list(Organization.objects.visible_to(fresh(secretary))),
    )
    staff_client, secretary_client = Client(), Client()
    staff_client.force_login(staff)
    secretary_client.force_login(secretary)
    timer.measure(
        "GET /staff/branches/organizations/ (staff)",
        lambda: staff_client.get("/staff/branches/organizations/"),
    )
    timer.measure(
        "GET /staff/branches/organizations/?q= (staff)",
        lambda: staff_client.get("/staff/branches/organizations/", {"q": "支部00-5"}),
    )
    timer.measure(
        "GET /api/v1/organizations/ (staff)", lambda: staff_client.get("/api/v1/organizations/")
    )
    timer.measure("GET /staff/ (secretary)", lambda: secretary_client.get("/staff/"))
