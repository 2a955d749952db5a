"""Service activities: creation, sign-up with a capacity and a waiting list, withdrawal.

Places are scarce: every change to an activity's places happens under `select_for_update()` on
the activity row (taken first, so sign-ups of one activity queue up behind one lock), the
counter moves with `F()`, and a check constraint (`signed_up_count <= capacity`) backs it up.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import queue_email, record_audit
from volunteers.errors import SignUpRefused
from volunteers.models import (
    ActivityStatus,
    Audience,
    Enrollment,
    EnrollmentStatus,
    MembershipStatus,
    ServiceActivity,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)
from volunteers.rules import SIGN_IN_CODE_LENGTH


def new_sign_in_code() -> str:
    """Six random digits: easy to read out, hard to guess within an activity's window."""
    return "".join(secrets.choice("0123456789") for _ in range(SIGN_IN_CODE_LENGTH))


def _check_times(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    signup_opens_at: dt.datetime | None,
    signup_closes_at: dt.datetime | None,
) -> None:
    if ends_at <= starts_at:
        raise SignUpRefused(_("The activity must end after it starts."), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise SignUpRefused(_("An activity lasts at most 24 hours."), field="ends_at")
    if signup_opens_at and signup_closes_at and signup_closes_at <= signup_opens_at:
        raise SignUpRefused(_("Sign-up must close after it opens."), field="signup_closes_at")
    if signup_closes_at and signup_closes_at > starts_at:
        raise SignUpRefused(
            _("Sign-up must close before the activity starts."), field="signup_closes_at"
        )


@transaction.atomic
def create_activity(
    *,
    team: VolunteerTeam,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    capacity: int,
    description: str = "",
    signup_opens_at: dt.datetime | None = None,
    signup_closes_at: dt.datetime | None = None,
    audience: str = Audience.PUBLIC,
    actor: Any,
) -> ServiceActivity:
    """Schedule an activity of a team, with a fresh sign-in code."""
    if capacity < 1:
        raise SignUpRefused(_("An activity needs at least one place."), field="capacity")
    _check_times(
        starts_at=starts_at,
        ends_at=ends_at,
        signup_opens_at=signup_opens_at,
        signup_closes_at=signup_closes_at,
    )
    activity = ServiceActivity.objects.create(
        team=team,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        capacity=capacity,
        signup_opens_at=signup_opens_at,
        signup_closes_at=signup_closes_at,
        audience=audience,
        sign_in_code=new_sign_in_code(),
        code_rotated_at=timezone.now(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(actor=actor, action="volunteer_activity.created", target=activity)
    return activity


@transaction.atomic
def change_capacity(*, activity: ServiceActivity, capacity: int, actor: Any) -> ServiceActivity:
    """Change the number of places; never below the places already taken. Extra places are
    offered to the waiting list at once."""
    activity = ServiceActivity.objects.select_for_update().get(pk=activity.pk)
    if capacity < max(activity.signed_up_count, 1):
        raise SignUpRefused(
            _("%(taken)s places are already taken; the activity cannot have fewer.")
            % {"taken": activity.signed_up_count},
            field="capacity",
        )
    activity.capacity = capacity
    activity.save(update_fields=["capacity", "updated_at"])
    while activity.signed_up_count < activity.capacity and _promote_next(activity):
        activity.refresh_from_db(fields=["signed_up_count"])
    record_audit(
        actor=actor, action="volunteer_activity.capacity", target=activity, data={"to": capacity}
    )
    return activity


@transaction.atomic
def rotate_sign_in_code(*, activity: ServiceActivity, actor: Any) -> ServiceActivity:
    """Give the activity a new sign-in code (the old one stops working at once)."""
    activity = ServiceActivity.objects.select_for_update().get(pk=activity.pk)
    code = new_sign_in_code()
    while code == activity.sign_in_code:
        code = new_sign_in_code()
    activity.sign_in_code = code
    activity.code_rotated_at = timezone.now()
    activity.save(update_fields=["sign_in_code", "code_rotated_at", "updated_at"])
    record_audit(actor=actor, action="volunteer_activity.code_rotated", target=activity)
    return activity


@transaction.atomic
def cancel_activity(*, activity: ServiceActivity, actor: Any) -> ServiceActivity:
    """Cancel an activity that has not ended; everyone signed up or waiting is told."""
    activity = ServiceActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        return activity
    if activity.ends_at <= timezone.now():
        raise SignUpRefused(_("An activity that has ended cannot be cancelled."))
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    waiting = activity.enrollments.filter(
        status__in=[EnrollmentStatus.SIGNED_UP, EnrollmentStatus.WAITLISTED]
    ).select_related("volunteer__user")
    for enrollment in waiting:
        _notify(
            enrollment,
            _("Activity cancelled: %(title)s") % {"title": activity.title},
            _("The activity %(title)s on %(when)s has been cancelled.")
            % {"title": activity.title, "when": _when(activity)},
        )
    record_audit(actor=actor, action="volunteer_activity.cancelled", target=activity)
    return activity


def _when(activity: ServiceActivity) -> str:
    return timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")


def _notify(enrollment: Enrollment, subject: str, body: str) -> None:
    user = enrollment.volunteer.user
    if user is not None and user.email:
        queue_email(to=user.email, subject=subject, body=body)


def check_can_sign_up(
    activity: ServiceActivity, volunteer: Volunteer, now: dt.datetime | None = None
) -> None:
    """Raise SignUpRefused with the reason a volunteer may not sign up now."""
    now = now or timezone.now()
    if activity.status != ActivityStatus.SCHEDULED:
        raise SignUpRefused(_("This activity has been cancelled."))
    if activity.signup_opens_at and now < activity.signup_opens_at:
        raise SignUpRefused(
            _("Sign-up opens on %(when)s.")
            % {"when": timezone.localtime(activity.signup_opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    closes = activity.signup_closes_at or activity.starts_at
    if now >= closes:
        raise SignUpRefused(_("Sign-up for this activity has closed."))
    if volunteer.sub_district_id != activity.team.community.sub_district_id:
        raise SignUpRefused(_("This activity belongs to another sub-district."))
    if activity.audience == Audience.TEAM and not (
        TeamMembership.objects.filter(
            team_id=activity.team_id, volunteer=volunteer, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise SignUpRefused(_("Only members of %(team)s can sign up.") % {"team": activity.team})


@transaction.atomic
def sign_up(*, activity: ServiceActivity, volunteer: Volunteer, actor: Any) -> Enrollment:
    """Take a place, or a place on the waiting list when the activity is full.

    Signing up again while signed up or waiting returns the same enrollment (idempotent).
    """
    activity = (
        ServiceActivity.objects.select_for_update()
        .select_related("team__community")
        .get(pk=activity.pk)
    )
    check_can_sign_up(activity, volunteer)
    now = timezone.now()
    enrollment = Enrollment.objects.filter(activity=activity, volunteer=volunteer).first()
    if enrollment is not None and enrollment.status != EnrollmentStatus.WITHDRAWN:
        return enrollment
    has_place = activity.signed_up_count < activity.capacity
    status = EnrollmentStatus.SIGNED_UP if has_place else EnrollmentStatus.WAITLISTED
    if enrollment is None:
        enrollment = Enrollment(activity=activity, volunteer=volunteer)
    enrollment.status = status
    enrollment.queued_at = None if has_place else now
    enrollment.withdrawn_at = None
    enrollment.save()
    if has_place:
        ServiceActivity.objects.filter(pk=activity.pk).update(
            signed_up_count=F("signed_up_count") + 1
        )
    record_audit(
        actor=actor,
        action="volunteer_activity.signed_up" if has_place else "volunteer_activity.waitlisted",
        target=enrollment,
    )
    return enrollment


def _promote_next(activity: ServiceActivity) -> Enrollment | None:
    """Give a free place to the first on the waiting list (the caller holds the activity lock)."""
    nxt = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(activity=activity, status=EnrollmentStatus.WAITLISTED)
        .select_related("volunteer__user")
        .order_by("queued_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = EnrollmentStatus.SIGNED_UP
    nxt.queued_at = None
    nxt.save(update_fields=["status", "queued_at"])
    ServiceActivity.objects.filter(pk=activity.pk).update(signed_up_count=F("signed_up_count") + 1)
    _notify(
        nxt,
        _("You have a place: %(title)s") % {"title": activity.title},
        _(
            "A place came free and you moved up from the waiting list of %(title)s "
            "on %(when)s at %(place)s. If you cannot come, please withdraw so the next "
            "person can take it."
        )
        % {"title": activity.title, "when": _when(activity), "place": activity.place},
    )
    record_audit(actor=None, action="volunteer_activity.promoted", target=nxt)
    return nxt


@transaction.atomic
def withdraw(*, enrollment: Enrollment, actor: Any) -> Enrollment:
    """Give up a place (or leave the waiting list) before the activity starts; the first
    person waiting takes the place and is told by email."""
    activity = ServiceActivity.objects.select_for_update().get(pk=enrollment.activity_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return enrollment
    if activity.starts_at <= timezone.now():
        raise SignUpRefused(_("The activity has started; ask the team leader instead."))
    was_signed_up = enrollment.status == EnrollmentStatus.SIGNED_UP
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = timezone.now()
    enrollment.queued_at = None
    enrollment.save(update_fields=["status", "withdrawn_at", "queued_at"])
    if was_signed_up:
        ServiceActivity.objects.filter(pk=activity.pk).update(
            signed_up_count=F("signed_up_count") - 1
        )
        activity.refresh_from_db(fields=["signed_up_count"])
        if activity.status == ActivityStatus.SCHEDULED:
            _promote_next(activity)
    record_audit(actor=actor, action="volunteer_activity.withdrawn", target=enrollment)
    return enrollment
