"""Community life: seniors' college courses (School, Term, Course, CourseSession, Enrolment,
Attendance, CourseCertificate) and award campaigns (Campaign, Category, Nomination, Vote).

Places are scarce: `Course.enrolled_count` moves only under `select_for_update()` on the course
row, with `F()`, and a check constraint keeps it within the places. A vote is one row with a
unique constraint on (category, voter, day), so parallel submissions cannot count twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.querysets import (
    CampaignQuerySet,
    CourseQuerySet,
    EnrolmentQuerySet,
    NominationQuerySet,
    SchoolQuerySet,
    TermQuerySet,
)

SESSION_CODE_LENGTH = 6


def new_session_code() -> str:
    return "".join(secrets.choice("23456789") for _ in range(SESSION_CODE_LENGTH))


class School(models.Model):
    """A seniors' college (老年大学) or branch school run by a sub-district with a partner."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("sub-district"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("organising branch"),
        help_text=_("The course rooms are booked in its name."),
    )
    name = models.CharField(_("name"), max_length=100)
    partner = models.CharField(_("partner"), max_length=100, blank=True)
    founded_year = models.PositiveIntegerField(_("founded in"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="school_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term of a school, with its enrolment window and the rules of enrolment."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="terms", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    enrolment_opens_at = models.DateTimeField(_("enrolment opens"))
    enrolment_closes_at = models.DateTimeField(_("enrolment closes"))
    max_courses_per_resident = models.PositiveIntegerField(
        _("courses per resident"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many courses of this term one resident may take."),
    )
    returning_first_until = models.DateTimeField(
        _("returning students only until"),
        null=True,
        blank=True,
        help_text=_(
            "Until then only residents who took a course of the school in an earlier term may "
            "enrol. Leave empty for no priority."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes_at__gt=F("enrolment_opens_at")),
                name="term_enrolment_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.name}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Course(models.Model):
    """A weekly course of a term, held in one room by one teacher."""

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="courses", verbose_name=_("term")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="taught_courses",
        verbose_name=_("teacher"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    room = models.ForeignKey(
        "venues.Room", on_delete=models.PROTECT, related_name="courses", verbose_name=_("room")
    )
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0, editable=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    residents_only = models.BooleanField(
        _("residents of the sub-district only"),
        default=True,
        help_text=_("Only residents whose community lies in the school's sub-district may enrol."),
    )
    fee = models.DecimalField(
        _("fee (yuan)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Recorded only; the portal takes no payment."),
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance for a certificate (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["weekday", "starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=F("places")), name="course_within_places"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="course_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.places - self.enrolled_count, 0)


class CourseSession(models.Model):
    """One meeting of a course, holding its room through an internal booking."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    booking = models.OneToOneField(
        "venues.Booking",
        on_delete=models.PROTECT,
        related_name="course_session",
        verbose_name=_("room booking"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    code = models.CharField(_("session code"), max_length=8, default=new_session_code)

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "starts_at"], name="course_session_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """A resident's place in a course, or their place on its waiting list."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="course_enrolments",
        verbose_name=_("resident"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    birth_year = models.PositiveIntegerField(_("year of birth"), null=True, blank=True)
    is_returning = models.BooleanField(_("returning student"), default=False)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "resident"], name="course_enrolment_once")
        ]
        indexes = [models.Index(fields=["course", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.course} · {self.resident}"


class AttendanceSource(models.TextChoices):
    TEACHER = "teacher", _("Marked by the teacher")
    CODE = "code", _("Session code")


class Attendance(models.Model):
    session = models.ForeignKey(
        CourseSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("student")
    )
    source = models.CharField(_("recorded by"), max_length=10, choices=AttendanceSource.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="course_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.enrolment.resident}"


class CourseCertificate(models.Model):
    """A numbered certificate of completion; serials run per school and year."""

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    attended = models.PositiveIntegerField(_("sessions attended"))
    sessions = models.PositiveIntegerField(_("sessions held"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "serial"], name="course_certificate_serial"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.year}-{self.serial:04d}"


# --- award campaigns ----------------------------------------------------------------------


class VoteLimit(models.TextChoices):
    PER_DAY = "per_day", _("One vote per category per day")
    PER_CAMPAIGN = "per_campaign", _("One vote per category for the whole campaign")


class ResultRule(models.TextChoices):
    VOTES = "votes", _("Votes only")
    WEIGHTED = "weighted", _("Votes weighted with the jury's scores")


class CampaignKind(models.TextChoices):
    PUBLIC = "public", _("Public award (评选)")
    HONOURS = "honours", _("Party honours (两优一先)")


class Campaign(models.Model):
    """An award campaign: nominations in a window, a review, a public vote in a window (unless
    it is a party honours campaign), results by a rule, and a publication."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="award_campaigns",
        verbose_name=_("sub-district"),
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CampaignKind.choices, default=CampaignKind.PUBLIC
    )
    description = models.TextField(_("description"), blank=True)
    nomination_opens_at = models.DateTimeField(_("nominations open"))
    nomination_closes_at = models.DateTimeField(_("nominations close"))
    public_vote = models.BooleanField(_("public vote"), default=True)
    vote_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    vote_limit = models.CharField(
        _("vote limit"), max_length=15, choices=VoteLimit.choices, default=VoteLimit.PER_DAY
    )
    result_rule = models.CharField(
        _("result rule"), max_length=10, choices=ResultRule.choices, default=ResultRule.VOTES
    )
    jury_weight = models.PositiveSmallIntegerField(
        _("jury share of the result (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("With weighted results: the jury's score counts this much, votes the rest."),
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="jury_campaigns",
        verbose_name=_("jury members"),
        help_text=_("They enter the jury's scores on their phones (weighted campaigns)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("award campaign")
        verbose_name_plural = _("award campaigns")
        ordering = ["-nomination_opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nomination_closes_at__gt=F("nomination_opens_at")),
                name="campaign_nomination_window_order",
            ),
            models.CheckConstraint(
                condition=Q(public_vote=False)
                | Q(vote_opens_at__isnull=False, vote_closes_at__gt=F("vote_opens_at")),
                name="campaign_vote_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="categories", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=100)
    winners = models.PositiveSmallIntegerField(
        _("number of winners"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="award_category_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Nomination(models.Model):
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=pgettext_lazy("award", "category"),
    )
    nominee_name = models.CharField(_("nominee"), max_length=100)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("member"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("branch"),
    )
    citation = models.TextField(_("deeds"), max_length=2000)
    photo = models.ImageField(_("photo"), upload_to="community/nominations/", blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominator_label = models.CharField(_("nominated by (unit)"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    flagged_at = models.DateTimeField(_("flagged as suspicious"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category", "-vote_count", "pk"]

    def __str__(self) -> str:
        return self.nominee_name


class JuryScore(models.Model):
    """One jury member's 0–100 score of one nomination; the result uses the average of a
    nomination's rows (computed in SQL). Staff scoring on the workbench are recorded as
    themselves. `juror` is empty only on a score carried over from the single shared score a
    nomination had before scores were per juror (its author is unknown); the service never
    writes such a row, and at most one exists per nomination."""

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="jury_scores",
        verbose_name=_("nomination"),
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_jury_scores",
        verbose_name=_("jury member"),
    )
    score = models.DecimalField(
        _("jury score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        ordering = ["nomination", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "juror"], name="jury_score_once_per_juror"
            ),
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(juror__isnull=True),
                name="jury_score_one_carried_over",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="jury_score_within_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.score}"


class Vote(models.Model):
    """One vote. `day` is the local day of the vote, or the first day of voting when the
    campaign allows one vote per campaign, so (category, voter, day) unique is the whole rule."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="votes", verbose_name=_("nomination")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="votes",
        verbose_name=pgettext_lazy("award", "category"),
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="award_votes",
        verbose_name=_("voter"),
    )
    day = models.DateField(_("day"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    voter_is_new = models.BooleanField(_("new account"), default=False)
    created_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "voter", "day"], name="vote_once_per_category_and_day"
            )
        ]
        indexes = [
            models.Index(fields=["voter", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
            models.Index(fields=["nomination", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} {self.day}"


# Knowledge contests live in their own package; imported here so Django registers them.
from community.contests.models import (  # noqa: E402, F401
    Attempt,
    AttemptQuestion,
    Contest,
    Entrant,
    Question,
)
