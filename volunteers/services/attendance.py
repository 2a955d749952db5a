"""Sign-in, sign-out, honour hours and no-shows.

Sign-in and sign-out are conditional updates (`signed_in_at IS NULL`), so repeating them, or two
devices sending them together, changes nothing the second time. Credit minutes are computed once,
at sign-out, from the two times clamped to the activity; honour minutes are kept apart and capped
so that credit + honour never exceed the activity's length.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import record_audit
from members import extensions
from volunteers import rules
from volunteers.errors import AttendanceRefused, HoursRefused
from volunteers.models import (
    ActivityStatus,
    Enrollment,
    EnrollmentStatus,
    HourCorrection,
    ServiceActivity,
    Volunteer,
)


def _early() -> dt.timedelta:
    return dt.timedelta(minutes=settings.VOLUNTEER_SIGN_IN_EARLY_MINUTES)


def _grace() -> dt.timedelta:
    return dt.timedelta(minutes=settings.VOLUNTEER_SIGN_OUT_GRACE_MINUTES)


def enrollment_for_code(*, user: Any, code: str) -> Enrollment:
    """The user's enrollment in the activity whose sign-in code this is and which is on now."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) != rules.SIGN_IN_CODE_LENGTH:
        raise AttendanceRefused(_("Enter the 6-digit code the team leader shows."), field="code")
    now = timezone.now()
    candidates = (
        Enrollment.objects.filter(
            volunteer__user=user,
            activity__sign_in_code=code,
            activity__status=ActivityStatus.SCHEDULED,
            activity__starts_at__lte=now + _early(),
            activity__ends_at__gte=now - _grace(),
        )
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    enrollment = candidates.first()
    if enrollment is None:
        raise AttendanceRefused(
            _(
                "This code does not match an activity you signed up for that is on now. "
                "Check the code with the team leader."
            ),
            field="code",
        )
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        raise AttendanceRefused(
            _("You are on the waiting list of this activity; ask the team leader."), field="code"
        )
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise AttendanceRefused(_("You withdrew from this activity."), field="code")
    return enrollment


@transaction.atomic
def sign_in(*, enrollment: Enrollment, actor: Any, at: dt.datetime | None = None) -> Enrollment:
    """Record arrival. Repeated sign-ins keep the first time and write nothing."""
    at = at or timezone.now()
    enrollment = Enrollment.objects.select_related("activity").get(pk=enrollment.pk)
    activity = enrollment.activity
    if enrollment.status != EnrollmentStatus.SIGNED_UP:
        raise AttendanceRefused(_("Only volunteers with a place can sign in."))
    if activity.status != ActivityStatus.SCHEDULED:
        raise AttendanceRefused(_("This activity has been cancelled."))
    if at < activity.starts_at - _early():
        raise AttendanceRefused(
            _("Sign-in opens %(minutes)s minutes before the start.")
            % {"minutes": settings.VOLUNTEER_SIGN_IN_EARLY_MINUTES}
        )
    if at > activity.ends_at:
        raise AttendanceRefused(
            _("The activity has ended; the team leader can add the hours as honour hours.")
        )
    updated = Enrollment.objects.filter(pk=enrollment.pk, signed_in_at__isnull=True).update(
        signed_in_at=at, is_no_show=False
    )
    if updated:
        record_audit(actor=actor, action="volunteer_attendance.signed_in", target=enrollment)
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def sign_out(*, enrollment: Enrollment, actor: Any, at: dt.datetime | None = None) -> Enrollment:
    """Record departure and credit the minutes served inside the activity's time.
    Repeated sign-outs keep the first time."""
    at = at or timezone.now()
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    activity = ServiceActivity.objects.get(pk=enrollment.activity_id)
    if enrollment.signed_in_at is None:
        raise AttendanceRefused(_("Sign in first."))
    if enrollment.signed_out_at is not None:
        return enrollment
    if at > activity.ends_at + _grace():
        raise AttendanceRefused(
            _("Sign-out has closed; the team leader can add the hours as honour hours.")
        )
    at = max(at, enrollment.signed_in_at)
    credit = rules.credit_minutes(
        signed_in_at=enrollment.signed_in_at,
        signed_out_at=at,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
    )
    # Honour minutes given before the sign-out shrink if credit now fills the activity.
    honour = min(
        enrollment.honour_minutes,
        rules.honour_cap(length_minutes=activity.length_minutes, credit=credit),
    )
    enrollment.signed_out_at = at
    enrollment.credit_minutes = credit
    enrollment.honour_minutes = honour
    enrollment.save(update_fields=["signed_out_at", "credit_minutes", "honour_minutes"])
    volunteer = Volunteer.objects.only("member_id").get(pk=enrollment.volunteer_id)
    extensions.records_changed(
        member_ids=[volunteer.member_id], days=[timezone.localdate(activity.starts_at)]
    )
    record_audit(
        actor=actor,
        action="volunteer_attendance.signed_out",
        target=enrollment,
        data={"credit_minutes": credit},
    )
    return enrollment


@transaction.atomic
def correct_honour_hours(
    *, enrollment: Enrollment, minutes: int, reason: str, actor: Any
) -> Enrollment:
    """Set the honour minutes of an enrollment (a forgotten sign-out, past service).

    Refused above the cap: credit + honour may not exceed the activity's length. Every change is
    kept as an HourCorrection with its reason.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("activity").get(pk=enrollment.pk)
    )
    activity = enrollment.activity
    if enrollment.status != EnrollmentStatus.SIGNED_UP:
        raise HoursRefused(_("Hours can be given only to volunteers who had a place."))
    if activity.status != ActivityStatus.SCHEDULED:
        raise HoursRefused(_("This activity has been cancelled."))
    if activity.starts_at > timezone.now():
        raise HoursRefused(_("Hours can be given once the activity has started."))
    if minutes < 0:
        raise HoursRefused(_("Hours cannot be negative."), field="minutes")
    if not reason.strip():
        raise HoursRefused(_("Give the reason for the correction."), field="reason")
    cap = rules.honour_cap(length_minutes=activity.length_minutes, credit=enrollment.credit_minutes)
    if minutes > cap:
        raise HoursRefused(
            _(
                "Honour hours may not exceed the activity's length: at most %(cap)s hours "
                "can be added (the activity lasts %(length)s hours, %(credit)s are credited "
                "from sign-in and sign-out)."
            )
            % {
                "cap": rules.hours(cap),
                "length": rules.hours(activity.length_minutes),
                "credit": rules.hours(enrollment.credit_minutes),
            },
            field="minutes",
        )
    previous = enrollment.honour_minutes
    if previous == minutes:
        return enrollment
    HourCorrection.objects.create(
        enrollment=enrollment,
        previous_minutes=previous,
        honour_minutes=minutes,
        reason=reason.strip(),
        corrected_by=actor,
    )
    enrollment.honour_minutes = minutes
    if minutes:
        enrollment.is_no_show = False
    enrollment.save(update_fields=["honour_minutes", "is_no_show"])
    record_audit(
        actor=actor,
        action="volunteer_attendance.honour_hours",
        target=enrollment,
        data={"from": previous, "to": minutes, "reason": reason.strip()},
    )
    return enrollment


def mark_no_shows(*, activity_id: int, now: dt.datetime | None = None) -> int:
    """Mark volunteers with a place who never signed in as no-shows, once the sign-out window
    has closed. The activity is claimed with a conditional update, so a second run (or a second
    worker) does nothing. Returns the number marked."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = ServiceActivity.objects.filter(
            pk=activity_id,
            status=ActivityStatus.SCHEDULED,
            no_shows_marked_at__isnull=True,
            ends_at__lte=now - _grace(),
        ).update(no_shows_marked_at=now)
        if claimed != 1:
            return 0
        marked = Enrollment.objects.filter(
            activity_id=activity_id,
            status=EnrollmentStatus.SIGNED_UP,
            signed_in_at__isnull=True,
            honour_minutes=0,
        ).update(is_no_show=True)
        activity = ServiceActivity.objects.get(pk=activity_id)
        record_audit(
            actor=None,
            action="volunteer_activity.no_shows_marked",
            target=activity,
            data={"no_shows": marked},
        )
    return marked


def activities_due_for_no_show_scan(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        ServiceActivity.objects.filter(
            status=ActivityStatus.SCHEDULED,
            no_shows_marked_at__isnull=True,
            ends_at__lte=now - _grace(),
        ).values_list("pk", flat=True)[:500]
    )
