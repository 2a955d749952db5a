"""Reminders that a committee term is ending: 90 and 30 days before, each sent once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import queue_email
from committees import rules
from committees.models import CommitteeTerm, TermReminder


def _recipients(term: CommitteeTerm) -> list[str]:
    """The secretaries of the organisation and the staff of its sub-district, with an email."""
    organization = term.organization
    assignments = RoleAssignment.objects.filter(is_active=True, user__is_active=True).filter(
        Q(role=Role.SECRETARY, organization=organization)
        | Q(role=Role.SUB_DISTRICT_STAFF, sub_district_id=organization.sub_district_id)
    )
    emails = assignments.exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


def send_term_reminders(*, today: dt.date | None = None) -> int:
    """Queue the reminders due today; returns how many reminders were newly claimed.

    The unique (term, days_before) row is the claim: a second scan the same day, or two workers
    scanning at once, cannot send the same reminder twice.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(rules.TERM_REMINDER_DAYS))
    terms = (
        CommitteeTerm.objects.current()
        .filter(
            planned_end_on__gte=today,
            planned_end_on__lte=horizon,
            organization__status="active",
        )
        .select_related("organization", "organization__sub_district")
    )
    sent = 0
    for term in terms:
        lead = rules.reminder_due(term.planned_end_on, today)
        if lead is None:
            continue
        try:
            with transaction.atomic():
                TermReminder.objects.create(term=term, days_before=lead)
                # An earlier lead time that was never sent is now moot: claim it too.
                for longer in rules.TERM_REMINDER_DAYS:
                    if longer > lead:
                        TermReminder.objects.get_or_create(term=term, days_before=longer)
                _queue(term, lead)
        except IntegrityError:
            continue
        sent += 1
    return sent


def _queue(term: CommitteeTerm, lead: int) -> None:
    context = {"term": term, "organization": term.organization, "days": lead}
    with translation.override("zh-hans"):
        subject = render_to_string("committees/email/term_ending_subject.txt", context).strip()
        body = render_to_string("committees/email/term_ending_body.txt", context)
    for email in _recipients(term):
        queue_email(to=email, subject=subject, body=body)
