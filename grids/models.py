"""Grids at the doorstep: grid roles, households, 联系户 and 3+2+1 pairings, daily dispute
screening and mediation, care visits (RULES.md → Residents' voice, grid and mediation).

The place itself (`branches.Grid`, its compounds and buildings) lives in `branches`; this app
hangs the people and the work on it. A household's phone is stored like a member's ID number
(docs/adr/0003): Fernet-encrypted, masked for every page, revealed only through
`services.reveal_household_phone` (a permission and an audit entry).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids.querysets import (
    CampaignQuerySet,
    CareVisitQuerySet,
    DisputeQuerySet,
    GridRoleQuerySet,
    GridSettingsQuerySet,
    HouseholdLinkQuerySet,
    HouseholdQuerySet,
    ScreeningReportQuerySet,
)


class GridSettings(models.Model):
    """The local figures of a sub-district's grid work."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="grid_settings",
        verbose_name=_("sub-district"),
    )
    contact_min_households = models.PositiveSmallIntegerField(
        _("contact households: at least"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    contact_max_households = models.PositiveSmallIntegerField(
        _("contact households: at most"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    visit_overdue_days = models.PositiveSmallIntegerField(
        _("a household is overdue when not visited for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    pairing_cadre_households = models.PositiveSmallIntegerField(
        _("3+2+1: households per leading cadre"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    pairing_secretary_households = models.PositiveSmallIntegerField(
        _("3+2+1: households per secretary"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    pairing_member_households = models.PositiveSmallIntegerField(
        _("3+2+1: households per member"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("follow-up visit within (days) of the outcome"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("escalate to the sub-district when unresolved after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GridSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid settings")
        verbose_name_plural = _("grid settings")
        constraints = [
            models.CheckConstraint(
                name="grid_settings_contact_range",
                condition=Q(contact_max_households__gte=F("contact_min_households")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.sub_district)


class GridRoleKind(models.TextChoices):
    LEADER = "leader", _("Grid leader")
    WORKER = "worker", _("Grid worker")
    SCREENING_OFFICER = "screening_officer", _("Dispute-screening officer")


class GridRole(models.Model):
    """A person's dated role on a grid: a user account, or a contact without one."""

    grid = models.ForeignKey(
        "branches.Grid", on_delete=models.CASCADE, related_name="roles", verbose_name=_("grid")
    )
    kind = models.CharField(_("role"), max_length=20, choices=GridRoleKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_roles",
        verbose_name=_("user account"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = GridRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid role")
        verbose_name_plural = _("grid roles")
        ordering = ["grid", "kind", "-started_on"]
        constraints = [
            models.CheckConstraint(
                name="grid_role_person",
                condition=Q(user__isnull=False) | ~Q(contact_name=""),
            ),
            models.CheckConstraint(
                name="grid_role_dates",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.get_kind_display()} · {self.person_name}"

    @property
    def person_name(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.username
        return self.contact_name


class Household(models.Model):
    grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("grid"),
    )
    compound = models.ForeignKey(
        "branches.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("residential compound"),
    )
    building = models.ForeignKey(
        "branches.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("office building"),
    )
    address = models.CharField(_("unit and room"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=50)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    is_elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    is_low_income = models.BooleanField(_("low-income"), default=False)
    is_veteran = models.BooleanField(_("veteran"), default=False)
    is_empty_nest = models.BooleanField(_("empty-nest"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    TAG_FIELDS = ("is_elderly_alone", "is_disabled", "is_low_income", "is_veteran", "is_empty_nest")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["grid", "compound", "address"]
        permissions = [("reveal_household_phone", _("Can reveal households' full phone numbers"))]

    def __str__(self) -> str:
        place = self.compound or self.building
        return f"{place} {self.address}" if place else self.address

    @property
    def tags(self) -> list[str]:
        return [
            str(self._meta.get_field(f).verbose_name) for f in self.TAG_FIELDS if getattr(self, f)
        ]

    @property
    def in_hardship(self) -> bool:
        return any(getattr(self, f) for f in self.TAG_FIELDS)


class ContactAssignment(models.Model):
    """联系户: a member contacts a household, or (instead) walks a road section."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="contact_assignments",
        verbose_name=_("member"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_assignments",
        verbose_name=_("household"),
    )
    grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        related_name="contact_assignments",
        verbose_name=_("grid"),
    )
    road_section = models.CharField(_("road section"), max_length=100, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = HouseholdLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact household")
        verbose_name_plural = _("contact households")
        ordering = ["member", "-started_on"]
        constraints = [
            models.CheckConstraint(
                name="contact_household_or_road",
                condition=(Q(household__isnull=False) & Q(road_section=""))
                | (Q(household__isnull=True) & ~Q(road_section="")),
            ),
            models.UniqueConstraint(
                fields=["member", "household"],
                condition=Q(ended_on__isnull=True, household__isnull=False),
                name="contact_household_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.household or self.road_section}"


class PairingTier(models.TextChoices):
    CADRE = "cadre", _("Leading cadre")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class AssistancePairing(models.Model):
    """3+2+1: a leading cadre helps 3 households, a secretary 2, a member 1 (settings)."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="assistance_pairings",
        verbose_name=_("member"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="assistance_pairings",
        verbose_name=_("household"),
    )
    grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        related_name="assistance_pairings",
        verbose_name=_("grid"),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=PairingTier.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = HouseholdLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance pairing")
        verbose_name_plural = _("assistance pairings")
        ordering = ["member", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "household"],
                condition=Q(ended_on__isnull=True),
                name="assistance_pairing_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.household}"


class HouseholdVisit(models.Model):
    """A visit to a household by a contact member, a paired helper or a grid worker."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="visits", verbose_name=_("household")
    )
    grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        related_name="household_visits",
        verbose_name=_("grid"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_visits",
        verbose_name=_("member"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    pairing = models.ForeignKey(
        AssistancePairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("assistance pairing"),
    )
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("what was found"), blank=True)
    help_given = models.CharField(_("help given"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = HouseholdLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.household} · {self.visited_on}"


class ScreeningReport(models.Model):
    """矛盾排查日报: one per grid and day; "nothing found" is a report."""

    grid = models.ForeignKey(
        "branches.Grid",
        on_delete=models.PROTECT,
        related_name="screening_reports",
        verbose_name=_("grid"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="screening_reports",
        verbose_name=_("dispute-screening officer"),
    )
    day = models.DateField(_("day"))
    nothing_found = models.BooleanField(_("nothing found"), default=True)
    notes = models.TextField(_("what was found"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    objects = ScreeningReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily screening report")
        verbose_name_plural = _("daily screening reports")
        ordering = ["-day", "grid"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "day"], name="screening_report_once_a_day"),
            models.CheckConstraint(
                name="screening_report_found_has_notes",
                condition=Q(nothing_found=True) | ~Q(notes=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.day}"


class DisputeSource(models.TextChoices):
    SCREENING = "screening", _("Daily screening")
    RESIDENT = "resident", _("Reported by a resident")
    HOTLINE = "hotline", _("12345 hotline")


class DisputeKind(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Neighbours")
    FAMILY = "family", _("Family")
    PROPERTY = "property", _("Property management")
    LABOUR = "labour", _("Labour")
    OTHER = "other", _("Other")


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute", "Open")
    MEDIATING = "mediating", _("Being mediated")
    AGREED = "agreed", _("Agreement signed")
    REFERRED = "referred", _("Referred to the judicial office")
    FAILED = "failed", _("Mediation failed")


CLOSED_STATUSES = (DisputeStatus.AGREED, DisputeStatus.REFERRED, DisputeStatus.FAILED)


class Dispute(models.Model):
    grid = models.ForeignKey(
        "branches.Grid", on_delete=models.PROTECT, related_name="disputes", verbose_name=_("grid")
    )
    report = models.ForeignKey(
        ScreeningReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("daily screening report"),
    )
    source = models.CharField(_("source"), max_length=20, choices=DisputeSource.choices)
    kind = models.CharField(_("type"), max_length=20, choices=DisputeKind.choices)
    party_a = models.CharField(_("first party"), max_length=50)
    party_b = models.CharField(_("second party"), max_length=50, blank=True)
    summary = models.TextField(_("summary"))
    opened_on = models.DateField(_("opened on"))
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediated_disputes",
        verbose_name=_("mediator"),
    )
    mediator_team = models.ForeignKey(
        "volunteers.VolunteerTeam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediated_disputes",
        verbose_name=_("mediation team"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    agreement = models.FileField(_("signed agreement"), upload_to="grids/agreements/", blank=True)
    follow_up_due_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    escalated_at = models.DateTimeField(
        _("escalated to the sub-district at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="dispute_closed_has_date",
                condition=Q(status__in=["open", "mediating"], closed_on__isnull=True)
                | (~Q(status__in=["open", "mediating"]) & Q(closed_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.opened_on}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def mediator_label(self) -> str:
        if self.mediator_team_id:
            return self.mediator_team.name
        if self.mediator_id:
            return self.mediator.full_name or self.mediator.username
        return ""


class MediationSession(models.Model):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("dispute")
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["dispute", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.held_on}"


class CareCampaign(models.Model):
    """A festival campaign of care visits (春节慰问): a planned list, ticked off as visited."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="care_campaigns",
        verbose_name=_("sub-district"),
    )
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("care campaign")
        verbose_name_plural = _("care campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="care_campaign_dates", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CareFund(models.TextChoices):
    """Where the money of a care visit came from (the fund's own name goes in the note)."""

    DUES = "dues", _("Party dues kept for use")
    CHARITY = "charity", _("Charity fund")
    BUDGET = "budget", _("Sub-district or community budget")
    DONATION = "donation", _("Donations")
    OTHER = "other", _("Other fund")


class CareVisit(models.Model):
    """慰问: a care visit to a member in hardship or a tagged household. A planned one (of a
    campaign) has no `visited_on` yet; it is ticked off by recording the visit."""

    campaign = models.ForeignKey(
        CareCampaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("care campaign"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="care_visits",
        verbose_name=_("member"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="care_visits",
        verbose_name=_("household"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        related_name="care_visits",
        verbose_name=_("community"),
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visitors = models.CharField(_("who visited"), max_length=100, blank=True)
    given = models.CharField(_("what was given"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("money given (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    fund = models.CharField(
        _("from which fund"), max_length=20, choices=CareFund.choices, blank=True
    )
    fund_note = models.CharField(_("fund note"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = CareVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["visited_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="care_visit_one_recipient",
                condition=(Q(member__isnull=False) & Q(household__isnull=True))
                | (Q(member__isnull=True) & Q(household__isnull=False)),
            ),
            models.CheckConstraint(
                name="care_visit_amount_positive",
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="care_visit_money_has_fund",
                condition=Q(amount__isnull=True) | ~Q(fund=""),
            ),
            models.UniqueConstraint(
                fields=["campaign", "member"],
                condition=Q(campaign__isnull=False, member__isnull=False),
                name="care_campaign_member_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "household"],
                condition=Q(campaign__isnull=False, household__isnull=False),
                name="care_campaign_household_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.member or self.household)
