from __future__ import annotations

import pytest

from accounts.roles import Role
from branches.models import CoBuildingUnit, Organization, SubDistrict
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import CoBuildingUnitFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_staff_sees_every_organisation_of_their_sub_district_only(
    staff, work_committee, branch, other_branch, other_sub_district_branch
):
    visible = Organization.objects.visible_to(staff)
    assert names(visible) == sorted(["如意湖党工委", "联盟新城社区党支部", "天路社区党支部"])


def test_secretary_sees_their_branch_and_the_groups_under_it(
    secretary, branch, party_group, other_branch, work_committee
):
    assert names(Organization.objects.visible_to(secretary)) == ["第一党小组", "联盟新城社区党支部"]


def test_secretary_of_two_branches_sees_both(branch, other_branch):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch)
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=other_branch)
    assert names(Organization.objects.visible_to(user)) == ["天路社区党支部", "联盟新城社区党支部"]


def test_branch_path_prefix_does_not_leak_into_a_sibling_with_a_longer_path(work_committee):
    # Paths are fixed-width steps, so a sibling never shares a branch's path as a prefix.
    first = OrganizationFactory(parent=work_committee, name="A")
    siblings = [OrganizationFactory(parent=work_committee, name=f"B{i}") for i in range(40)]
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=first)
    assert names(Organization.objects.visible_to(user)) == ["A"]
    assert len(siblings) == 40


def test_resident_and_anonymous_see_nothing(resident, branch):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(resident).exists()
    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_inactive_assignment_grants_nothing(branch):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch, is_active=False)
    assert not Organization.objects.visible_to(user).exists()
    assert not user.has_perm("branches.view_organization")


def test_deactivated_user_sees_nothing(secretary):
    secretary.is_active = False
    secretary.save()
    assert not Organization.objects.visible_to(secretary).exists()


def test_superuser_sees_everything(superuser, branch, other_sub_district_branch):
    assert Organization.objects.visible_to(superuser).count() == Organization.objects.count()


def test_unit_liaison_sees_their_unit_only(sub_district):
    unit = CoBuildingUnitFactory(sub_district=sub_district, name="郑州市儿童医院党委")
    CoBuildingUnitFactory(sub_district=sub_district, name="郑州四十七中")
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.UNIT_LIAISON, unit=unit)
    assert names(CoBuildingUnit.objects.visible_to(user)) == ["郑州市儿童医院党委"]
    assert not Organization.objects.visible_to(user).exists()


def test_secretary_sees_the_sub_district_their_branch_lies_in(secretary, sub_district):
    assert list(SubDistrict.objects.visible_to(secretary)) == [sub_district]


def test_role_carries_its_permissions(staff, secretary, resident):
    assert staff.has_perm("branches.change_organization")
    assert secretary.has_perm("branches.view_organization")
    assert not secretary.has_perm("branches.change_organization")
    assert not resident.has_perm("branches.view_organization")


def test_scope_is_one_query_per_user_object(secretary, django_assert_num_queries):
    from accounts.scope import scope_for

    with django_assert_num_queries(1):
        scope_for(secretary)
        scope_for(secretary)
