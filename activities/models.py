"""Organisational life: meetings planned and held, attendance, votes, attachments, versions,
make-up study, the cadence rule table and the reminders sent from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.querysets import (
    CadenceRuleQuerySet,
    MeetingQuerySet,
    ScopedThroughMeeting,
    TalkContactQuerySet,
    TalkQuerySet,
)


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("Branch general meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme party day")
    LIFE_MEETING = "life_meeting", _("Organisational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal of members")
    TALK = "talk", _("Heart-to-heart talk")
    ELECTION = "election", _("Committee election")


class LectureKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary's lecture")
    EXPERT = "expert", _("Expert lecture")
    LEAD_STUDY = "lead_study", _("Lead study")


class AppliesTo(models.TextChoices):
    BRANCH = "branch", _("Every branch")
    COMMITTEE = "committee", _("Branches with a committee")
    PARTY_GROUP = "party_group", _("Every party group")


class Granularity(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class CadenceRule(models.Model):
    """How often a kind of meeting is due. Rows without a sub-district are the defaults from the
    rules; a sub-district may override a local one with its own row."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cadence_rules",
        verbose_name=_("sub-district"),
        help_text=_("Empty: the default for every sub-district."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    lecture_kind = models.CharField(
        _("lecture kind"), max_length=20, choices=LectureKind.choices, blank=True
    )
    applies_to = models.CharField(_("applies to"), max_length=20, choices=AppliesTo.choices)
    granularity = models.CharField(_("every"), max_length=10, choices=Granularity.choices)
    required = models.PositiveSmallIntegerField(_("times required"), default=1)
    is_local = models.BooleanField(
        _("local rule"),
        default=False,
        help_text=_("Local rules may be changed by a sub-district; national ones may not."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CadenceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadence rule")
        verbose_name_plural = _("cadence rules")
        ordering = ["sub_district", "kind", "lecture_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "kind", "lecture_kind", "applies_to"],
                condition=Q(sub_district__isnull=False),
                name="cadence_rule_unique_local",
            ),
            models.UniqueConstraint(
                fields=["kind", "lecture_kind", "applies_to"],
                condition=Q(sub_district__isnull=True),
                name="cadence_rule_unique_default",
            ),
            models.CheckConstraint(
                name="cadence_rule_required_positive", condition=Q(required__gte=1)
            ),
        ]

    def __str__(self) -> str:
        label = self.get_lecture_kind_display() or self.get_kind_display()
        return f"{label} · {self.required}/{self.get_granularity_display()}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    lecture_kind = models.CharField(
        _("lecture kind"), max_length=20, choices=LectureKind.choices, blank=True
    )
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    chair = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    note_taker = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
    )
    booking = models.OneToOneField(
        "venues.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("room booking"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    main_points = models.TextField(_("main points"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    rectification = models.TextField(_("rectification list"), blank=True)
    out_of_period_reason = models.CharField(
        _("reason for holding it outside its period"), max_length=200, blank=True
    )
    quorum_met = models.BooleanField(
        _("quorate"),
        null=True,
        blank=True,
        help_text=_(
            "More than half of those entitled present (general meeting) or of the committee "
            "(committee meeting); empty for kinds with no quorum."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["organization", "kind", "held_on"]),
            models.Index(fields=["status", "starts_at"]),
            # The compliance count (activities.compliance.HELD_PER_MONTH) reads the meetings of
            # a sub-district's organisations over a year from this index alone (an index-only
            # scan on PostgreSQL), whatever the years of history behind them.
            models.Index(
                fields=["organization", "held_on"],
                include=["kind", "lecture_kind", "status"],
                name="meeting_org_held_covering",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="meeting_held_has_date", condition=~Q(status="held") | Q(held_on__isnull=False)
            ),
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
            ),
            models.CheckConstraint(
                name="meeting_lecture_kind_only_for_lectures",
                condition=Q(kind="lecture") | Q(lecture_kind=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.get_kind_display()} {self.topic}"

    def delete(self, using: str | None = None, keep_parents: bool = False) -> tuple[int, dict]:
        """Delete the meeting and the rows it owns (attendance, guests, votes, make-up tasks …).

        Every row the delete cascades to belongs to this meeting, so the cached pages of its own
        sub-district are flushed rather than every sub-district's."""
        from config import pagecache

        with pagecache.writes_of(self):
            return super().delete(using=using, keep_parents=keep_parents)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def kind_label(self) -> str:
        return str(self.get_lecture_kind_display() or self.get_kind_display())


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="attendances"
    )
    member_name = models.CharField(_("name"), max_length=50)
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    entitled_to_vote = models.BooleanField(_("entitled to vote"), default=False)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} {self.get_status_display()}"


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("unit and title"), max_length=100, blank=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self) -> str:
        return self.name


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "hands", _("Show of hands")
    BALLOT = "ballot", _("Secret ballot")
    ROLL_CALL = "roll_call", _("Roll call")


class Vote(models.Model):
    """A motion voted on at a branch general meeting, with the figures the rules judge."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    motion = models.CharField(_("motion"), max_length=200)
    method = models.CharField(_("method"), max_length=10, choices=VoteMethod.choices)
    entitled = models.PositiveIntegerField(_("entitled to vote"))
    present_entitled = models.PositiveIntegerField(_("entitled and present"))
    yes = models.PositiveIntegerField(_("for"))
    no = models.PositiveIntegerField(_("against"))
    abstain = models.PositiveIntegerField(_("abstain"))
    quorum_met = models.BooleanField(_("quorum met"))
    passed = models.BooleanField(_("passed"))

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                name="vote_present_within_entitled",
                condition=Q(present_entitled__lte=F("entitled")),
            ),
            models.CheckConstraint(
                name="vote_ballots_within_present",
                condition=Q(yes__lte=F("present_entitled") - F("no") - F("abstain")),
            ),
        ]

    def __str__(self) -> str:
        return self.motion


class AttachmentKind(models.TextChoices):
    SIGN_IN_SHEET = "sign_in", _("Sign-in sheet")
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random; the original name is kept in the row, never in the path.
    import uuid

    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("The digest of the file's bytes, taken at upload; sealed minutes print it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class MeetingRevision(models.Model):
    """A sealed version of signed-off minutes (activities/minutes/sealing.py): sign-off seals
    version 1, every later change (attachments included) seals the next one with its reason.
    `hash` is sha256(previous revision's hash + the canonical snapshot), so a row altered in the
    database breaks the chain at that link."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("record"))
    reason = models.CharField(_("reason for the change"), max_length=200)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("meeting revision")
        verbose_name_plural = _("meeting revisions")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="meeting_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"


class MakeUpTask(models.Model):
    """Make-up study (补学) for a member absent from a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="make_up_tasks")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="make_up_tasks"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The member's own report (党员端); the secretary's confirmation is `done_on`.
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    report_note = models.CharField(_("member's note"), max_length=300, blank=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("make-up study")
        verbose_name_plural = _("make-up study")
        ordering = ["done_on", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="make_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class MeetingReminder(models.Model):
    """A reminder sent before a planned meeting; the row is the claim that it is sent once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    hours_before = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "hours_before"], name="meeting_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} −{self.hours_before}h"


class PeriodWarning(models.Model):
    """A warning that a required meeting is still missing as its period closes; sent once."""

    organization = models.ForeignKey(
        "branches.Organization", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(CadenceRule, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rule", "period_start"], name="period_warning_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.rule} {self.period_start}"


class ChannelKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class BranchChannel(models.Model):
    """A group-chat robot webhook a branch's notices are posted to."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.CASCADE,
        related_name="channels",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    # DingTalk's 加签: the robot's secret ("SEC…"), sealed (accounts.channels.seal_secret), never
    # shown again once saved; "" for a robot without signing.
    signing_secret = models.CharField(_("signing secret (sealed)"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()}"

    @property
    def signs(self) -> bool:
        return bool(self.signing_secret)


class LocalSettings(models.Model):
    """The local figures of organisational life a sub-district sets for itself (RULES.md:
    "local" figures are settings, never constants)."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="activity_settings",
        verbose_name=_("sub-district"),
    )
    warn_days_before_close = models.PositiveSmallIntegerField(
        _("warn this many days before a period closes"), default=7
    )
    make_up_days = models.PositiveSmallIntegerField(_("days allowed for make-up study"), default=30)
    first_reminder_hours = models.PositiveSmallIntegerField(
        _("first reminder, hours before a meeting"), default=24
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        _("second reminder, hours before a meeting"), default=2
    )

    class Meta:
        verbose_name = _("organisational life settings")
        verbose_name_plural = _("organisational life settings")

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> LocalSettings:
        settings_row, _ = cls.objects.get_or_create(sub_district_id=sub_district_id)
        return settings_row


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LeaveRequest(models.Model):
    """A member's 请假 before a meeting: the secretary's roster shows the member pre-marked "on
    leave" with the reason (the secretary still records the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leave_requests")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="leave_requests"
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(status="requested"),
                name="leave_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class CheckIn(models.Model):
    """A member checked in at a meeting with the code the secretary showed. Pre-fills the roster;
    the record and its sign-off stay the secretary's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="check_ins")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="check_ins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("checked in at"), auto_now_add=True)

    objects = ScopedThroughMeeting.as_manager()

    class Meta:
        verbose_name = _("meeting check-in")
        verbose_name_plural = _("meeting check-ins")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="check_in_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class MemberReminderKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    MAKE_UP = "make_up", _("Make-up study due")


class MemberReminder(models.Model):
    """A reminder to one member (党员端): before a meeting (`hours_before` its lead time) or of a
    make-up study coming due (`hours_before` 0). The row is the claim that it goes out once: the
    scan inserts the rows with ON CONFLICT DO NOTHING and messages only the members it inserted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MemberReminderKind.choices)
    hours_before = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "kind", "hours_before"], name="member_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.meeting_id} · {self.kind} −{self.hours_before}h"


class TalkForm(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Talk(models.Model):
    """A heart-to-heart talk (谈心谈话) between two members of a branch: both people, the date,
    the form and the topic (RULES.md). A pair is the same whichever of them is named first."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="talks",
        verbose_name=_("branch"),
    )
    first = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    second = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("talked with"),
    )
    held_on = models.DateField(_("held on"))
    form = models.CharField(
        _("form"), max_length=20, choices=TalkForm.choices, default=TalkForm.FACE_TO_FACE
    )
    topic = models.CharField(_("topic"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("heart-to-heart talk")
        verbose_name_plural = _("heart-to-heart talks")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"])]
        constraints = [
            models.CheckConstraint(
                name="talk_two_different_people", condition=~Q(first=F("second"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} · {self.second} · {self.held_on}"


class TalkContact(models.Model):
    """The committee member in charge of a member (联系党员), for the talks they owe each other.
    A member without a row (or whose contact has left the committee) is the secretary's."""

    member = models.OneToOneField(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="talk_contact",
        verbose_name=_("member"),
    )
    committee_member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="talk_contacts",
        verbose_name=_("committee member in charge"),
    )

    objects = TalkContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member in charge")
        verbose_name_plural = _("committee members in charge")
        constraints = [
            models.CheckConstraint(
                name="talk_contact_not_self", condition=~Q(member=F("committee_member"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee_member} → {self.member}"


class TalkWarning(models.Model):
    """A warning that a branch's year is closing with required talks missing; sent once."""

    organization = models.ForeignKey(
        "branches.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="talk_warning_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


# The election record (换届选举) lives in its own package; imported here so Django registers it.
from activities.elections.models import Election, ElectionCandidate  # noqa: E402, F401
