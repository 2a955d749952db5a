"""Membership dues (党费): bases, the bracket rule table, monthly bills, payments and receipts,
remittances upward, the sub-district's use ledger, and the local settings.

Money is `Decimal` (two places). A bill is one per member and month (unique); a payment settles
one bill at most once (unique bill, unique reference), so no payment is ever recorded twice, even
by two requests at the same instant. Voluntary payments (特殊党费 / 自愿多交) have no bill.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.dated import DatedSpan, span_constraints
from dues import rules
from dues.querysets import (
    ArrearsExceptionQuerySet,
    BankStatementQuerySet,
    BaseDeclarationQuerySet,
    DuesBaseQuerySet,
    DuesBillQuerySet,
    DuesPaymentQuerySet,
    DuesSettingsQuerySet,
    LedgerEntryQuerySet,
    ReceiptQuerySet,
    RemittanceQuerySet,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesCategory(models.TextChoices):
    IN_SERVICE = rules.IN_SERVICE, _("In service (after-tax monthly income)")
    RETIRED = rules.RETIRED, _("Retired (basic pension)")
    LOW_INCOME = rules.LOW_INCOME, _("Student, unemployed or on minimum allowance")
    FARMER = rules.FARMER, _("Farmer")


class DuesRate(models.Model):
    """One bracket of the national rule table, in force from `valid_from` until a later set of
    the same category starts (the set in force on a day is the one with the latest
    `valid_from` on or before it). Seeded from `rules.NATIONAL_RATES`."""

    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    valid_from = models.DateField(_("in force from"))
    lower_bound = models.DecimalField(
        _("base above"), null=True, blank=True, help_text=_("Exclusive; empty: no bound."), **MONEY
    )
    upper_bound = models.DecimalField(
        _("base up to"), null=True, blank=True, help_text=_("Inclusive; empty: no bound."), **MONEY
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("A fraction of the whole base: 0.0150 is 1.5%."),
    )
    flat_amount = models.DecimalField(_("flat amount"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("dues bracket")
        verbose_name_plural = _("dues brackets")
        ordering = ["category", "-valid_from", "lower_bound"]
        constraints = [
            models.CheckConstraint(
                name="dues_rate_rate_or_flat",
                condition=Q(rate__isnull=True, flat_amount__isnull=False)
                | Q(rate__isnull=False, flat_amount__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["category", "valid_from", "lower_bound"],
                name="dues_rate_one_bracket",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.lower_bound or 0}–{self.upper_bound or '∞'}"

    def bracket(self) -> rules.Bracket:
        return rules.Bracket(
            self.category, self.lower_bound, self.upper_bound, self.rate, self.flat_amount
        )


class JoinRule(models.TextChoices):
    NEXT_MONTH = "next_month", _("From the next month")
    THIS_MONTH = "this_month", _("From the month of arrival")


class DuesSettings(models.Model):
    """A sub-district's local dues figures (defaults when it has no row)."""

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="dues_settings",
        verbose_name=_("sub-district"),
    )
    join_rule = models.CharField(
        _("a member arriving mid-month is billed"),
        max_length=20,
        choices=JoinRule.choices,
        default=JoinRule.NEXT_MONTH,
    )
    advance_months = models.PositiveSmallIntegerField(
        _("months payable in advance"),
        default=12,
        validators=[MaxValueValidator(12)],
    )
    farmer_amount = models.DecimalField(
        _("farmers' monthly amount"),
        default=Decimal("0.20"),
        validators=[MinValueValidator(rules.FARMER_MIN), MaxValueValidator(rules.FARMER_MAX)],
        **MONEY,
    )
    reminder_day = models.PositiveSmallIntegerField(
        _("day of the month bills are reminded"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )

    objects = DuesSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues settings")
        verbose_name_plural = _("dues settings")

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> DuesSettings:
        found = cls.objects.filter(sub_district_id=sub_district_id).first()
        return found or cls(sub_district_id=sub_district_id)


class DuesBase(DatedSpan):
    """A member's declared base (党费基数) with its category, in force from `started_on`; a new
    declaration ends the previous one the day before. Personal data: the member, their
    secretary and staff only, never in lists below the branch."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_bases",
        verbose_name=_("party member"),
    )
    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    amount = models.DecimalField(_("base"), default=Decimal("0"), **MONEY)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DuesBaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        ordering = ["member", "-started_on"]
        constraints = [
            *span_constraints("dues_base", open_per=["member"]),
            models.CheckConstraint(name="dues_base_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.started_on:%Y-%m}"


class DuesBill(models.Model):
    """What a member owes for one month (应缴), priced on the base in force on the month's first
    day; paid (`paid_on`) once, by one payment. Unpaid bills are re-priced when a base is
    corrected; paid ones never."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_bills",
        verbose_name=_("party member"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="dues_bills",
        verbose_name=_("branch"),
    )
    month = models.DateField(_("month"))
    base = models.ForeignKey(
        DuesBase,
        on_delete=models.PROTECT,
        related_name="bills",
        null=True,
        blank=True,
        verbose_name=_("dues base"),
    )
    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    base_amount = models.DecimalField(_("base"), **MONEY)
    amount_due = models.DecimalField(_("due"), **MONEY)
    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DuesBillQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues bill")
        verbose_name_plural = _("dues bills")
        ordering = ["-month", "organization", "member"]
        indexes = [
            models.Index(fields=["organization", "month"]),
            models.Index(
                fields=["member", "month"],
                condition=Q(paid_on__isnull=True),
                name="dues_bill_unpaid",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_one_bill_per_month"),
            models.CheckConstraint(name="dues_bill_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(name="dues_bill_not_negative", condition=Q(amount_due__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class PaymentKind(models.TextChoices):
    DUES = "dues", _("Monthly dues")
    VOLUNTARY = "voluntary", _("Voluntary extra payment")
    SPECIAL = "special", _("Special dues")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")


class Receipt(models.Model):
    """The numbered receipt of what one member paid at once (one or several months)."""

    number = models.CharField(_("receipt number"), max_length=30, unique=True, null=True)  # noqa: DJ001
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_receipts",
        verbose_name=_("party member"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="dues_receipts",
        verbose_name=_("branch"),
    )
    issued_on = models.DateField(_("issued on"))
    total = models.DecimalField(_("total"), **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues receipt")
        verbose_name_plural = _("dues receipts")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number or ""


class DuesPayment(models.Model):
    """Money received: a month's dues (settling its bill) or a voluntary payment (no bill).

    `reference` is unique: a bill's payment carries the bill's reference code, so the same bill
    cannot be paid twice; the bill itself is unique too (a second guard)."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_payments",
        verbose_name=_("party member"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="dues_payments",
        verbose_name=_("branch"),
    )
    bill = models.OneToOneField(
        DuesBill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("dues bill"),
    )
    receipt = models.ForeignKey(
        Receipt,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("receipt"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentKind.choices)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DuesPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["organization", "paid_on"])]
        constraints = [
            models.CheckConstraint(name="dues_payment_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="dues_payment_bill_iff_dues",
                condition=Q(kind="dues", bill__isnull=False) | (~Q(kind="dues") & Q(bill=None)),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Remittance(models.Model):
    """A branch's collected dues of one month handed upward (上缴), checked against what the
    branch collected for that month."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="dues_remittances",
        verbose_name=_("branch"),
    )
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), **MONEY)
    remitted_on = models.DateField(_("remitted on"))
    document_reference = models.CharField(_("document reference"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RemittanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues remittance")
        verbose_name_plural = _("dues remittances")
        ordering = ["-month", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_one_remittance"),
            models.CheckConstraint(name="dues_remittance_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(name="dues_remittance_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%Y-%m}"


class LedgerKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocated to a branch")
    TRAINING = "training", _("Training of members")
    HARDSHIP = "hardship", _("Care visits to members in hardship")
    COMMENDATION = "commendation", _("Commendations")
    MATERIALS = "materials", _("Education materials")
    OTHER = "other", _("Other party work")


class LedgerEntry(models.Model):
    """A line of the sub-district's use ledger: money allocated down to a branch (下拨) or
    spent on a purpose, always with the document that authorises it."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="dues_ledger",
        verbose_name=_("sub-district"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dues_ledger",
        verbose_name=_("branch"),
    )
    kind = models.CharField(_("purpose"), max_length=20, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    entry_on = models.DateField(_("date"))
    document_reference = models.CharField(_("document reference"), max_length=60)
    description = models.CharField(_("description"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues ledger entry")
        verbose_name_plural = _("dues ledger entries")
        ordering = ["-entry_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="dues_ledger_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="dues_ledger_allocation_names_branch",
                condition=~Q(kind="allocation") | Q(organization__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_on} {self.get_kind_display()} {self.amount}"


class ArrearsException(models.Model):
    """The sub-district's recorded exception: this member may be transferred out with unpaid
    months, for transfers issued up to `valid_until`."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_exceptions",
        verbose_name=_("party member"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ArrearsExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues arrears exception")
        verbose_name_plural = _("dues arrears exceptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} {self.valid_until}"


class DuesReminder(models.Model):
    """The claim of one reminder (a month's bill, or three months unpaid), sent once."""

    class Kind(models.TextChoices):
        BILL_DUE = "bill_due", _("Bill due")
        THREE_MONTHS = "three_months", _("Three months unpaid")

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="dues_reminders"
    )
    month = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues reminder")
        verbose_name_plural = _("dues reminders")
        constraints = [
            models.UniqueConstraint(fields=["member", "month", "kind"], name="dues_one_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.kind}"


class BankStatement(models.Model):
    """An uploaded bank statement of a branch (CSV or XLSX), its columns as mapped."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="dues_statements",
        verbose_name=_("branch"),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    columns = models.JSONField(_("columns"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BankStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class LineState(models.TextChoices):
    MATCHED = "matched", _("Matched by reference")
    PROPOSED = "proposed", _("Proposed")
    UNMATCHED = "unmatched", _("Not matched")
    CONFIRMED = "confirmed", _("Confirmed")


class StatementLine(models.Model):
    """A credit line of a statement; its bank transaction number is unique across every
    statement, so the same line uploaded twice is refused."""

    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("bank statement"),
    )
    row = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    payer = models.CharField(_("payer"), max_length=100, blank=True)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    bank_reference = models.CharField(_("bank transaction number"), max_length=60, unique=True)
    bill = models.ForeignKey(
        DuesBill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dues bill"),
    )
    state = models.CharField(_("state"), max_length=20, choices=LineState.choices)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "row"]

    def __str__(self) -> str:
        return self.bank_reference


class DeclarationState(models.TextChoices):
    PENDING = "pending", _("Awaiting the secretary")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class BaseDeclaration(models.Model):
    """A base the member declares themselves (yearly, or on a change of income), dated; it is in
    force only once the branch's secretary confirms it (it then becomes a `DuesBase`). Personal
    data: the member, their secretary and staff only."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_declarations",
        verbose_name=_("party member"),
    )
    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    amount = models.DecimalField(_("base"), default=Decimal("0"), **MONEY)
    started_on = models.DateField(_("in force from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DeclarationState.choices,
        default=DeclarationState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    base = models.OneToOneField(
        DuesBase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declaration",
        verbose_name=_("dues base"),
    )

    objects = BaseDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("base declaration")
        verbose_name_plural = _("base declarations")
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="pending"),
                name="dues_one_pending_declaration",
            ),
            models.CheckConstraint(
                name="dues_declaration_not_negative", condition=Q(amount__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.started_on:%Y-%m}"
