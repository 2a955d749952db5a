"""Residents' voice (民情台账) and community decisions (四议两公开 / 一征三议两公开)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.querysets import (
    CategoryDeadlineQuerySet,
    MatterQuerySet,
    OpinionQuerySet,
    PublicationQuerySet,
    SettingsQuerySet,
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    VISIT = "visit", _("Home visit")
    FORUM = "forum", _("Residents' forum")
    BOX = "box", _("Suggestion box")
    HOTLINE = "hotline", _("12345 hotline")


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment and sanitation")
    PROPERTY = "property", _("Property management")
    FACILITIES = "facilities", _("Facilities and repairs")
    TRAFFIC = "traffic", _("Traffic and parking")
    SAFETY = "safety", _("Public safety")
    SERVICES = "services", _("Services for residents")
    NEIGHBOURS = "neighbours", _("Neighbour disputes")
    OTHER = "other", _("Other")


class OpinionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another")


class GovernanceSettings(models.Model):
    """A sub-district's local figures for the ledger and the publications."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="governance_settings",
        verbose_name=_("sub-district"),
    )
    warn_days_before = models.PositiveSmallIntegerField(
        _("warn the owner this many days before the deadline"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close a replied opinion without rating after this many days"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    anonymous_author_to_sub_district = models.BooleanField(
        _("sub-district staff may see the author of an anonymous opinion"),
        default=True,
        help_text=_("Staff below the sub-district never see it."),
    )
    publication_min_days = models.PositiveSmallIntegerField(
        _("a publication stays up at least this many days"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("residents' voice settings")
        verbose_name_plural = _("residents' voice settings")

    def __str__(self) -> str:
        return str(self.sub_district)


class CategoryDeadline(models.Model):
    """Days to reply for a category, in force from a day (a dated row; a later row replaces it)."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="opinion_deadlines",
        verbose_name=_("sub-district"),
    )
    category = models.CharField(
        pgettext_lazy("opinion", "category"), max_length=20, choices=Category.choices
    )
    days = models.PositiveSmallIntegerField(
        _("days to reply"), validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    valid_from = models.DateField(_("in force from"))

    objects = CategoryDeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline by category")
        verbose_name_plural = _("deadlines by category")
        ordering = ["sub_district", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "category", "valid_from"],
                name="category_deadline_unique_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.days}"


class Opinion(models.Model):
    """One opinion in the ledger (民情台账)."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name=_("sub-district"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name=_("community"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(
        pgettext_lazy("opinion", "category"), max_length=20, choices=Category.choices
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("opinion"), max_length=2000)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("resident"),
    )
    author_name = models.CharField(
        _("resident's name (collected offline)"), max_length=50, blank=True
    )
    forum_attendance = models.PositiveIntegerField(_("forum attendance"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=12, choices=OpinionState.choices, default=OpinionState.RECEIVED
    )
    owner_organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("owner: branch"),
    )
    owner_grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("owner: grid"),
    )
    owner_unit = models.ForeignKey(
        "branches.CoBuildingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("owner: co-building unit"),
    )
    owner_office = models.CharField(_("owner: sub-district office"), max_length=60, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    need = models.ForeignKey(
        "regional.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("need"),
    )
    matter = models.ForeignKey(
        "governance.Matter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("matter"),
    )
    warned_before_at = models.DateTimeField(_("warned before the deadline"), null=True, blank=True)
    warned_after_at = models.DateTimeField(_("warned after the deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["sub_district", "state", "deadline"])]
        constraints = [
            models.CheckConstraint(
                name="opinion_rating_range",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
            models.CheckConstraint(
                name="opinion_deadline_after_receipt",
                condition=Q(deadline__gte=F("received_on")),
            ),
            models.CheckConstraint(
                name="opinion_assigned_has_owner",
                condition=Q(state__in=["received", "merged"])
                | Q(owner_organization__isnull=False)
                | Q(owner_grid__isnull=False)
                | Q(owner_unit__isnull=False)
                | ~Q(owner_office=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> object | str:
        return (
            self.owner_organization or self.owner_grid or self.owner_unit or self.owner_office or ""
        )


class OpinionPhoto(models.Model):
    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="photos", verbose_name=_("opinion")
    )
    image = models.FileField(_("photo"), upload_to="governance/opinions/")

    class Meta:
        verbose_name = _("opinion photo")
        verbose_name_plural = _("opinion photos")

    def __str__(self) -> str:
        return str(self.opinion)


class OpinionEvent(models.Model):
    """One step of an opinion's life, as the resident follows it."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="events", verbose_name=_("opinion")
    )
    state = models.CharField(_("state"), max_length=12, choices=OpinionState.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.opinion} · {self.get_state_display()}"


# --- Community matters ------------------------------------------------------------------------


class Procedure(models.TextChoices):
    FOUR_TWO = "four_two", _("Four deliberations, two publications (四议两公开)")
    SOLICIT_THREE_TWO = (
        "solicit_three_two",
        _("Solicit, three deliberations, two publications (一征三议两公开)"),
    )


class StepKind(models.TextChoices):
    SOLICIT = "solicit", _("Soliciting views")
    PROPOSE = "propose", _("Party organisation proposes")
    DELIBERATE = "deliberate", _("Joint meeting of the two committees")
    REVIEW = "review", _("Party members' general meeting reviews")
    DECIDE = "decide", _("Residents' (representatives') meeting decides")
    PUBLISH_DECISION = "publish_decision", _("Decision published")
    PUBLISH_OUTCOME = "publish_outcome", _("Outcome published")


class CommunityProcedure(models.Model):
    """The procedure a community chose for its major matters."""

    community = models.OneToOneField(
        "branches.Community",
        on_delete=models.CASCADE,
        related_name="decision_procedure",
        verbose_name=_("community"),
    )
    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, default=Procedure.FOUR_TWO
    )

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("community procedure")
        verbose_name_plural = _("community procedures")

    def __str__(self) -> str:
        return f"{self.community} · {self.get_procedure_display()}"


class MatterStatus(models.TextChoices):
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class Matter(models.Model):
    """A community's major affair (spending, a project, a rule) taken through its procedure."""

    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="matters",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.UNDER_WAY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("community matter")
        verbose_name_plural = _("community matters")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class MatterStep(models.Model):
    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="steps", verbose_name=_("matter")
    )
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    minutes = models.TextField(_("minutes"))
    meeting = models.ForeignKey(
        "activities.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matter_steps",
        verbose_name=_("party members' general meeting"),
    )
    eligible = models.PositiveIntegerField(_("residents or representatives"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("matter step")
        verbose_name_plural = _("matter steps")
        ordering = ["matter", "held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "kind"], name="matter_step_once"),
            models.CheckConstraint(
                name="matter_step_vote_figures",
                condition=Q(present__isnull=True)
                | (Q(present__lte=F("eligible")) & Q(votes_for__lte=F("present"))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_kind_display()}"


class Consultation(models.Model):
    """征求意见: an online consultation open for a window, plus responses collected offline."""

    matter = models.OneToOneField(
        Matter, on_delete=models.CASCADE, related_name="consultation", verbose_name=_("matter")
    )
    question = models.CharField(_("question"), max_length=300)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                name="consultation_window_in_order", condition=Q(closes_on__gte=F("opens_on"))
            ),
        ]

    def __str__(self) -> str:
        return str(self.matter)


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    OTHER = "other", _("Other view")


class ConsultationResponse(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("consultation"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
        verbose_name=_("resident"),
    )
    offline = models.BooleanField(_("collected offline"), default=False)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "resident"],
                condition=Q(resident__isnull=False),
                name="consultation_one_response_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return self.get_stance_display()


class Publication(models.Model):
    """A 公开: shown on the community's public page from `starts_on` through `ends_on`."""

    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="publications", verbose_name=_("matter")
    )
    step = models.OneToOneField(
        MatterStep,
        on_delete=models.CASCADE,
        related_name="publication",
        verbose_name=_("step"),
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    starts_on = models.DateField(_("shown from"))
    ends_on = models.DateField(_("shown through"))

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="publication_window_in_order", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title
