"""Party members: the record, its history, and the local settings of the members domain.

The ID-card number is never stored in the clear (see members/identity.py): `id_number_encrypted`
(reversible only through `services.reveal_id_number`), `id_number_hash` (keyed, unique across the
deployment) and `id_number_masked` (what every page shows).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.dated import DatedRow, span_constraints
from accounts.jobs import Job, JobLife, JobQuerySet
from members.querysets import (
    ActivistReviewQuerySet,
    CommunityNeedQuerySet,
    CommunityRegistrationQuerySet,
    CommunityServiceQuerySet,
    CorrectionRequestQuerySet,
    DevelopmentQuerySet,
    FeedbackLetterQuerySet,
    MemberBindingQuerySet,
    MemberChangeQuerySet,
    MemberQuerySet,
    MemberSettingsQuerySet,
    NeedClaimQuerySet,
    SanctionQuerySet,
    TransferQuerySet,
    roll_from,
    roll_until,
)


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    UNDERGRADUATE = "undergraduate", _("University (bachelor)")
    COLLEGE = "college", _("Junior college")
    TECHNICAL = "technical", _("Technical secondary school")
    HIGH_SCHOOL = "high_school", _("Senior high school")
    MIDDLE_OR_BELOW = "middle_or_below", _("Junior high school or below")


class Category(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    RETIRED = "retired", _("Retired")
    MOBILE = "mobile", _("Mobile")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("Student")
    FARMER = "farmer", _("Farmer")


class MembershipState(models.TextChoices):
    ACTIVE = "active", _("On the roll")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    LEFT = "left", _("Left the party")
    DECEASED = "deceased", _("Deceased")
    INCOMING = "incoming", _("Transferring in")


class Member(models.Model):
    """A party member whose record a branch keeps (`organization`), optionally in a party group.

    `status` (probationary / full) is the party standing that decides voting rights; `state` says
    whether the member is still on this deployment's roll. Counts of "members of a branch" use
    `Member.objects.current()`.
    """

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("branch"),
        db_index=False,  # the indexes below all begin with it
    )
    party_group = models.ForeignKey(
        "branches.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("party group"),
    )
    full_name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_encrypted = models.TextField(
        _("ID-card number (encrypted)"), blank=True, editable=False
    )
    # NULL (not "") when there is no number, so the unique constraint ignores those rows.
    id_number_hash = models.CharField(  # noqa: DJ001
        _("ID-card number (keyed hash)"), max_length=64, null=True, blank=True, editable=False
    )
    id_number_masked = models.CharField(
        _("ID-card number"), max_length=18, blank=True, editable=False
    )
    is_demo_id = models.BooleanField(
        _("demo ID number"),
        default=False,
        editable=False,
        help_text=_(
            "An invented number that fails the check digit, written by the demo seed only."
        ),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    address = models.CharField(_("home address"), max_length=200, blank=True)
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_members",
        verbose_name=_("community of residence"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed as full member on"), null=True, blank=True)
    state = models.CharField(
        _("membership state"),
        max_length=20,
        choices=MembershipState.choices,
        default=MembershipState.ACTIVE,
    )
    state_changed_on = models.DateField(_("state changed on"), null=True, blank=True)
    in_hardship = models.BooleanField(_("in hardship"), default=False)
    out_of_contact_since = models.DateField(_("out of contact since"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="members/photos/", blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The member's time on the roll, [roll_from, roll_until), kept by the database from the
    # fields above (members.querysets.roll_from): plain dated columns the planner has
    # statistics on, indexed with the branch, so "on the roll on day d" in a scope is an index
    # range per branch whatever the size of the district.
    roll_from = models.GeneratedField(
        expression=roll_from(),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("on the roll from"),
    )
    roll_until = models.GeneratedField(
        expression=roll_until(),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("on the roll until"),
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organization", "full_name"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "state", "full_name"]),
            # "On the roll on day d" in a scope (MemberQuerySet.on_roll): per branch.
            models.Index(
                fields=["organization", "roll_from", "roll_until"], name="member_roll_by_branch"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="member_unique_id_number"),
            models.CheckConstraint(
                name="member_confirmed_after_joining",
                condition=Q(confirmed_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(confirmed_on__gte=F("joined_on")),
            ),
            models.CheckConstraint(
                name="member_probationary_not_confirmed",
                condition=~Q(status="probationary") | Q(confirmed_on__isnull=True),
            ),
        ]
        permissions = [
            ("reveal_id_number", _("Can reveal full ID-card numbers")),
            ("import_member", _("Can import a roster of members")),
            ("export_member", _("Can export the roster of members")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def has_voting_rights(self) -> bool:
        """Only full members on the roll vote (支部条例 art. 11), and not while under 留党察看.

        Reads `on_probation` when the queryset annotated it (`with_standing_on`), else asks."""
        if self.status != MemberStatus.FULL or self.state != MembershipState.ACTIVE:
            return False
        on_probation = getattr(self, "on_probation", None)
        if on_probation is None:
            today = timezone.localdate()
            on_probation = self.pk is not None and self.sanctions.probation_on(today).exists()
        return not on_probation

    @property
    def phone_masked(self) -> str:
        from members.rules import mask_phone

        return mask_phone(self.phone)


class MemberChange(models.Model):
    """One entry of a member's history: who changed what, when. Written only by the services.

    `changes` maps a field to {"from": old, "to": new}; an ID number appears masked, never whole.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Record created")
        UPDATED = "updated", _("Record changed")
        IMPORTED = "imported", _("Imported from a roster")
        TRANSFER = "transfer", _("Transfer")
        STAGE = "stage", _("Joining step")
        STATE = "state", _("Membership state changed")
        SANCTION = "sanction", _("Party sanction")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="changes", verbose_name=_("party member")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = MemberChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("member record change")
        verbose_name_plural = _("member record changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_action_display()}"


class MemberSettings(models.Model):
    """The local figures of the members domain for one sub-district (RULES.md: "local")."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="member_settings",
        verbose_name=_("sub-district"),
    )
    transfer_validity_days = models.PositiveSmallIntegerField(
        _("transfer letter validity (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    quarterly_service_quota = models.PositiveSmallIntegerField(
        _("community services required per quarter"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("member settings")
        verbose_name_plural = _("member settings")

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> MemberSettings:
        """The sub-district's settings, or the defaults (unsaved) when it never changed them."""
        found = cls.objects.filter(sub_district_id=sub_district_id).first()
        return found or cls(sub_district_id=sub_district_id)


class SanctionKind(models.TextChoices):
    """The five party sanctions (党纪处分), lightest first."""

    WARNING = "warning", _("Warning")
    SERIOUS_WARNING = "serious_warning", _("Serious warning")
    REMOVAL_FROM_POSTS = "removal_from_posts", _("Removal from party posts")
    PROBATION = "probation", _("Probation within the party")
    EXPULSION = "expulsion", _("Expulsion from the party")


class Sanction(models.Model):
    """A party sanction on a member, dated from the day it takes effect (`started_on`).

    Only 留党察看 has a period: one or two years (`probation_years`), ending on `ended_on`, the
    day before the anniversary; while it runs the member attends but does not vote and is not
    counted among those entitled to vote. 开除党籍 takes the member off the roll from its day
    (through `members.services.set_member_state`). Written only by `members.sanctions.services`,
    never changed afterwards."""

    span_start = "started_on"
    span_end = "ended_on"

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("party member")
    )
    kind = models.CharField(_("sanction"), max_length=20, choices=SanctionKind.choices)
    started_on = models.DateField(_("in effect from"))
    probation_years = models.PositiveSmallIntegerField(
        _("probation (years)"), null=True, blank=True
    )
    ended_on = models.DateField(_("probation ends on"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("party sanction")
        verbose_name_plural = _("party sanctions")
        ordering = ["member", "-started_on", "-pk"]
        indexes = [models.Index(fields=["kind", "started_on", "ended_on"])]
        constraints = [
            *span_constraints("sanction"),
            models.CheckConstraint(
                name="sanction_probation_has_period",
                condition=(
                    Q(kind="probation", probation_years__in=[1, 2], ended_on__isnull=False)
                    | (
                        ~Q(kind="probation")
                        & Q(probation_years__isnull=True, ended_on__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.started_on}"


class TransferKind(models.TextChoices):
    INTERNAL = "internal", _("Between branches of this deployment")
    OUTBOUND = "outbound", _("Out of this deployment")
    INBOUND = "inbound", _("Into this deployment")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ACCEPTED = "accepted", pgettext_lazy("transfer letter", "Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Transfer(models.Model):
    """A transfer of organisational relationship, with its letter (number and validity).

    The member's branch changes only on acceptance; until then the sending branch stays
    responsible. At most one transfer per member is open (issued) at a time, and every state
    change goes through `members.transfers` under a row lock, so accept and revoke cannot both win.
    """

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("party member")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    from_organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("sending branch"),
    )
    to_organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name=_("receiving branch"),
    )
    external_organization = models.CharField(
        _("organisation outside this deployment"), max_length=120, blank=True
    )
    # NULL only between the insert and the numbering that uses the new pk.
    number = models.CharField(_("letter number"), max_length=30, unique=True, null=True)  # noqa: DJ001
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    state = models.CharField(
        _("state"), max_length=10, choices=TransferState.choices, default=TransferState.ISSUED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            # Members who arrived after a day (reports.figures.members_on): few, found by date.
            models.Index(
                fields=["decided_at"],
                condition=Q(kind="inbound", state="accepted"),
                name="transfer_arrivals",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="issued"),
                name="transfer_one_open_per_member",
            ),
            models.CheckConstraint(
                name="transfer_valid_after_issue", condition=Q(valid_until__gte=F("issued_on"))
            ),
            models.CheckConstraint(
                name="transfer_ends_match_kind",
                condition=Q(
                    kind="internal", from_organization__isnull=False, to_organization__isnull=False
                )
                | Q(kind="outbound", from_organization__isnull=False, to_organization__isnull=True)
                | Q(kind="inbound", from_organization__isnull=True, to_organization__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


# --- The joining pipeline (发展党员) -------------------------------------------------------------


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Development candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Development(models.Model):
    """One person's journey from application to full membership, each step dated.

    Steps are taken only through `members.joining` (which applies `members.rules.check_step`);
    on approval the person gets a `Member` record (probationary), and confirmation turns that
    record into a full member through `members.services.update_member`.
    """

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="developments",
        verbose_name=_("branch"),
    )
    full_name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT
    )
    applied_on = models.DateField(_("applied on"))
    talked_on = models.DateField(_("talk held on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    candidate_on = models.DateField(_("development candidate since"), null=True, blank=True)
    training_completed_on = models.DateField(
        _("candidate training completed on"), null=True, blank=True
    )
    training_hours = models.PositiveSmallIntegerField(_("candidate training hours"), default=0)
    voted_on = models.DateField(_("branch vote on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), null=True, blank=True
    )
    confirmed_on = models.DateField(_("confirmed as full member on"), null=True, blank=True)
    member = models.OneToOneField(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development",
        verbose_name=_("party member"),
    )
    sponsors = models.ManyToManyField(
        Member, blank=True, related_name="sponsored_developments", verbose_name=_("sponsors")
    )
    mentors = models.ManyToManyField(
        Member, blank=True, related_name="mentored_developments", verbose_name=_("mentors")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DevelopmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        ordering = ["organization", "applied_on", "pk"]
        indexes = [models.Index(fields=["organization", "stage"])]
        constraints = [
            models.CheckConstraint(
                name="development_extension_6_to_12_months",
                condition=Q(extension_months__isnull=True)
                | Q(extension_months__gte=6, extension_months__lte=12),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class ActivistReview(models.Model):
    """The half-yearly review of an activist (考察), one row per review."""

    development = models.ForeignKey(
        Development,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("development record"),
    )
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActivistReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("activist review")
        verbose_name_plural = _("activist reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.development} · {self.reviewed_on}"


class DevelopmentReminder(models.Model):
    """The claim that a reminder for one due item was sent: unique per (record, kind, due date),
    so a second scan (or two workers at once) never sends it twice."""

    development = models.ForeignKey(
        Development,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("development record"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("development reminder")
        verbose_name_plural = _("development reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["development", "kind", "due_on"], name="development_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.development} · {self.kind} · {self.due_on}"


# --- In-service members registering in their community (在职党员到社区报到) ----------------------


class ServiceKind(models.TextChoices):
    """The kind of service an in-service member prefers to give their community."""

    ELDERLY = "elderly", _("Help for the elderly")
    CHILDREN = "children", _("Children and students")
    ENVIRONMENT = "environment", _("Environment and sanitation")
    SAFETY = "safety", _("Safety patrols and mediation")
    HEALTH = "health", _("Health and medical care")
    CULTURE = "culture", _("Culture and publicity")
    LEGAL = "legal", _("Legal advice")
    OTHER = "other", pgettext_lazy("service kind", "Other")


class CommunityRegistration(DatedRow):
    """An in-service member registered with the community where they live (到社区报到).

    A member is registered with one community at a time (a partial unique constraint on the open
    row); ending a registration keeps the row as history. `employer_organization` is the party
    organisation of the member's employer when it is part of this deployment; `employer_unit` the
    co-building unit they work at when it is one; `employer_name` is always filled.
    """

    span_start = "registered_on"

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="community_registrations",
        verbose_name=_("party member"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="in_service_registrations",
        verbose_name=_("community"),
    )
    employer_name = models.CharField(_("employer"), max_length=100)
    employer_unit = models.ForeignKey(
        "branches.CoBuildingUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="in_service_registrations",
        verbose_name=_("employer (co-building unit)"),
    )
    employer_organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee_registrations",
        verbose_name=_("employer's party organisation"),
    )
    registered_on = models.DateField(_("registered on"))
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    preferred_service = models.CharField(
        _("preferred service"), max_length=20, choices=ServiceKind.choices, blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("community registration")
        verbose_name_plural = _("community registrations")
        ordering = ["community", "-registered_on", "pk"]
        indexes = [models.Index(fields=["community", "ended_on"])]
        constraints = span_constraints(
            "registration",
            open_per=["member"],
            start="registered_on",
            in_order_name="registration_ends_after_start",
            one_open_name="registration_one_active_per_member",
        )

    def __str__(self) -> str:
        return f"{self.member} · {self.community}"

    @property
    def is_active(self) -> bool:
        """Registered still: the row has no end day yet."""
        return self.is_open


class CommunityNeed(models.Model):
    """An item of a community's needs list for in-service members: what, by when, how many.

    `claimed_count` changes only under a row lock on the need (`members.inservice.claim_need`),
    and a check constraint keeps it within `slots`, so a need is never over-claimed.
    """

    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="in_service_needs",
        verbose_name=_("community"),
    )
    title = models.CharField(_("what is needed"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    needed_by = models.DateField(_("needed by"))
    slots = models.PositiveSmallIntegerField(
        _("people needed"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    claimed_count = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    is_closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("community need")
        verbose_name_plural = _("community needs")
        ordering = ["needed_by", "pk"]
        constraints = [
            models.CheckConstraint(name="community_need_slots_positive", condition=Q(slots__gt=0)),
            models.CheckConstraint(
                name="community_need_claims_within_slots",
                condition=Q(claimed_count__lte=F("slots")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.slots - self.claimed_count, 0)


class NeedClaim(models.Model):
    """A registered member's claim on one place of a community need (at most one per member)."""

    need = models.ForeignKey(
        CommunityNeed, on_delete=models.CASCADE, related_name="claims", verbose_name=_("need")
    )
    registration = models.ForeignKey(
        CommunityRegistration,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("community registration"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    objects = NeedClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("need claim")
        verbose_name_plural = _("need claims")
        ordering = ["need", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["need", "registration"], name="need_claim_once"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.member} · {self.need}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("service review", "Rejected")


class CommunityService(models.Model):
    """A service an in-service member did for their community, with hours, reviewed by the
    community's secretary (approved or rejected with a reason). Only approved rows count."""

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="community_services",
        verbose_name=_("party member"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="in_service_services",
        verbose_name=_("community"),
    )
    registration = models.ForeignKey(
        CommunityRegistration,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("community registration"),
    )
    need = models.ForeignKey(
        CommunityNeed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("need"),
    )
    served_on = models.DateField(_("served on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    description = models.CharField(_("what was done"), max_length=300)
    # A re-encoded JPEG (checked and cleaned by the page that takes the upload), served only
    # through a view that checks scope: it may show people.
    photo = models.FileField(_("photo"), upload_to="members/services/", blank=True)
    status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.CharField(_("reason"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("community service")
        verbose_name_plural = _("community services")
        ordering = ["-served_on", "-pk"]
        indexes = [models.Index(fields=["member", "status", "served_on"])]
        constraints = [
            models.CheckConstraint(
                name="community_service_hours_in_range",
                condition=Q(hours__gt=0, hours__lte=24),
            ),
            models.CheckConstraint(
                name="community_service_rejection_has_reason",
                condition=~Q(status="rejected") | ~Q(review_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.served_on}"


class FeedbackLetter(models.Model):
    """The quarter-end feedback on one member for their employer's party organisation (DOCX).

    One row per (member, year, quarter): building letters again never duplicates one.
    """

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="feedback_letters",
        verbose_name=_("party member"),
    )
    registration = models.ForeignKey(
        CommunityRegistration,
        on_delete=models.PROTECT,
        related_name="feedback_letters",
        verbose_name=_("community registration"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    services = models.PositiveSmallIntegerField(_("services"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)
    met_quota = models.BooleanField(_("quota met"), default=False)
    file = models.FileField(_("file"), upload_to="members/feedback/", blank=True)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    objects = FeedbackLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback letter")
        verbose_name_plural = _("feedback letters")
        ordering = ["-year", "-quarter", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "quarter"], name="feedback_letter_once_per_quarter"
            ),
            models.CheckConstraint(
                name="feedback_letter_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]
        permissions = [("build_feedbackletter", _("Can build the quarter's feedback letters"))]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}Q{self.quarter}"


class ImportJobKind(models.TextChoices):
    ROSTER = "roster", _("Roster import")
    REGISTRATIONS = "registrations", _("In-service registrations import")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(Job):
    """A large import, checked and written by a worker (see `members.importjobs`); attempts,
    requested, started, last sign of life, finished and next attempt are the columns of
    `accounts.jobs.Job`.

    The uploaded file is kept (outside the public media URLs) only until the job ends: it holds
    ID-card numbers. The job is all-or-nothing like a small import; `errors` lists the rows.
    """

    job_life = JobLife(settings_prefix="IMPORT", error="message")  # IMPORT_MAX_ATTEMPTS, …

    kind = models.CharField(_("import"), max_length=20, choices=ImportJobKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    file = models.FileField(_("file"), upload_to="members/imports/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("rows imported"), default=0)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)


class BindingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the secretary")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Bound")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Unbound")


class MemberBinding(models.Model):
    """The link between a member's record and a sign-in account (党员端).

    A member asks (name + ID tail) and the secretary approves, or the secretary invites the member
    by SMS and the member accepts. The rows are history: an unbinding ends a row, never deletes it.
    The database keeps one bound account per member and one bound member per account.
    """

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="bindings", verbose_name=_("party member")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="member_bindings",
        verbose_name=_("account"),
    )
    status = models.CharField(_("status"), max_length=10, choices=BindingStatus.choices)
    invite_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invite_expires_at = models.DateTimeField(_("invitation expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    ended_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = MemberBindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("member account binding")
        verbose_name_plural = _("member account bindings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="active"),
                name="binding_one_account_per_member",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["active", "requested"]),
                name="binding_one_member_per_account",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="invited"),
                name="binding_one_open_invitation",
            ),
            models.CheckConstraint(
                name="binding_user_unless_invited",
                condition=Q(status="invited") | Q(user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class BindingAttempt(models.Model):
    """One binding request by an account, kept to limit guesses of ID tails (counted per day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    matched = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the secretary")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class CorrectionRequest(models.Model):
    """A member's request to correct their record; the secretary accepts or refuses it, and the
    record's history (MemberChange) keeps both outcomes."""

    class Field(models.TextChoices):
        PHONE = "phone", _("phone")
        ADDRESS = "address", _("home address")
        WORK_UNIT = "work_unit", _("work unit")
        OCCUPATION = "occupation", _("occupation")
        EDUCATION = "education", _("education")
        OTHER = "other", _("other")

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("party member"),
    )
    field = models.CharField(_("what to correct"), max_length=20, choices=Field.choices)
    proposed = models.CharField(_("correct value"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default="pending"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("record correction request")
        verbose_name_plural = _("record correction requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_field_display()}"


class ReminderPreference(models.Model):
    """Which channels a member's reminders use. No row: every channel the member has (an SMS to
    the phone the branch holds, an email to the bound account's address)."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    sms = models.BooleanField(_("reminders by SMS"), default=True)
    email = models.BooleanField(_("reminders by email"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"{self.member_id}: sms={self.sms} email={self.email}"
