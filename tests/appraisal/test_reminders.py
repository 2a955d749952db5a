"""Ballot reminders reach each member who votes: once when online voting opens, once the day
before it closes to those who have not voted; never to 预备党员, never after the paper count."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import OutgoingSms
from appraisal.models import Grade, VoterReminder
from appraisal.reminders import remind_voters
from appraisal.services.ballots import cast_ballot
from members.models import ReminderPreference

pytestmark = pytest.mark.django_db


def ballot(campaign, voter):
    return {
        p.member_id: Grade.QUALIFIED for p in campaign.participants.graded().exclude(member=voter)
    }


def texts_to(member):
    return list(OutgoingSms.objects.filter(to=member.phone).values_list("body", flat=True))


def test_voting_opened_reaches_each_voter_once(campaign, full_members, probationary):
    assert remind_voters(today=dt.date(2026, 12, 1)) == 6  # six full members, SMS each
    assert remind_voters(today=dt.date(2026, 12, 2)) == 0  # claimed: never twice
    for member in full_members:
        (text,) = texts_to(member)
        assert "民主评议" in text and "2026-12-20" in text
    assert texts_to(probationary) == []  # takes part without a vote


def test_closing_notice_only_to_those_who_have_not_voted(campaign, full_members):
    remind_voters(today=dt.date(2026, 12, 1))
    voter = full_members[0]
    cast_ballot(campaign, voter, ballot(campaign, voter))
    assert remind_voters(today=dt.date(2026, 12, 18)) == 0  # two days before: not yet
    assert remind_voters(today=dt.date(2026, 12, 19)) == 5
    assert remind_voters(today=dt.date(2026, 12, 20)) == 0
    assert len(texts_to(voter)) == 1  # only the opening notice
    assert len(texts_to(full_members[1])) == 2
    assert VoterReminder.objects.filter(kind="closing").count() == 5


def test_nothing_before_the_window_or_after_the_paper_count(campaign, full_members):
    assert remind_voters(today=dt.date(2026, 11, 30)) == 0
    campaign.paper_ballots = 0
    campaign.save(update_fields=["paper_ballots"])
    assert remind_voters(today=dt.date(2026, 12, 1)) == 0
    assert not VoterReminder.objects.exists()


def test_a_member_who_turned_sms_off_is_claimed_but_not_texted(campaign, full_members):
    quiet = full_members[0]
    ReminderPreference.objects.create(member=quiet, sms=False, email=True)
    assert remind_voters(today=dt.date(2026, 12, 1)) == 5
    assert texts_to(quiet) == []
    assert VoterReminder.objects.filter(member=quiet).exists()
