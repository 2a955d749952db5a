"""Pure rules of volunteer service: credit hours, the honour-hours cap, certificate numbers."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

SIGN_IN_CODE_LENGTH = 6
# A resident has at most this many wishes waiting (open or claimed) at a time.
MAX_OPEN_WISHES = 3


def credit_minutes(
    *,
    signed_in_at: dt.datetime,
    signed_out_at: dt.datetime,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> int:
    """Whole minutes served inside the activity's time: arriving early or leaving late earns
    nothing beyond the activity's length, so credit never exceeds it."""
    start = max(signed_in_at, starts_at)
    end = min(signed_out_at, ends_at)
    if end <= start:
        return 0
    return int((end - start).total_seconds() // 60)


def honour_cap(*, length_minutes: int, credit: int) -> int:
    """Most honour minutes an enrollment may carry: credit plus honour never exceed the
    activity's length (民政部令第67号 practice: added hours are capped by the service time)."""
    return max(length_minutes - credit, 0)


def hours(minutes: int) -> Decimal:
    """Minutes shown as hours with one decimal, rounded half up."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def default_certificate_prefix(sub_district_name: str) -> str:
    """如意湖办事处 → 如意湖志证; 北林路街道 → 北林路志证."""
    base = sub_district_name
    for suffix in ("街道办事处", "办事处", "街道", "镇", "乡"):
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    return f"{base}志证"


def certificate_number(*, prefix: str, year: int, serial: int) -> str:
    """如意湖志证〔2026〕第0001号."""
    return f"{prefix}〔{year}〕第{serial:04d}号"
