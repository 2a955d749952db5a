"""What dues add to a transfer (registered in `members.extensions` from `DuesConfig.ready`).

A registry rather than a signal: the transfer service calls the check inside its transaction and
turns the refusal into its own `TransferRefused` on the form, in a fixed order, with nothing
dispatched behind its back (the house style keeps signals out of business flow), and `members`
never imports `dues`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dues import figures
from dues.models import ArrearsException

if TYPE_CHECKING:
    from members.models import Member, Transfer


def unpaid_months_refusal(member: Member, issued_on: dt.date) -> str | None:
    """A member with unpaid months is not sent out, unless the sub-district recorded an
    exception valid on the letter's day."""
    months = figures.unpaid_months(member.pk)
    months = [m for m in months if m <= issued_on]
    if not months:
        return None
    if ArrearsException.objects.filter(member=member, valid_until__gte=issued_on).exists():
        return None
    return _(
        "%(name)s has %(count)s unpaid months of dues (%(months)s); they are paid first, or the "
        "sub-district records an exception."
    ) % {
        "name": member.full_name,
        "count": len(months),
        "months": "、".join(f"{m:%Y-%m}" for m in months[:6]),
    }


def paid_through_line(transfer: Transfer) -> list[tuple[str, str]]:
    """党费交至 YYYY年MM月, as the dues stood on the day the letter was issued."""
    month = figures.paid_through(transfer.member_id, transfer.issued_on)
    if month is None:
        return [(_("Dues paid up to"), _("No dues paid in this portal"))]
    return [
        (
            _("Dues paid up to"),
            _("%(year)s-%(month)02d") % {"year": month.year, "month": month.month},
        )
    ]
