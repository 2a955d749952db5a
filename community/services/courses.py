"""Courses: scheduling a term's sessions into the room, enrolment with places and a waiting
list, attendance, certificates of completion.

Invariants:
- A course's sessions hold its room through `venues.services.book_internal`; one collision
  refuses the whole schedule and writes nothing (one transaction).
- `Course.enrolled_count` never exceeds `places`: every change happens under
  `select_for_update()` on the course row, the counter moves with `F()`, and a check constraint
  backs it up (as volunteer activities count their places).
- One resident's enrolments of a term are counted after locking their user row, so N parallel
  requests cannot pass the per-term limit together. Lock order: resident, then course.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.locks import lock_owner
from accounts.models import ResidentProfile
from accounts.services import notify_user, record_audit
from community import rules
from community.errors import AttendanceRefused, EnrolmentRefused, ScheduleConflict
from community.models import (
    Attendance,
    AttendanceSource,
    Course,
    CourseCertificate,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    School,
)

ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


# --- scheduling -------------------------------------------------------------------------


def schedule_sessions(*, course: Course, actor: Any, now: dt.datetime | None = None) -> int:
    """Book the room for every weekly session of the course's term (from today on) as internal
    bookings of the school's organising branch. All or nothing: the first collision refuses the
    schedule with the date and the reason, and no booking or session is written."""
    now = now or timezone.now()
    course = Course.objects.select_related("term__school", "room__hall").get(pk=course.pk)
    if course.sessions.exists():
        raise EnrolmentRefused(_("The sessions of this course are already scheduled."))
    term = course.term
    tz = timezone.get_current_timezone()
    first = max(term.starts_on, timezone.localdate(now))
    days = rules.session_dates(first, term.ends_on, course.weekday)
    days = [d for d in days if dt.datetime.combine(d, course.starts_at, tz) > now]
    if not days:
        raise EnrolmentRefused(_("No session of this course lies ahead in the term."))
    from venues.services import book_internal

    with transaction.atomic():
        for day in days:
            starts = dt.datetime.combine(day, course.starts_at, tz)
            ends = dt.datetime.combine(day, course.ends_at, tz)
            try:
                booking = book_internal(
                    room=course.room,
                    organization=term.school.organization,
                    booked_by=actor,
                    starts_at=starts,
                    ends_at=ends,
                    attendees=course.places,
                    purpose=f"{term.school.name} {course.title}"[:200],
                    now=now,
                )
            except DomainError as refused:
                raise ScheduleConflict(
                    _(
                        "The session on %(day)s (%(start)s–%(end)s) cannot be booked in "
                        "%(room)s: %(reason)s Nothing was scheduled."
                    )
                    % {
                        "day": day.isoformat(),
                        "start": course.starts_at.strftime("%H:%M"),
                        "end": course.ends_at.strftime("%H:%M"),
                        "room": course.room.name,
                        "reason": refused.message,
                    }
                ) from refused
            CourseSession.objects.create(
                course=course, booking=booking, starts_at=starts, ends_at=ends
            )
        record_audit(
            actor=actor, action="course.scheduled", target=course, data={"sessions": len(days)}
        )
    return len(days)


# --- enrolment --------------------------------------------------------------------------


def is_returning(*, resident: Any, course: Course) -> bool:
    """Whether the resident took a course of the same school in an earlier term."""
    return Enrolment.objects.filter(
        resident=resident,
        status=EnrolmentStatus.ENROLLED,
        course__term__school_id=course.term.school_id,
        course__term__starts_on__lt=course.term.starts_on,
    ).exists()


def check_can_enrol(
    *, course: Course, resident: Any, birth_year: int | None, now: dt.datetime
) -> bool:
    """Raise `EnrolmentRefused` with the first rule a person would fix; return whether the
    resident is a returning student."""
    term = course.term
    if not course.is_active:
        raise EnrolmentRefused(_("This course is not open for enrolment."))
    if now < term.enrolment_opens_at:
        raise EnrolmentRefused(
            _("Enrolment opens on %(when)s.")
            % {"when": timezone.localtime(term.enrolment_opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    if now >= term.enrolment_closes_at:
        raise EnrolmentRefused(_("Enrolment for this term has closed."))
    if course.residents_only:
        community_sub_district = (
            ResidentProfile.objects.filter(user=resident)
            .values_list("community__sub_district_id", flat=True)
            .first()
        )
        if community_sub_district != term.school.sub_district_id:
            raise EnrolmentRefused(
                _(
                    "This course is for residents of the sub-district; please set your "
                    "community in your profile first."
                )
            )
    if course.min_age is not None or course.max_age is not None:
        if birth_year is None:
            raise EnrolmentRefused(_("Please give your year of birth."), field="birth_year")
        if not 1900 <= birth_year <= term.starts_on.year:
            raise EnrolmentRefused(_("Please give a valid year of birth."), field="birth_year")
        age = rules.age_on(birth_year, term.starts_on)
        if course.min_age is not None and age < course.min_age:
            raise EnrolmentRefused(
                _("This course is for residents aged %(age)d and over.") % {"age": course.min_age},
                field="birth_year",
            )
        if course.max_age is not None and age > course.max_age:
            raise EnrolmentRefused(
                _("This course is for residents aged up to %(age)d.") % {"age": course.max_age},
                field="birth_year",
            )
    returning = is_returning(resident=resident, course=course)
    if term.returning_first_until and now < term.returning_first_until and not returning:
        raise EnrolmentRefused(
            _("Until %(when)s only returning students may enrol; please come back then.")
            % {"when": timezone.localtime(term.returning_first_until).strftime("%Y-%m-%d %H:%M")}
        )
    return returning


def enrol(
    *,
    course: Course,
    resident: Any,
    birth_year: int | None = None,
    now: dt.datetime | None = None,
) -> Enrolment:
    """Take a place in the course, or a place on its waiting list when it is full.

    Enrolling again while enrolled or waiting returns the same enrolment. Places on the waiting
    list count towards the term's limit per resident, so a promotion never breaks it.
    """
    now = now or timezone.now()
    course = Course.objects.select_related("term__school").get(pk=course.pk)
    returning = check_can_enrol(course=course, resident=resident, birth_year=birth_year, now=now)
    with transaction.atomic():
        lock_owner(resident)
        existing = Enrolment.objects.filter(course=course, resident=resident).first()
        if existing is not None and existing.status in ACTIVE:
            return existing
        taken = Enrolment.objects.filter(
            resident=resident, course__term_id=course.term_id, status__in=ACTIVE
        ).count()
        if taken >= course.term.max_courses_per_resident:
            raise EnrolmentRefused(
                _(
                    "You may take %(n)d course(s) this term and already have %(taken)d; "
                    "withdraw from one first."
                )
                % {"n": course.term.max_courses_per_resident, "taken": taken}
            )
        locked = Course.objects.select_for_update().get(pk=course.pk)
        has_place = locked.enrolled_count < locked.places
        enrolment = existing or Enrolment(course=course, resident=resident)
        enrolment.status = EnrolmentStatus.ENROLLED if has_place else EnrolmentStatus.WAITLISTED
        enrolment.queued_at = None if has_place else now
        enrolment.withdrawn_at = None
        enrolment.birth_year = birth_year
        enrolment.is_returning = returning
        enrolment.save()
        if has_place:
            Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") + 1)
        record_audit(
            actor=resident,
            action="course.enrolled" if has_place else "course.waitlisted",
            target=enrolment,
        )
    return enrolment


def _promote_next(course: Course) -> Enrolment | None:
    """Give the free place to the first on the waiting list (the caller holds the course)."""
    nxt = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(course=course, status=EnrolmentStatus.WAITLISTED)
        .select_related("resident")
        .order_by("queued_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = EnrolmentStatus.ENROLLED
    nxt.queued_at = None
    nxt.save(update_fields=["status", "queued_at"])
    Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") + 1)
    notify_user(
        user=nxt.resident,
        subject=_("You have a place: %(title)s") % {"title": course.title},
        body=_(
            "A place came free and you moved up from the waiting list of %(title)s. "
            "If you cannot come, please withdraw so the next person can take it."
        )
        % {"title": course.title},
    )
    record_audit(actor=None, action="course.promoted", target=nxt)
    return nxt


def withdraw(*, enrolment: Enrolment, actor: Any, now: dt.datetime | None = None) -> Enrolment:
    """Give up a place (or leave the waiting list) before the term ends; the first person
    waiting takes the place and is told."""
    now = now or timezone.now()
    with transaction.atomic():
        course = (
            Course.objects.select_for_update().select_related("term").get(pk=enrolment.course_id)
        )
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            return enrolment
        if course.term.ends_on < timezone.localdate(now):
            raise EnrolmentRefused(_("The term has ended."))
        was_enrolled = enrolment.status == EnrolmentStatus.ENROLLED
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = now
        enrolment.queued_at = None
        enrolment.save(update_fields=["status", "withdrawn_at", "queued_at"])
        if was_enrolled:
            Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") - 1)
            _promote_next(course)
        record_audit(actor=actor, action="course.withdrawn", target=enrolment)
    return enrolment


# --- attendance -------------------------------------------------------------------------


def can_take_roster(*, user: Any, course: Course) -> bool:
    """The teacher of the course, or sub-district staff managing its school."""
    if not user.is_authenticated:
        return False
    if course.teacher_id == user.pk:
        return True
    return (
        user.has_perm("community.change_course")
        and Course.objects.managed_by(user).filter(pk=course.pk).exists()
    )


def mark_attendance(
    *,
    session: CourseSession,
    enrolment: Enrolment,
    present: bool,
    by: Any,
    now: dt.datetime | None = None,
) -> bool:
    """The teacher's one tap: mark a student present (or take it back) at a session that has
    begun. Returns whether the student is now marked present."""
    now = now or timezone.now()
    if enrolment.course_id != session.course_id or enrolment.status != EnrolmentStatus.ENROLLED:
        raise AttendanceRefused(_("This person is not a student of the course."))
    if not can_take_roster(user=by, course=session.course):
        raise AttendanceRefused(_("Only the teacher can take the roster."))
    if session.starts_at - rules.CODE_EARLY > now:
        raise AttendanceRefused(_("This session has not begun yet."))
    if present:
        Attendance.objects.get_or_create(
            session=session, enrolment=enrolment, defaults={"source": AttendanceSource.TEACHER}
        )
    else:
        Attendance.objects.filter(session=session, enrolment=enrolment).delete()
    record_audit(
        actor=by,
        action="course.attendance_marked" if present else "course.attendance_unmarked",
        target=enrolment,
        data={"session": session.pk},
    )
    return present


def attend_with_code(*, resident: Any, code: str, now: dt.datetime | None = None) -> Attendance:
    """A student records their own attendance with the code the teacher shows, from half an hour
    before the session until half an hour after it."""
    now = now or timezone.now()
    code = (code or "").strip()
    session = (
        CourseSession.objects.filter(
            code=code,
            starts_at__lte=now + rules.CODE_EARLY,
            ends_at__gte=now - rules.CODE_LATE,
            course__enrolments__resident=resident,
            course__enrolments__status=EnrolmentStatus.ENROLLED,
        )
        .select_related("course")
        .first()
    )
    if session is None:
        raise AttendanceRefused(
            _("No session of your courses with this code is running now."), field="code"
        )
    enrolment = Enrolment.objects.get(course=session.course, resident=resident)
    attendance, _created = Attendance.objects.get_or_create(
        session=session, enrolment=enrolment, defaults={"source": AttendanceSource.CODE}
    )
    return attendance


# --- certificates -----------------------------------------------------------------------


def attendance_of(enrolment: Enrolment, now: dt.datetime) -> tuple[int, int]:
    """(attended, held) for an enrolment: sessions that have begun, and those attended."""
    held = CourseSession.objects.filter(course_id=enrolment.course_id, starts_at__lte=now).count()
    attended = Attendance.objects.filter(enrolment=enrolment).count()
    return attended, held


def issue_certificate(
    *, enrolment: Enrolment, actor: Any, now: dt.datetime | None = None
) -> CourseCertificate:
    """Issue the numbered certificate of completion once the term has ended, when the student
    attended at least the course's threshold. Serials run per school and year without gaps:
    the school row is locked while the next one is taken, and a unique constraint backs it."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_related("course__term__school").get(pk=enrolment.pk)
    existing = CourseCertificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course = enrolment.course
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise EnrolmentRefused(_("Only an enrolled student receives a certificate."))
    if course.term.ends_on >= timezone.localdate(now):
        raise EnrolmentRefused(_("Certificates are issued after the term ends."))
    attended, held = attendance_of(enrolment, now)
    percent = rules.attendance_percent(attended, held)
    if percent < course.attendance_threshold:
        raise EnrolmentRefused(
            _(
                "Attendance is %(percent)d%% (%(attended)d of %(held)d sessions); the certificate "
                "needs %(threshold)d%%."
            )
            % {
                "percent": percent,
                "attended": attended,
                "held": held,
                "threshold": course.attendance_threshold,
            }
        )
    school = course.term.school
    year = course.term.ends_on.year
    with transaction.atomic():
        lock_owner(school)
        existing = CourseCertificate.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            return existing
        last = CourseCertificate.objects.filter(school=school, year=year).aggregate(
            m=Max("serial")
        )["m"]
        certificate = CourseCertificate.objects.create(
            enrolment=enrolment,
            school=school,
            year=year,
            serial=(last or 0) + 1,
            attended=attended,
            sessions=held,
        )
        record_audit(actor=actor, action="course.certificate_issued", target=certificate)
    return certificate


def certificate_docx(certificate: CourseCertificate) -> bytes:
    """The certificate as a DOCX on the portal's page (config/documents.py)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from config.documents import document_bytes, new_document

    enrolment = certificate.enrolment
    course = enrolment.course
    school: School = course.term.school
    document = new_document(header=f"{school.name} · {_('Certificate of completion')}")
    title = document.add_paragraph(_("Certificate of completion"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(_("No. %(number)s") % {"number": certificate.number})
    name = enrolment.resident.get_full_name() or enrolment.resident.get_username()
    document.add_paragraph(
        _(
            "%(name)s took the course %(course)s of %(term)s at %(school)s and attended "
            "%(attended)d of %(held)d sessions."
        )
        % {
            "name": name,
            "course": course.title,
            "term": course.term.name,
            "school": school.name,
            "attended": certificate.attended,
            "held": certificate.sessions,
        }
    )
    if school.partner:
        document.add_paragraph(_("Run with %(partner)s.") % {"partner": school.partner})
    document.add_paragraph(timezone.localtime(certificate.issued_at).strftime("%Y-%m-%d"))
    return document_bytes(document)
