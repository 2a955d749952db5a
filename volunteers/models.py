"""Volunteer teams, volunteers, service activities, hours, good deeds, wishes and certificates.

Record-keeping follows 民政部令第67号 (see shared/domain/RULES.md, "Volunteer service records"): a
volunteer's record holds personal information, service records (enrollments with hours), training,
awards and evaluations. Hours are kept in whole minutes: credit minutes come from sign-in and
sign-out, honour minutes are added by a leader or staff afterwards and kept apart.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.jobs import JobLife, Retried
from volunteers.querysets import (
    CertificateQuerySet,
    EnrollmentQuerySet,
    GoodDeedQuerySet,
    ServiceActivityQuerySet,
    TeamMembershipQuerySet,
    VolunteerQuerySet,
    VolunteerRecordQuerySet,
    VolunteerSettingsQuerySet,
    VolunteerTeamQuerySet,
    WishQuerySet,
)


class TeamKind(models.TextChoices):
    PUBLICITY = "publicity", _("Publicity")
    MUTUAL_AID = "mutual_aid", _("Mutual aid")
    MEDIATION = "mediation", _("Mediation")
    PERFORMANCE = "performance", _("Performance")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE = "culture", _("Culture and arts")
    ELDERLY_CARE = "elderly_care", _("Care for the elderly")
    TUTORING = "tutoring", _("Tutoring")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class VolunteerSettings(models.Model):
    """Local figures of one sub-district's volunteer service, editable in the admin."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="volunteer_settings",
        verbose_name=_("sub-district"),
    )
    certificate_prefix = models.CharField(
        _("certificate number prefix"),
        max_length=20,
        help_text=_("For example 如意湖志证: numbers read 如意湖志证〔2026〕第0001号."),
    )
    issuing_body = models.CharField(_("issuing organisation"), max_length=100)

    objects = VolunteerSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer settings")
        verbose_name_plural = _("volunteer settings")

    def __str__(self) -> str:
        return str(self.sub_district)


class VolunteerTeam(models.Model):
    """A community's volunteer team (志愿服务队), managed by its leader and sub-district staff."""

    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_volunteer_teams",
        verbose_name=_("team leader"),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VolunteerTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="volunteer_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Volunteer(models.Model):
    """One person volunteering in one sub-district: a resident, a party member, or both.

    A volunteer is linked to a user account and/or a party member record, so a member who also
    signs in as a resident keeps one identity and one total of hours in the sub-district.
    """

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("sub-district"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_records",
        verbose_name=_("user"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_records",
        verbose_name=_("party member"),
    )
    full_name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community of residence"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered on"), default=dt.date.today)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["sub_district", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "user"],
                condition=Q(user__isnull=False),
                name="volunteer_one_per_user_and_sub_district",
            ),
            models.UniqueConstraint(
                fields=["sub_district", "member"],
                condition=Q(member__isnull=False),
                name="volunteer_one_per_member_and_sub_district",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Member")
    REJECTED = "rejected", _("Declined")
    LEFT = "left", _("Left")


class TeamMembership(models.Model):
    """A volunteer in a team; created as a join request the leader approves."""

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    message = models.CharField(_("message to the leader"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"], name="team_membership_one_per_volunteer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.team}"


class Audience(models.TextChoices):
    PUBLIC = "public", _("Open to everyone")
    TEAM = "team", _("Team members only")


class ActivityStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceActivity(models.Model):
    """A volunteer service activity with a fixed number of places and a waiting list.

    `signed_up_count` is the number of places taken; it is changed only under a row lock on the
    activity, and a check constraint keeps it within `capacity`, so places are never oversold.
    """

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.PROTECT, related_name="activities", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    signed_up_count = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    signup_opens_at = models.DateTimeField(_("sign-up opens at"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("sign-up closes at"), null=True, blank=True)
    audience = models.CharField(
        _("who may sign up"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.SCHEDULED
    )
    sign_in_code = models.CharField(_("sign-in code"), max_length=8, editable=False)
    code_rotated_at = models.DateTimeField(_("code changed at"), null=True, blank=True)
    no_shows_marked_at = models.DateTimeField(_("no-shows marked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("service activity")
        verbose_name_plural = _("service activities")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["team", "starts_at"]), models.Index(fields=["ends_at"])]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(name="activity_capacity_positive", condition=Q(capacity__gt=0)),
            models.CheckConstraint(
                name="activity_places_within_capacity",
                condition=Q(signed_up_count__lte=F("capacity")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.signed_up_count, 0)


class EnrollmentStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrollment(models.Model):
    """A volunteer's place in an activity, and their service record for it.

    Credit minutes come from sign-in and sign-out (clamped to the activity's time); honour minutes
    are added afterwards by a leader or staff, kept apart, and credit + honour never exceed the
    activity's length.
    """

    activity = models.ForeignKey(
        ServiceActivity,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("activity"),
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("volunteer")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrollmentStatus.choices, db_index=True
    )
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out at"), null=True, blank=True)
    credit_minutes = models.PositiveIntegerField(_("credit minutes"), default=0)
    honour_minutes = models.PositiveIntegerField(_("honour minutes"), default=0)
    is_no_show = models.BooleanField(_("no-show"), default=False)
    service_note = models.CharField(_("service content"), max_length=200, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["activity", "status", "queued_at", "signed_up_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], name="enrollment_one_per_volunteer"
            ),
            models.CheckConstraint(
                name="enrollment_signs_out_after_sign_in",
                condition=Q(signed_out_at__isnull=True)
                | Q(signed_in_at__isnull=False, signed_out_at__gte=F("signed_in_at")),
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.activity}"

    @property
    def total_minutes(self) -> int:
        return self.credit_minutes + self.honour_minutes


class HourCorrection(models.Model):
    """A change of honour minutes on an enrollment: who, when, from what to what, and why."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("enrollment"),
    )
    previous_minutes = models.PositiveIntegerField(_("honour minutes before"))
    honour_minutes = models.PositiveIntegerField(_("honour minutes after"))
    reason = models.CharField(_("reason"), max_length=200)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("hour correction")
        verbose_name_plural = _("hour corrections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.previous_minutes} → {self.honour_minutes}"


class GoodDeed(models.Model):
    """A good deed done for a resident (好事实事): to whom, what, by whom; counted per team."""

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.PROTECT, related_name="good_deeds", verbose_name=_("team")
    )
    done_on = models.DateField(_("date"))
    beneficiary = models.CharField(_("helped"), max_length=100)
    description = models.TextField(_("what was done"))
    volunteers = models.ManyToManyField(
        Volunteer, related_name="good_deeds", blank=True, verbose_name=_("done by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Closed once, with the resident's rating (1 to 5) and comment, as a wish is confirmed
    # (`volunteers.services.teams.close_good_deed`).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    rating = models.PositiveSmallIntegerField(_("resident's rating"), null=True, blank=True)
    comment = models.CharField(_("resident's comment"), max_length=200, blank=True)

    objects = GoodDeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("good deed")
        verbose_name_plural = _("good deeds")
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["team", "done_on"])]
        constraints = [
            models.CheckConstraint(
                name="good_deed_rated_when_closed",
                condition=Q(closed_at__isnull=True, rating__isnull=True)
                | Q(closed_at__isnull=False, rating__isnull=False, rating__gte=1, rating__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.done_on} {self.beneficiary}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class WishStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Wish(models.Model):
    """A resident's small wish (微心愿), claimed by one volunteer or one team, then fulfilled.

    A claim is a conditional update on an open wish, so one claimer wins a race.
    """

    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("community"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("posted by"),
    )
    title = models.CharField(_("wish"), max_length=100)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.OPEN
    )
    claimed_by_volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
        verbose_name=_("claimed by volunteer"),
    )
    claimed_by_team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
        verbose_name=_("claimed by team"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("how it was fulfilled"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    feedback = models.CharField(_("feedback"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = WishQuerySet.as_manager()

    class Meta:
        verbose_name = _("small wish")
        verbose_name_plural = _("small wishes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="wish_rating_one_to_five",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
            models.CheckConstraint(
                name="wish_claimed_by_at_most_one",
                condition=Q(claimed_by_volunteer__isnull=True) | Q(claimed_by_team__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def claimer(self) -> Volunteer | VolunteerTeam | None:
        return self.claimed_by_team or self.claimed_by_volunteer


class Training(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("volunteer")
    )
    title = models.CharField(_("training"), max_length=100)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)

    objects = VolunteerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="awards", verbose_name=_("volunteer")
    )
    title = models.CharField(_("award"), max_length=100)
    awarded_on = models.DateField(_("date"))
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    objects = VolunteerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on"]

    def __str__(self) -> str:
        return self.title


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Satisfactory")
    FAIL = "fail", _("Unsatisfactory")


class Evaluation(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("volunteer")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=10, choices=EvaluationGrade.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    evaluated_by = models.CharField(_("evaluated by"), max_length=100, blank=True)

    objects = VolunteerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="evaluation_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


class CertificateCounter(models.Model):
    """The last certificate serial used per sub-district and year; locked to allocate the next."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "year"], name="certificate_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sub_district_id}/{self.year}: {self.last_serial}"


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Certificate(Retried):
    """A numbered certificate of a volunteer's hours and services over a period (DOCX).

    Its file is built as a job of `accounts.jobs` (`volunteers.services.certificates`): pending
    until built, `claimed_at` the lease of the worker building it, `attempts` and
    `next_attempt_at` from `Retried`."""

    job_life = JobLife(
        queued=CertificateStatus.PENDING,
        running=CertificateStatus.PENDING,  # a claimed certificate is told by its lease
        done=CertificateStatus.READY,
        failed=CertificateStatus.FAILED,
        lease="claimed_at",
        started=None,
        finished=None,
        max_attempts=3,
        stale_seconds=600,
        queued_grace_seconds=60,
    )

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=60, unique=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    issuing_body = models.CharField(_("issuing organisation"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    file = models.FileField(_("file"), upload_to="volunteer-certificates/%Y/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    issued_on = models.DateField(_("issued on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer certificate")
        verbose_name_plural = _("volunteer certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "year", "serial"], name="certificate_unique_serial"
            ),
            models.CheckConstraint(
                name="certificate_period_in_order", condition=Q(period_end__gte=F("period_start"))
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.number
