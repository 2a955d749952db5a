"""Regional committees at work: joint meetings, the three lists with two-way claiming, and the
year-end evaluation of member units."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models.places import Community, SubDistrict
from branches.models.units import CoBuildingUnit
from regional.models.committees import RegionalCommittee
from regional.querysets import (
    ActionItemQuerySet,
    JointMeetingQuerySet,
    MeetingChildQuerySet,
    NeedQuerySet,
    ProjectQuerySet,
    ResourceQuerySet,
    TopicQuerySet,
    UnitEvaluationQuerySet,
)


class JointSettings(models.Model):
    """Local figures of a sub-district's joint meetings (RULES.md: all local), admin-editable."""

    sub_district = models.OneToOneField(
        SubDistrict,
        on_delete=models.CASCADE,
        related_name="joint_settings",
        verbose_name=_("sub-district"),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("joint meetings a year"), default=4, validators=[MinValueValidator(1)]
    )
    topic_deadline_days = models.PositiveSmallIntegerField(
        _("topics due (days before the meeting)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    meeting_reminder_days = models.PositiveSmallIntegerField(
        _("meeting reminder (days before)"), default=3, validators=[MinValueValidator(1)]
    )
    action_reminder_days = models.PositiveSmallIntegerField(
        _("action item reminder (days before its deadline)"),
        default=3,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        db_table = "branches_jointsettings"
        verbose_name = _("joint meeting settings")
        verbose_name_plural = _("joint meeting settings")

    def __str__(self) -> str:
        return str(self.sub_district)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("joint meeting", "Planned")
    HELD = "held", pgettext_lazy("joint meeting", "Held")
    CANCELLED = "cancelled", pgettext_lazy("joint meeting", "Cancelled")


class JointMeetingWarning(models.Model):
    """A warning that a committee's quarter is closing with the joint meetings it owes not held
    (`regional.services.joint_reminders.warn_missing_joint_meetings`); the unique row is the
    claim, so each committee is warned once per quarter."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.CASCADE,
        related_name="joint_meeting_warnings",
        verbose_name=_("regional committee"),
    )
    period_start = models.DateField(_("quarter starting"))
    owed = models.PositiveSmallIntegerField(_("meetings owed"))
    held = models.PositiveSmallIntegerField(_("meetings held"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("joint meeting warning")
        verbose_name_plural = _("joint meeting warnings")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "period_start"], name="joint_meeting_warning_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.period_start:%Y-%m}"


class JointMeeting(models.Model):
    """A joint meeting (联席会议) of a regional committee, quarterly by default."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="joint_meetings",
        verbose_name=_("regional committee"),
    )
    scheduled_on = models.DateField(_("scheduled on"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = JointMeetingQuerySet.as_manager()

    class Meta:
        db_table = "branches_jointmeeting"
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-scheduled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "scheduled_on"], name="joint_meeting_one_a_day"
            ),
            models.CheckConstraint(
                name="joint_meeting_quarter_range", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.scheduled_on}"


class TopicSubmission(models.Model):
    """A topic a member unit's liaison proposes for a meeting, before the deadline."""

    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="topics", verbose_name=_("meeting")
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="joint_topics",
        verbose_name=_("co-building unit"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        db_table = "branches_topicsubmission"
        verbose_name = _("topic submission")
        verbose_name_plural = _("topic submissions")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One line of a meeting's agenda: a submitted topic, an open action item of an earlier
    meeting, or a line staff wrote."""

    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    topic = models.ForeignKey(
        TopicSubmission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    action_item = models.ForeignKey(
        "ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_lines",
        verbose_name=_("action item"),
    )

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        db_table = "branches_agendaitem"
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action_item"], name="agenda_action_item_once"
            ),
            models.UniqueConstraint(fields=["meeting", "topic"], name="agenda_topic_once"),
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    DELEGATE = "delegate", _("Sent a delegate")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """How a member unit attended a meeting; an absence carries its reason."""

    meeting = models.ForeignKey(
        JointMeeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="joint_attendances",
        verbose_name=_("co-building unit"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    attendee = models.CharField(_("attended by"), max_length=50, blank=True)
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        db_table = "branches_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="attendance_once_per_unit"),
            models.CheckConstraint(
                name="attendance_absence_has_reason",
                condition=~Q(status="absent") | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_status_display()}"


class Resolution(models.Model):
    """A resolution adopted at a joint meeting."""

    meeting = models.ForeignKey(
        JointMeeting,
        on_delete=models.CASCADE,
        related_name="resolutions",
        verbose_name=_("meeting"),
    )
    text = models.TextField(_("resolution"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        db_table = "branches_resolution"
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("action item", "Done")


class ActionItem(models.Model):
    """Work a resolution gives to a unit or a community, followed at later meetings until done."""

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("resolution"),
    )
    title = models.CharField(_("title"), max_length=200)
    owner_unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner unit"),
    )
    owner_community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner community"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    overdue_reminder_sent_at = models.DateTimeField(
        _("overdue reminder sent at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        db_table = "branches_actionitem"
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                name="action_item_one_owner",
                condition=(Q(owner_unit__isnull=False) & Q(owner_community__isnull=True))
                | (Q(owner_unit__isnull=True) & Q(owner_community__isnull=False)),
            ),
            models.CheckConstraint(
                name="action_item_done_has_date",
                condition=~Q(status="done") | Q(done_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> CoBuildingUnit | Community | None:
        return self.owner_unit or self.owner_community


class ProgressNote(models.Model):
    """A dated note on an action item or a project."""

    action_item = models.ForeignKey(
        ActionItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("action item"),
    )
    project = models.ForeignKey(
        "Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("project"),
    )
    text = models.TextField(_("progress"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "branches_progressnote"
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="progress_note_one_subject",
                condition=(Q(action_item__isnull=False) & Q(project__isnull=True))
                | (Q(action_item__isnull=True) & Q(project__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open for claiming")
    CLAIMED = "claimed", _("Claimed")
    CLOSED = "closed", pgettext_lazy("list item", "Closed")


class NeedSource(models.TextChoices):
    COMMUNITY = "community", _("Community")
    RESIDENTS = "residents", _("Residents")


class Need(models.Model):
    """A need on the needs list (需求清单): what, where, when, how big; a unit may claim it."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("regional committee"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="needs", verbose_name=_("community")
    )
    source = models.CharField(
        _("raised by"), max_length=10, choices=NeedSource.choices, default=NeedSource.COMMUNITY
    )
    title = models.CharField(_("what is needed"), max_length=200)
    place = models.CharField(_("where"), max_length=200, blank=True)
    wanted_by = models.DateField(_("when"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_needs",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        db_table = "branches_need"
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="need_claimed_has_claimer",
                condition=Q(status="open", claimed_by__isnull=True)
                | (~Q(status="open") & Q(claimed_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    LECTURES = "lectures", _("Lectures")
    DOCTORS = "doctors", _("Doctors")
    LAWYERS = "lawyers", _("Lawyers")
    VOLUNTEERS = "volunteers", _("Volunteers")
    MONEY = "money", _("Money")
    OTHER = "other", _("Other")


class Resource(models.Model):
    """What a member unit can offer (资源清单); a community may claim it."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("regional committee"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="offered_resources",
        verbose_name=_("co-building unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    title = models.CharField(_("what is offered"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_resources",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        db_table = "branches_resource"
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="resource_claimed_has_claimer",
                condition=Q(status="open", claimed_by__isnull=True)
                | (~Q(status="open") & Q(claimed_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("project", "Done")
    RELEASED = "released", _("Claim released")


class Project(models.Model):
    """Agreed joint work (项目清单), born of a claim: a unit delivers, a community confirms done."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("regional committee"),
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.OneToOneField(
        Need,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("need"),
    )
    resource = models.OneToOneField(
        Resource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("resource"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="joint_projects",
        verbose_name=_("owner unit"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="joint_projects",
        verbose_name=_("community"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.IN_PROGRESS,
    )
    confirmed_done_at = models.DateTimeField(_("confirmed done at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    # A released claim keeps its project as history; the list item (need or resource) is
    # detached so that it can be claimed again and become a new project.
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)
    released_need = models.ForeignKey(
        Need,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="released_projects",
        verbose_name=_("released need"),
    )
    released_resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="released_projects",
        verbose_name=_("released resource"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        db_table = "branches_project"
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                name="project_released_is_detached",
                condition=~Q(status="released")
                | (
                    Q(need__isnull=True, resource__isnull=True, released_at__isnull=False)
                    & ~Q(release_reason="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ListSnapshot(models.Model):
    """The three lists as they stood when published at a meeting (kept, never recomputed)."""

    meeting = models.OneToOneField(
        JointMeeting,
        on_delete=models.CASCADE,
        related_name="list_snapshot",
        verbose_name=_("meeting"),
    )
    data = models.JSONField(_("lists"), default=dict)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    objects = MeetingChildQuerySet.as_manager()

    class Meta:
        db_table = "branches_listsnapshot"
        verbose_name = _("published lists")
        verbose_name_plural = _("published lists")

    def __str__(self) -> str:
        return str(self.meeting)


class UnitEvaluation(models.Model):
    """A member unit's year-end evaluation by its committee; the figures come from the records,
    the score and the verdict from the committee."""

    committee = models.ForeignKey(
        RegionalCommittee,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("regional committee"),
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("co-building unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meetings_expected = models.PositiveSmallIntegerField(_("meetings held"), default=0)
    meetings_attended = models.PositiveSmallIntegerField(_("meetings attended"), default=0)
    topics_submitted = models.PositiveSmallIntegerField(_("topics submitted"), default=0)
    claims_taken = models.PositiveSmallIntegerField(_("claims taken"), default=0)
    claims_completed = models.PositiveSmallIntegerField(_("claims completed"), default=0)
    score = models.PositiveSmallIntegerField(
        _("committee score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    commended = models.BooleanField(_("commended"), default=False)
    failed_duties = models.BooleanField(_("failed its duties"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UnitEvaluationQuerySet.as_manager()

    class Meta:
        db_table = "branches_unitevaluation"
        verbose_name = _("unit evaluation")
        verbose_name_plural = _("unit evaluations")
        ordering = ["committee", "-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "unit", "year"], name="unit_evaluation_once_a_year"
            ),
            models.CheckConstraint(
                name="unit_evaluation_not_both",
                condition=~Q(commended=True, failed_duties=True),
            ),
            models.CheckConstraint(
                name="unit_evaluation_score_range",
                condition=Q(score__isnull=True) | Q(score__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}"
