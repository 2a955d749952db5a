"""The quarterly pack's community section: fill rate, waiting list and attendance per course,
nominations and votes per campaign, counted in the period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from community.models import Attendance, CourseSession
from community.services import campaigns, courses
from config.periods import Period
from reports.figures import community_section
from reports.scope import ReportScope
from tests.accounts.factories import UserFactory
from tests.community.factories import CourseFactory, NominationFactory

pytestmark = pytest.mark.django_db


def test_section_counts_places_waiting_attendance_and_votes(school, staff, campaign, clock):
    course = CourseFactory(term__school=school, title="太极", places=2)
    first, second, third = (courses.enrol(course=course, resident=UserFactory()) for _ in range(3))
    courses.schedule_sessions(course=course, actor=staff)
    session = CourseSession.objects.filter(course=course).order_by("starts_at").first()
    Attendance.objects.create(session=session, enrolment=first, source="teacher")
    nomination = NominationFactory(category__campaign=campaign)
    voter = UserFactory()
    voter.date_joined = timezone.now() - dt.timedelta(days=100)
    voter.save()
    campaigns.cast_vote(nomination=nomination, voter=voter)
    day = timezone.localtime(session.starts_at).date()
    period = Period(start=clock.today, end=day + dt.timedelta(days=1), granularity="month")
    clock.set(day, 12)  # the first session is over; the others lie ahead and are not "held"
    section = community_section(ReportScope(sub_district=school.sub_district), period)
    (row,) = section["tables"][0]["rows"]
    # school, term, course, places, enrolled, fill, waiting, held, attendance
    assert row[2:] == ["太极", 2, 2, 100, 1, 1, 50]
    (campaign_row,) = section["tables"][1]["rows"]
    assert campaign_row[2:5] == [1, 1, 1]  # nominations, accepted, votes in the period
    assert section["figures"]["enrolled"] == 2
    assert {second.status, third.status} == {"enrolled", "waitlisted"}
