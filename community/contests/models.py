"""Knowledge contests: `Question` (the sub-district's bank), `Contest`, `Entrant` (one row per
person and contest: the row locked while an attempt starts, and their best result), `Attempt`
and `AttemptQuestion` (a drawn question, in its place, with the answer given).

Answers are letters ("A", "AC"), sorted; a true/false question has the options 正确 / 错误, so its
answer is "A" or "B". The right answers leave the server only once the contest's window closed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from community.querysets import _SubDistrictScoped

LETTERS = "ABCDEF"
TRUE_FALSE_OPTIONS = ["正确", "错误"]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class QuestionQuerySet(_SubDistrictScoped):
    sub_district_path = "sub_district__"


class ContestQuerySet(_SubDistrictScoped):
    sub_district_path = "sub_district__"


class EntrantQuerySet(_SubDistrictScoped):
    sub_district_path = "contest__sub_district__"


class AttemptQuerySet(_SubDistrictScoped):
    sub_district_path = "contest__sub_district__"


class Question(models.Model):
    """A question of a sub-district's bank. `options` is the list of option texts (A, B, …)."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="contest_questions",
        verbose_name=_("sub-district"),
    )
    kind = models.CharField(_("question type"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"), max_length=500)
    options = models.JSONField(_("options"), default=list)
    answer = models.CharField(_("right answer"), max_length=6)
    topic = models.CharField(_("topic"), max_length=50, blank=True)
    explanation = models.TextField(_("explanation"), max_length=500, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest question")
        verbose_name_plural = _("contest questions")
        ordering = ["topic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "text"], name="contest_question_unique_text"
            ),
            models.CheckConstraint(
                condition=Q(kind="multiple") | Q(answer__in=list(LETTERS)),
                name="contest_question_one_letter",
            ),
            models.CheckConstraint(
                condition=~Q(kind="true_false") | Q(answer__in=["A", "B"]),
                name="contest_question_true_false",
            ),
            models.CheckConstraint(condition=~Q(answer=""), name="contest_question_has_answer"),
        ]
        indexes = [models.Index(fields=["sub_district", "is_active", "topic"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return list(zip(LETTERS, self.options, strict=False))


# An attempt's limits (the form's inputs say so too).
MAX_QUESTIONS = 100
MAX_ATTEMPTS = 20
# What decides an attempt: fixed once people have taken part (`services.save_contest`, the
# workbench's form and the admin).
FIXED_ONCE_TAKEN = (
    "sub_district",
    "topic",
    "opens_at",
    "question_count",
    "time_limit_minutes",
    "attempts_allowed",
)


class Contest(models.Model):
    """A contest: a window, N questions drawn at random per attempt from the bank (one topic or
    all), a time limit per attempt, the attempts one person may make, and who may take part."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="contests",
        verbose_name=_("sub-district"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(
        _("topic"),
        max_length=50,
        blank=True,
        help_text=_("Questions are drawn from this topic of the bank; empty: from every topic."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    question_count = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=10, validators=[MinValueValidator(1)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    open_to_residents = models.BooleanField(_("open to residents"), default=True)
    open_to_members = models.BooleanField(_("open to party members"), default=True)
    local_residents_only = models.BooleanField(
        _("residents of this sub-district only"),
        default=False,
        help_text=_(
            "Residents may take part only when the community in their profile lies in the "
            "contest's sub-district. Party members of its branches are not affected."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge contest")
        verbose_name_plural = _("knowledge contests")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="contest_window_order"
            ),
            models.CheckConstraint(
                condition=Q(question_count__gte=1)
                & Q(time_limit_minutes__gte=1)
                & Q(attempts_allowed__gte=1),
                name="contest_positive_settings",
            ),
            models.CheckConstraint(
                condition=Q(open_to_residents=True) | Q(open_to_members=True),
                name="contest_open_to_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The contest's own rules, for every form that edits one (the workbench's and the
        admin's): Django's model forms call this after reading their fields."""
        errors: dict[str, Any] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The contest must close after it opens.")
        if not self.open_to_residents and not self.open_to_members:
            errors["open_to_residents"] = _("Open the contest to residents or members.")
        if self.local_residents_only and not self.open_to_residents:
            errors["local_residents_only"] = _(
                "This setting applies only when residents take part."
            )
        if self.question_count is not None and self.question_count > MAX_QUESTIONS:
            errors["question_count"] = _("An attempt has at most 100 questions.")
        if self.attempts_allowed is not None and self.attempts_allowed > MAX_ATTEMPTS:
            errors["attempts_allowed"] = _("At most 20 attempts are allowed.")
        if errors:
            raise ValidationError(errors)

    def is_closed(self, now: object) -> bool:
        return now >= self.closes_at  # type: ignore[operator]


class Entrant(models.Model):
    """One person in one contest: how many attempts they started (counted under a lock on this
    row) and their best result, which the rankings read. A member's branch is kept as it was
    when they first took part, so a later transfer does not move old results."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="entrants", verbose_name=_("contest")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contest_entries",
        verbose_name=_("participant"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party member"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    display_name = models.CharField(_("name"), max_length=100)
    attempts_started = models.PositiveSmallIntegerField(_("attempts started"), default=0)
    best_score = models.PositiveSmallIntegerField(_("best score"), null=True, blank=True)
    best_seconds = models.PositiveIntegerField(_("time of the best attempt (s)"), null=True)
    best_at = models.DateTimeField(_("best attempt submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EntrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest participant")
        verbose_name_plural = _("contest participants")
        ordering = ["contest", F("best_score").desc(nulls_last=True), "best_seconds", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contest_entrant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.display_name}"


class Attempt(models.Model):
    """One attempt: the questions drawn (AttemptQuestion rows), when it started, the deadline
    (the time limit, or the window's end if that comes first), when it was submitted and the
    score (right answers). `late` marks a submission after the deadline: its answers were not
    counted, only those saved in time."""

    entrant = models.ForeignKey(
        Entrant, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("participant")
    )
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("contest")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("submitted late"), default=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(_("questions"))
    allowed_seconds = models.PositiveIntegerField(_("time allowed (s)"))
    seconds = models.PositiveIntegerField(_("time taken (s)"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest attempt")
        verbose_name_plural = _("contest attempts")
        ordering = ["contest", "entrant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entrant", "number"], name="contest_attempt_number"),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("started_at")), name="contest_attempt_deadline"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=F("question_count")),
                name="contest_attempt_score_range",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False),
                name="contest_attempt_scored_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrant} #{self.number}"


class AttemptQuestion(models.Model):
    """A question drawn for an attempt, in its place, with the answer given (if any) and when."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    answer = models.CharField(_("answer given"), max_length=6, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_correct = models.BooleanField(_("right"), default=False)

    class Meta:
        verbose_name = _("drawn question")
        verbose_name_plural = _("drawn questions")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="contest_attempt_question_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="contest_attempt_question_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position}"
