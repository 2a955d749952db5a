from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import OutgoingEmail
from committees.models import TermReminder
from committees.services.reminders import send_term_reminders
from committees.services.terms import start_committee_term

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def term(branch, secretary, staff):
    # Elected so that the term (5 years, community) ends 80 days after TODAY.
    return start_committee_term(
        organization=branch,
        started_on=dt.date(2021, 11, 21) + dt.timedelta(days=80),
        planned_end_on=TODAY + dt.timedelta(days=80),
        actor=None,
    )


def test_the_90_day_reminder_goes_to_the_secretary_and_staff_once(term, secretary, staff):
    assert send_term_reminders(today=TODAY) == 1
    assert send_term_reminders(today=TODAY) == 0
    assert send_term_reminders(today=TODAY + dt.timedelta(days=1)) == 0
    recipients = sorted(OutgoingEmail.objects.values_list("to", flat=True))
    assert recipients == sorted([secretary.email, staff.email])
    email = OutgoingEmail.objects.first()
    assert term.organization.name in email.subject
    assert "换届" in email.body


def test_the_30_day_reminder_follows(term):
    send_term_reminders(today=TODAY)
    assert send_term_reminders(today=TODAY + dt.timedelta(days=50)) == 1
    assert set(TermReminder.objects.values_list("days_before", flat=True)) == {90, 30}


def test_a_term_first_seen_late_gets_only_the_urgent_reminder(term, secretary, staff):
    assert send_term_reminders(today=TODAY + dt.timedelta(days=70)) == 1
    assert OutgoingEmail.objects.count() == 2  # one reminder, two recipients
    assert send_term_reminders(today=TODAY + dt.timedelta(days=71)) == 0


def test_no_reminder_for_a_far_or_ended_term(term):
    assert send_term_reminders(today=TODAY - dt.timedelta(days=30)) == 0
    term.ended_on = TODAY
    term.save()
    assert send_term_reminders(today=TODAY) == 0


def test_other_secretaries_are_not_told(term, other_secretary):
    send_term_reminders(today=TODAY)
    assert other_secretary.email not in OutgoingEmail.objects.values_list("to", flat=True)
