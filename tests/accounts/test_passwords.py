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


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abababababab", "zzzzzzzzzzzzzzzz", "1a1a1a1a1a1a"]
)
def test_residents_cannot_choose_a_repetitive_password(password, resident):
    assert messages(password, resident)


BAD_PASSWORDS = {
    "short": "Ab1!",
    "common": "password1234",
    "numeric": "482910573310",
    "similar": "13812345678ab",
    "one_kind": "lotuspondevening",
    "repetitive": "aaaaaaaaaaaa",
}


@pytest.mark.parametrize("kind", sorted(BAD_PASSWORDS))
def test_every_password_message_and_help_text_is_in_chinese(kind):
    """Each validator's message, Django's own included, is translated: no English word left."""
    import re

    from django.contrib.auth.password_validation import password_validators_help_texts
    from django.utils import translation

    from accounts.models import User

    user = User(username="13812345678", phone="13812345678", full_name="陈静")
    with translation.override("zh-hans"):
        found = messages(BAD_PASSWORDS[kind], user)
        help_texts = password_validators_help_texts()
    assert found
    assert [m for m in found + help_texts if re.search(r"[A-Za-z]{2,}", m)] == []
