from __future__ import annotations

import pytest
from django.core.management import call_command

from branches.models import Organization
from members import rules
from members.identity import decrypt_id_number
from members.models import Member

pytestmark = pytest.mark.django_db


def test_seed_fills_every_demo_branch_with_beilinlu_at_1044_and_is_idempotent():
    call_command("seed_demo")
    first = Member.objects.count()
    call_command("seed_demo")
    assert Member.objects.count() == first
    assert Member.objects.filter(organization__sub_district__name="北林路街道").count() == 1044
    empty = Organization.objects.filter(kind="branch", status="active", members__isnull=True)
    assert not empty.exists()


def test_demo_id_numbers_fail_the_check_digit_and_are_marked():
    call_command("seed_demo")
    assert not Member.objects.filter(is_demo_id=False).exists()
    for member in Member.objects.order_by("?")[:50]:
        number = decrypt_id_number(member.id_number_encrypted)
        with pytest.raises(rules.InvalidIdNumber):
            rules.validate_id_number(number)


def test_seed_registers_48_office_and_232_public_unit_members_in_ruyihu_communities():
    from members.models import CommunityRegistration

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    registered = CommunityRegistration.objects.active().filter(
        community__sub_district__name="如意湖办事处"
    )
    assert registered.filter(employer_unit__isnull=True, employer_name="如意湖办事处").count() == 48
    assert registered.filter(employer_unit__isnull=False).count() == 232
    assert not registered.exclude(member__category="in_service").exists()


def test_the_demo_has_one_member_under_probation_in_ruyihu():
    from members.models import Sanction

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    sanctions = Sanction.objects.filter(member__organization__sub_district__name="如意湖办事处")
    assert [s.kind for s in sanctions] == ["probation"]
