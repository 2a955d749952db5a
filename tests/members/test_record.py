"""The member record: ID numbers encrypted, unique through a keyed hash, history kept."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection

from accounts.models import AuditEntry
from members import services
from members.errors import DuplicateIdNumber, InvalidMemberData
from members.models import Member, MemberChange
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db


def fields(branch, **extra):
    return {
        "organization": branch,
        "full_name": "张三",
        "birth_date": dt.date(1980, 5, 1),
        "joined_on": dt.date(2005, 7, 1),
        "status": "full",
        **extra,
    }


def test_id_number_is_stored_encrypted_hashed_and_masked(staff, branch):
    number = valid_id(7)
    member = services.create_member(actor=staff, fields=fields(branch), id_number=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_member WHERE id = %s", [member.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert number not in row
    assert (
        member.id_number_masked == "990000********0070"[:0] + number[:6] + "********" + number[-4:]
    )
    assert len(member.id_number_hash) == 64


def test_creation_writes_history_and_audit(staff, branch):
    member = services.create_member(actor=staff, fields=fields(branch), id_number=valid_id(8))
    change = MemberChange.objects.get(member=member)
    assert change.action == "created" and change.actor == staff
    assert "id_number_masked" in change.changes
    assert valid_id(8) not in str(change.changes)
    assert AuditEntry.objects.filter(action="member.created", target_id=str(member.pk)).exists()


def test_duplicate_names_the_record_when_the_user_may_see_it(staff, branch):
    MemberFactory(organization=branch, full_name="李四", id_number=valid_id(9))
    with pytest.raises(DuplicateIdNumber) as caught:
        services.create_member(actor=staff, fields=fields(branch), id_number=valid_id(9))
    assert "李四" in caught.value.message and branch.name in caught.value.message
    assert Member.objects.count() == 1


def test_duplicate_in_another_scope_does_not_reveal_whose_it_is(secretary, branch, other_branch):
    MemberFactory(organization=other_branch, full_name="王五", id_number=valid_id(10))
    with pytest.raises(DuplicateIdNumber) as caught:
        services.create_member(actor=secretary, fields=fields(branch), id_number=valid_id(10))
    assert "王五" not in caught.value.message and other_branch.name not in caught.value.message
    assert "另一" in caught.value.message


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"joined_on": dt.date(1995, 1, 1)}, "joined_on"),  # aged 14
        ({"confirmed_on": dt.date(2004, 1, 1)}, "confirmed_on"),  # before joining
        ({"status": "probationary", "confirmed_on": dt.date(2006, 7, 1)}, "confirmed_on"),
        ({"joined_on": dt.date(2099, 6, 1)}, "joined_on"),  # in the future
        ({"phone": "12345"}, "phone"),
    ],
)
def test_refuses_inconsistent_records_and_writes_nothing(staff, branch, extra, field):
    with pytest.raises(InvalidMemberData) as caught:
        services.create_member(actor=staff, fields=fields(branch, **extra), id_number=valid_id(11))
    assert caught.value.field == field
    assert not Member.objects.exists() and not MemberChange.objects.exists()


def test_secretary_cannot_create_in_another_branch(secretary, other_branch):
    with pytest.raises(InvalidMemberData):
        services.create_member(actor=secretary, fields=fields(other_branch), id_number=valid_id(12))


def test_update_records_who_changed_what(staff, branch):
    member = MemberFactory(organization=branch, phone="13900000001")
    services.update_member(member=member, actor=staff, fields={"phone": "13900000002"})
    change = MemberChange.objects.get(member=member, action="updated")
    assert change.changes == {"phone": {"from": "13900000001", "to": "13900000002"}}


def test_update_refuses_a_birth_date_that_no_longer_matches(staff, branch):
    member = MemberFactory(organization=branch)
    with pytest.raises(InvalidMemberData):
        services.update_member(
            member=member, actor=staff, fields={"birth_date": dt.date(1981, 1, 1)}
        )


def test_reveal_is_audited_and_needs_the_permission(staff, secretary, branch):
    member = MemberFactory(organization=branch, id_number=valid_id(13))
    assert services.reveal_id_number(member=member, actor=staff) == valid_id(13)
    entry = AuditEntry.objects.get(action="member.id_number_revealed")
    assert entry.actor == staff and valid_id(13) not in str(entry.data)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reveal_id_number(member=member, actor=secretary)


def test_no_personal_data_reaches_the_logs(staff, branch, caplog):
    caplog.set_level(logging.DEBUG)
    member = services.create_member(
        actor=staff, fields=fields(branch, phone="13912345678"), id_number=valid_id(14)
    )
    services.reveal_id_number(member=member, actor=staff)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert valid_id(14) not in text and "13912345678" not in text


def test_voting_rights_follow_status_and_roll(branch):
    assert MemberFactory(organization=branch, status="full").has_voting_rights
    assert not MemberFactory(
        organization=branch, status="probationary", confirmed_on=None
    ).has_voting_rights
    assert not MemberFactory(organization=branch, state="left").has_voting_rights
