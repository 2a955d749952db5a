"""What a user may do: the permissions of their roles, plus those granted in the admin to them
and to their groups, read in one statement with the roles and scope in one more."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.scope import scope_for
from tests.accounts.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def permission(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no cached roles or permissions


def test_permissions_come_from_roles_the_user_and_their_groups(branch, sub_district):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch)
    user.user_permissions.add(permission("venues.view_room"))
    auditors = Group.objects.create(name="auditors")
    auditors.permissions.add(permission("accounts.view_auditentry"), permission("venues.view_room"))
    user.groups.add(auditors)
    others = Group.objects.create(name="others")  # a group the user is not in
    others.permissions.add(permission("venues.delete_room"))

    perms = fresh(user).get_all_permissions()

    assert {"venues.view_room", "accounts.view_auditentry"} <= perms
    assert ROLE_PERMISSIONS[Role.SECRETARY] <= perms
    assert "venues.delete_room" not in perms


def test_one_statement_reads_the_granted_permissions_and_one_the_roles_and_scope(
    branch, django_assert_num_queries
):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch)
    user.user_permissions.add(permission("venues.view_room"))
    user = fresh(user)
    with django_assert_num_queries(2):
        assert user.has_perm("venues.view_room")
        assert user.has_perms(sorted(ROLE_PERMISSIONS[Role.SECRETARY]))
        assert user.active_roles == {Role.SECRETARY}
        assert scope_for(user).organization_paths == (branch.path,)
        assert user.uses_workbench


def test_an_inactive_assignment_gives_neither_role_nor_scope(branch):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch, is_active=False)
    user = fresh(user)
    assert user.active_roles == frozenset()
    assert scope_for(user).organization_paths == ()
    assert not user.has_perm(next(iter(ROLE_PERMISSIONS[Role.SECRETARY])))


def test_a_superuser_holds_every_permission_without_a_role():
    user = fresh(UserFactory(is_superuser=True))
    assert len(user.get_all_permissions()) == Permission.objects.count()
    assert scope_for(user).everything
