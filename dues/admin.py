"""Admin of dues: the rule table and the settings are edited here; the books (bases, bills,
payments, receipts, remittances, ledger) are read here and written through the pages' services,
so every money write has its audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import AuditedAdminMixin, ScopedAdminMixin
from dues.models import (
    ArrearsException,
    BankStatement,
    BaseDeclaration,
    DuesBase,
    DuesBill,
    DuesPayment,
    DuesRate,
    DuesSettings,
    LedgerEntry,
    Receipt,
    Remittance,
    StatementLine,
)


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DuesRate)
class DuesRateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["category", "valid_from", "lower_bound", "upper_bound", "rate", "flat_amount"]
    list_filter = ["category", "valid_from"]
    search_fields = ["category"]


@admin.register(DuesSettings)
class DuesSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["sub_district", "join_rule", "advance_months", "farmer_amount", "reminder_day"]
    search_fields = ["sub_district__name"]


@admin.register(DuesBase)
class DuesBaseAdmin(ReadOnlyAdmin):
    list_display = ["member", "category", "started_on", "ended_on"]
    list_filter = ["category"]
    search_fields = ["member__full_name"]
    list_select_related = ["member"]


@admin.register(DuesBill)
class DuesBillAdmin(ReadOnlyAdmin):
    list_display = ["member", "organization", "month", "amount_due", "paid_on", "reference"]
    list_filter = ["month"]
    search_fields = ["member__full_name", "reference"]
    list_select_related = ["member", "organization"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "member", "kind", "amount", "paid_on", "method"]
    list_filter = ["kind", "method"]
    search_fields = ["reference", "member__full_name"]
    list_select_related = ["member"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "member", "organization", "issued_on", "total"]
    list_filter = ["method", "issued_on"]
    search_fields = ["number", "member__full_name"]
    list_select_related = ["member", "organization"]


@admin.register(Remittance)
class RemittanceAdmin(ReadOnlyAdmin):
    list_display = ["organization", "month", "amount", "remitted_on", "document_reference"]
    list_filter = ["month"]
    search_fields = ["organization__name", "document_reference"]
    list_select_related = ["organization"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["entry_on", "sub_district", "kind", "organization", "amount"]
    list_filter = ["kind"]
    search_fields = ["document_reference", "description"]
    list_select_related = ["sub_district", "organization"]


@admin.register(ArrearsException)
class ArrearsExceptionAdmin(ReadOnlyAdmin):
    list_display = ["member", "valid_until", "reason", "created_at"]
    list_filter = ["valid_until"]
    search_fields = ["member__full_name"]
    list_select_related = ["member"]


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    extra = 0
    fields = ["row", "booked_on", "amount", "payer", "memo", "bank_reference", "state"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "organization", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["file_name", "organization__name"]
    list_select_related = ["organization"]
    inlines = [StatementLineInline]


@admin.register(BaseDeclaration)
class BaseDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["member", "category", "started_on", "state", "declared_at", "decided_at"]
    list_filter = ["state", "category"]
    search_fields = ["member__full_name"]
    list_select_related = ["member"]
