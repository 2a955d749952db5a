from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.passwords import character_classes
from accounts.roles import Role
from tests.accounts.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages(password: str, user) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_everyone_needs_12_characters_and_no_common_password(resident):
    assert any("12" in m for m in messages("short-pw1", resident))
    assert messages("password1234", resident)  # common
    assert messages("liberty-bell-tower", resident) == []  # one class is fine for a resident


@pytest.mark.parametrize("role", [Role.SUB_DISTRICT_STAFF, Role.SECRETARY])
def test_workbench_users_mix_three_character_classes(role, sub_district, branch):
    user = UserFactory(username="worker")
    if role == Role.SUB_DISTRICT_STAFF:
        RoleAssignmentFactory(user=user, role=role, sub_district=sub_district)
    else:
        RoleAssignmentFactory(user=user, role=role, organization=branch)
    assert any("至少" in m or "mix" in m for m in messages("liberty-bell-tower", user))
    assert messages("Liberty-bell-tower", user) == []  # lower, upper, symbol
    assert messages("liberty-bell-1917", user) == []  # lower, symbol, digit


def test_superusers_mix_three_classes(superuser):
    assert messages("libertybelltower", superuser)


def test_a_revoked_role_no_longer_asks_for_classes(sub_district):
    user = UserFactory(username="former")
    RoleAssignmentFactory(
        user=user, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district, is_active=False
    )
    assert messages("liberty-bell-tower", user) == []


def test_character_classes():
    assert character_classes("abc") == 1
    assert character_classes("aB1!") == 4
    assert character_classes("密码密码密码") == 1
