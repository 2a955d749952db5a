"""The demo shows an election: 天路社区党支部 (如意湖) re-elected, approved, its new term open;
seeding again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from activities.elections.models import Election
from committees.models import CommitteeTerm

pytestmark = pytest.mark.django_db


def test_the_demo_records_an_election_for_a_ruyihu_branch_once():
    call_command("seed_demo", stdout=io.StringIO())
    election = Election.objects.select_related("meeting__organization", "term").get()
    assert election.meeting.organization.name == "天路社区党支部"
    assert election.present * 5 > election.entitled * 4
    assert election.candidates.filter(elected=True).count() == election.seats
    term = CommitteeTerm.objects.filter(organization=election.meeting.organization).current().get()
    assert term == election.term and term.positions.filter(position="secretary").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Election.objects.count() == 1
