"""Read logic of dues, and how each row reaches the organisation tree (`visible_to`).

A bill, a payment, a receipt and a remittance belong to the branch that billed or collected
them; a base and an exception to the member (through the branch keeping the record); the use
ledger and the settings to the sub-district.
"""

from __future__ import annotations

import datetime as dt

from accounts.dated import DatedSpanQuerySet
from accounts.scope import ScopedQuerySet


class DuesBaseQuerySet(ScopedQuerySet, DatedSpanQuerySet):
    scope_organization_prefix = "member__organization__"


class DuesBillQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def unpaid(self) -> DuesBillQuerySet:
        return self.filter(paid_on__isnull=True)

    def overdue(self, today: dt.date) -> DuesBillQuerySet:
        """Unpaid bills of the months before `today`'s month."""
        return self.unpaid().filter(month__lt=today.replace(day=1))

    def paid_by(self, day: dt.date) -> DuesBillQuerySet:
        """Bills paid on or before `day` (what the ledger showed that day)."""
        return self.filter(paid_on__lte=day)


class DuesPaymentQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class ReceiptQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class RemittanceQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class ArrearsExceptionQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"


class LedgerEntryQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class DuesSettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class BankStatementQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class BaseDeclarationQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"
