"""Courses: sessions booked in the room without collision, enrolment rules, places under
parallel requests, the waiting list, attendance and certificates."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import ResidentProfile
from community.errors import AttendanceRefused, EnrolmentRefused, ScheduleConflict
from community.models import (
    Attendance,
    Course,
    CourseCertificate,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
)
from community.services import courses
from tests.accounts.factories import UserFactory
from tests.community.factories import CourseFactory, TermFactory
from tests.parallel import run_together
from tests.volunteers.factories import CommunityFactory
from venues.models import Booking, BookingKind
from venues.services import book_internal

pytestmark = pytest.mark.django_db


def test_schedule_books_every_weekly_session_as_internal_booking(course, staff):
    count = courses.schedule_sessions(course=course, actor=staff)
    assert count == 8  # eight weeks of the term
    sessions = list(CourseSession.objects.filter(course=course))
    assert len(sessions) == 8
    assert {
        s.starts_at.astimezone(timezone.get_current_timezone()).weekday() for s in sessions
    } == {course.weekday}
    bookings = Booking.objects.filter(room=course.room)
    assert bookings.count() == 8
    assert set(bookings.values_list("kind", flat=True)) == {BookingKind.INTERNAL}
    assert set(bookings.values_list("organization_id", flat=True)) == {
        course.term.school.organization_id
    }


def test_schedule_refuses_a_collision_and_writes_nothing(course, staff):
    tz = timezone.get_current_timezone()
    third = course.term.starts_on + dt.timedelta(days=14)
    book_internal(
        room=course.room,
        organization=course.term.school.organization,
        booked_by=staff,
        starts_at=dt.datetime.combine(third, dt.time(10), tz),
        ends_at=dt.datetime.combine(third, dt.time(12), tz),
        attendees=5,
        purpose="支部党员大会",
    )
    with pytest.raises(ScheduleConflict) as refused:
        courses.schedule_sessions(course=course, actor=staff)
    assert third.isoformat() in refused.value.message
    assert "Nothing was scheduled" in refused.value.message or "未安排" in refused.value.message
    assert CourseSession.objects.count() == 0
    assert Booking.objects.filter(room=course.room).count() == 1


def test_schedule_twice_is_refused(course, staff):
    courses.schedule_sessions(course=course, actor=staff)
    with pytest.raises(EnrolmentRefused):
        courses.schedule_sessions(course=course, actor=staff)
    assert CourseSession.objects.count() == 8


def test_enrolment_fills_places_then_the_waiting_list_in_order(course):
    people = UserFactory.create_batch(5)
    results = [courses.enrol(course=course, resident=p) for p in people]
    assert [r.status for r in results] == ["enrolled"] * 3 + ["waitlisted"] * 2
    course.refresh_from_db()
    assert course.enrolled_count == 3
    courses.withdraw(enrolment=results[1], actor=people[1])
    assert Enrolment.objects.get(pk=results[3].pk).status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.get(pk=results[4].pk).status == EnrolmentStatus.WAITLISTED
    course.refresh_from_db()
    assert course.enrolled_count == 3
    # Withdrawing from the waiting list frees no place and promotes nobody.
    courses.withdraw(enrolment=results[4], actor=people[4])
    course.refresh_from_db()
    assert course.enrolled_count == 3


def test_enrolling_again_returns_the_same_place(course, resident):
    first = courses.enrol(course=course, resident=resident)
    again = courses.enrol(course=course, resident=resident)
    assert first.pk == again.pk
    course.refresh_from_db()
    assert course.enrolled_count == 1


def test_enrolment_outside_the_window_is_refused(course, resident, clock):
    clock.advance(days=7)
    with pytest.raises(EnrolmentRefused, match="closed|截止|结束"):
        courses.enrol(course=course, resident=resident)
    assert not Enrolment.objects.exists()


def test_enrolment_before_the_window_is_refused(school, resident):
    term = TermFactory(school=school, enrolment_opens_at=timezone.now() + dt.timedelta(days=1))
    course = CourseFactory(term=term)
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=resident)
    assert not Enrolment.objects.exists()


def test_courses_per_term_limit_counts_waiting_places(school, resident):
    term = TermFactory(school=school, max_courses_per_resident=1)
    first, second = CourseFactory(term=term), CourseFactory(term=term)
    courses.enrol(course=first, resident=resident)
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=second, resident=resident)
    assert Enrolment.objects.filter(resident=resident).count() == 1


def test_age_condition_needs_a_birth_year_in_range(school, resident):
    course = CourseFactory(term__school=school, min_age=55)
    year = course.term.starts_on.year
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=resident)
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=resident, birth_year=year - 40)
    assert not Enrolment.objects.exists()
    assert (
        courses.enrol(course=course, resident=resident, birth_year=year - 60).status == "enrolled"
    )


def test_residency_condition_requires_a_community_of_the_sub_district(school, resident):
    course = CourseFactory(term__school=school, residents_only=True)
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=resident)
    ResidentProfile.objects.create(user=resident, community=CommunityFactory())  # elsewhere
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=resident)
    ResidentProfile.objects.filter(user=resident).update(
        community=CommunityFactory(sub_district=school.sub_district)
    )
    assert courses.enrol(course=course, resident=resident).status == "enrolled"


def test_returning_students_enrol_first(school, resident, clock):
    earlier = TermFactory(
        school=school,
        name="秋季学期",
        starts_on=timezone.localdate() - dt.timedelta(days=200),
        ends_on=timezone.localdate() - dt.timedelta(days=120),
        enrolment_opens_at=timezone.now() - dt.timedelta(days=220),
        enrolment_closes_at=timezone.now() - dt.timedelta(days=201),
    )
    old_course = CourseFactory(term=earlier)
    Enrolment.objects.create(course=old_course, resident=resident)
    term = TermFactory(school=school, returning_first_until=timezone.now() + dt.timedelta(days=2))
    course = CourseFactory(term=term)
    newcomer = UserFactory()
    with pytest.raises(EnrolmentRefused):
        courses.enrol(course=course, resident=newcomer)
    enrolment = courses.enrol(course=course, resident=resident)
    assert enrolment.is_returning
    clock.advance(days=3)
    assert courses.enrol(course=course, resident=newcomer).status == "enrolled"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under test")
def test_parallel_enrolments_never_exceed_the_places(school):
    course = CourseFactory(term__school=school, places=3)
    people = UserFactory.create_batch(12)
    outcomes = run_together([partial(courses.enrol, course=course, resident=p) for p in people])
    assert not [o for o in outcomes if isinstance(o, Exception)]
    course.refresh_from_db()
    assert course.enrolled_count == 3
    assert Enrolment.objects.filter(course=course, status="enrolled").count() == 3
    assert Enrolment.objects.filter(course=course, status="waitlisted").count() == 9


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under test")
def test_parallel_enrolments_of_one_resident_keep_the_term_limit(school):
    term = TermFactory(school=school, max_courses_per_resident=2)
    offered = [CourseFactory(term=term) for _ in range(6)]
    resident = UserFactory()
    outcomes = run_together([partial(courses.enrol, course=c, resident=resident) for c in offered])
    assert sum(isinstance(o, EnrolmentRefused) for o in outcomes) == 4
    assert Enrolment.objects.filter(resident=resident).count() == 2


def _held_session(course, staff, clock):
    courses.schedule_sessions(course=course, actor=staff)
    session = CourseSession.objects.filter(course=course).order_by("starts_at").first()
    clock.set(timezone.localtime(session.starts_at).date(), 9, 15)
    return session


def test_teacher_marks_attendance_with_one_tap_and_can_take_it_back(course, staff, clock):
    student = UserFactory()
    enrolment = courses.enrol(course=course, resident=student)
    session = _held_session(course, staff, clock)
    courses.mark_attendance(session=session, enrolment=enrolment, present=True, by=course.teacher)
    courses.mark_attendance(session=session, enrolment=enrolment, present=True, by=course.teacher)
    assert Attendance.objects.count() == 1
    courses.mark_attendance(session=session, enrolment=enrolment, present=False, by=course.teacher)
    assert Attendance.objects.count() == 0


def test_only_the_teacher_takes_the_roster(course, staff, clock, other_secretary):
    student = UserFactory()
    enrolment = courses.enrol(course=course, resident=student)
    session = _held_session(course, staff, clock)
    for outsider in (student, other_secretary):
        with pytest.raises(AttendanceRefused):
            courses.mark_attendance(session=session, enrolment=enrolment, present=True, by=outsider)
    assert not Attendance.objects.exists()


def test_resident_records_attendance_with_the_session_code(course, staff, clock):
    student = UserFactory()
    courses.enrol(course=course, resident=student)
    session = _held_session(course, staff, clock)
    with pytest.raises(AttendanceRefused):
        courses.attend_with_code(
            resident=student, code="000000" if session.code != "000000" else "1"
        )
    attendance = courses.attend_with_code(resident=student, code=session.code)
    assert attendance.session == session
    outsider = UserFactory()
    with pytest.raises(AttendanceRefused):
        courses.attend_with_code(resident=outsider, code=session.code)
    clock.advance(hours=3)
    with pytest.raises(AttendanceRefused):
        courses.attend_with_code(resident=student, code=session.code)


def test_certificate_numbered_above_the_threshold_only(course, staff, clock):
    keen, idle = UserFactory(full_name="张阿姨"), UserFactory()
    keen_e = courses.enrol(course=course, resident=keen)
    idle_e = courses.enrol(course=course, resident=idle)
    courses.schedule_sessions(course=course, actor=staff)
    sessions = list(CourseSession.objects.filter(course=course).order_by("starts_at"))
    for session in sessions[:7]:
        Attendance.objects.create(session=session, enrolment=keen_e, source="teacher")
    Attendance.objects.create(session=sessions[0], enrolment=idle_e, source="teacher")
    with pytest.raises(EnrolmentRefused):
        courses.issue_certificate(enrolment=keen_e, actor=keen)  # the term has not ended
    clock.set(course.term.ends_on + dt.timedelta(days=1))
    certificate = courses.issue_certificate(enrolment=keen_e, actor=keen)
    assert (certificate.attended, certificate.sessions, certificate.serial) == (7, 8, 1)
    with pytest.raises(EnrolmentRefused, match="12%"):
        courses.issue_certificate(enrolment=idle_e, actor=idle)
    assert CourseCertificate.objects.count() == 1
    data = courses.certificate_docx(certificate)
    assert data[:2] == b"PK"
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "张阿姨" in text and certificate.number in text


def test_places_never_go_below_the_check_constraint(course):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(enrolled_count=course.places + 1)
