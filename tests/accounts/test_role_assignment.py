from __future__ import annotations

import pytest
from django.db import IntegrityError

from accounts.models import AuditEntry, RoleAssignment
from accounts.roles import Role
from accounts.services import grant_role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_assignment_refuses_a_scope_that_does_not_match_the_role(branch, sub_district):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.SECRETARY, sub_district=sub_district)


def test_grant_role_is_audited_once_and_idempotent(sub_district, superuser):
    user = UserFactory()
    grant_role(
        user=user, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district, granted_by=superuser
    )
    grant_role(
        user=user, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district, granted_by=superuser
    )
    user.refresh_from_db()
    assert user.is_staff
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="role.granted", target_id=str(user.pk)).count() == 1
