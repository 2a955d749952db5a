"""Two secretaries record the same branch's election at the same instant: the organisation's
row lock (`start_committee_term`) lets exactly one term open; the other is refused whole (no
meeting, no election left behind)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from accounts.errors import DomainError
from activities.elections.models import Election
from activities.elections.services import record_election
from activities.models import Meeting
from committees.models import CommitteeTerm
from tests.activities.test_elections import election_input
from tests.members.factories import MemberFactory
from tests.parallel import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_elections_open_one_term(branch, clock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    voters = [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(10)]
    day = clock.today - dt.timedelta(days=10)
    data = election_input(day, voters)
    outcomes = run_together(
        [lambda: record_election(organization=branch, data=data, actor=None) for _ in range(4)]
    )
    assert sum(isinstance(o, Election) for o in outcomes) == 1
    assert all(isinstance(o, (Election, DomainError)) for o in outcomes)
    assert Election.objects.count() == Meeting.objects.count() == 1
    assert CommitteeTerm.objects.filter(organization=branch).count() == 1
