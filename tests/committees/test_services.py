"""Ending a position and an archived organisation's term: the one way a dated row ends
(`accounts/dated.py`'s `close_span`), with the committee's own messages and audit action."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import DomainError
from accounts.models import AuditEntry
from branches.models import OrganizationStatus
from branches.services.tree import dissolve_organization, found_organization
from committees.models import CommitteePosition, CommitteeTerm
from committees.services.terms import appoint_position, end_position, start_committee_term
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(branch):
    term = start_committee_term(organization=branch, started_on=dt.date(2024, 3, 1), actor=None)
    return appoint_position(
        term=term,
        member=MemberFactory(organization=branch),
        position="secretary",
        started_on=dt.date(2024, 3, 1),
        actor=None,
    )


def test_a_position_ends_once_and_stays_as_history(position, staff):
    end_position(position=position, ended_on=dt.date(2025, 1, 31), actor=staff)
    assert CommitteePosition.objects.get(pk=position.pk).ended_on == dt.date(2025, 1, 31)
    assert CommitteePosition.objects.open().count() == 0
    assert CommitteePosition.objects.on(dt.date(2025, 1, 31)).get() == position
    entry = AuditEntry.objects.get(action="committee.position_ended")
    assert entry.data == {"position": "secretary", "member_id": position.member_id}
    with pytest.raises(DomainError, match="该职务已经终止"):
        end_position(position=position, ended_on=dt.date(2025, 2, 1), actor=staff)
    assert CommitteePosition.objects.get(pk=position.pk).ended_on == dt.date(2025, 1, 31)


def test_a_position_cannot_end_before_it_began(position):
    with pytest.raises(DomainError, match="终止日期不能早于起始日期") as refused:
        end_position(position=position, ended_on=dt.date(2024, 2, 29), actor=None)
    assert refused.value.field == "ended_on"
    assert CommitteePosition.objects.get(pk=position.pk).ended_on is None
    assert not AuditEntry.objects.filter(action="committee.position_ended").exists()


def test_a_new_election_ends_the_term_and_its_open_positions(position, branch):
    start_committee_term(organization=branch, started_on=dt.date(2025, 3, 1), actor=None)
    old = CommitteeTerm.objects.get(pk=position.term_id)
    assert old.ended_on == dt.date(2025, 3, 1)
    assert CommitteePosition.objects.get(pk=position.pk).ended_on == dt.date(2025, 3, 1)
    assert CommitteeTerm.objects.current().get().started_on == dt.date(2025, 3, 1)


def test_dissolving_before_the_current_election_is_refused_with_a_message(work_committee):
    organization = found_organization(
        sub_district=work_committee.sub_district,
        parent=work_committee,
        name="新支部",
        kind="branch",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    start_committee_term(organization=organization, started_on=dt.date(2024, 3, 1), actor=None)
    with pytest.raises(DomainError, match="2024-03-01"):
        dissolve_organization(organization=organization, on=dt.date(2023, 1, 1), actor=None)
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACTIVE
    assert CommitteeTerm.objects.get(organization=organization).ended_on is None
