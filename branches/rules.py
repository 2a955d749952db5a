"""The rules of branch structure (支部条例): pure functions, no ORM. The term rules (任期意见)
live in `committees.rules`.

Figures here are firm national ones (shared/domain/RULES.md), so they are named constants; local
figures live in settings.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# 党支部 needs at least 3 full members; below that, units form a joint branch.
MIN_FULL_MEMBERS = 3
# A branch committee is required from 7 full members.
COMMITTEE_REQUIRED_FROM = 7
# The normal maximum size of a 党支部.
MAX_BRANCH_MEMBERS = 50
# A branch committee has 3–5 members, at most 7.
COMMITTEE_MIN_SIZE = 3
COMMITTEE_NORMAL_MAX_SIZE = 5
COMMITTEE_MAX_SIZE = 7
# A project or courtyard branch is set up for work lasting at least 6 months.
TEMPORARY_MIN_MONTHS = 6
# A joint branch covers at most 5 units.
MAX_JOINT_UNITS = 5

# Which kinds of organisation may sit directly under which.
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    "work_committee": frozenset({"committee", "general_branch", "branch"}),
    "committee": frozenset({"general_branch", "branch"}),
    "general_branch": frozenset({"branch"}),
    "branch": frozenset({"party_group"}),
    "party_group": frozenset(),
}


def may_contain(parent_kind: str | None, child_kind: str) -> bool:
    """Whether an organisation of `child_kind` may sit under one of `parent_kind` (None: root)."""
    if parent_kind is None:
        return child_kind == "work_committee"
    return child_kind in ALLOWED_CHILDREN.get(parent_kind, frozenset())


@dataclass(frozen=True)
class SizeLimits:
    """The local member figures of a 总支 and a grassroots 党委 (`StructureSettings`)."""

    general_branch_min: int = 50
    general_branch_max: int = 100
    committee_min: int = 100


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class StructureFacts:
    kind: str
    full_members: int
    total_members: int
    has_committee: bool
    is_joint: bool
    covered_units: int
    is_temporary: bool
    ends_on: dt.date | None
    term_planned_end: dt.date | None
    is_active: bool = True
    committee_size: int | None = None
    founded_on: dt.date | None = None
    limits: SizeLimits = SizeLimits()


@dataclass(frozen=True)
class StructureWarning:
    code: str
    message: str

    def __post_init__(self) -> None:
        # Render a lazy message once, in the language active now, not at every use.
        object.__setattr__(self, "message", str(self.message))


def structure_warnings(facts: StructureFacts, today: dt.date) -> list[StructureWarning]:
    """What an inspection would flag about one organisation's structure."""
    if not facts.is_active:
        return []
    warnings: list[StructureWarning] = []
    if facts.kind == "branch":
        if facts.full_members < MIN_FULL_MEMBERS:
            warnings.append(
                StructureWarning(
                    "too_few_full_members",
                    _("Fewer than %(n)d full members: a branch needs at least %(n)d.")
                    % {"n": MIN_FULL_MEMBERS},
                )
            )
        if facts.full_members >= COMMITTEE_REQUIRED_FROM and not facts.has_committee:
            warnings.append(
                StructureWarning(
                    "committee_missing",
                    _("%(n)d or more full members and no branch committee.")
                    % {"n": COMMITTEE_REQUIRED_FROM},
                )
            )
        if facts.total_members > MAX_BRANCH_MEMBERS:
            warnings.append(
                StructureWarning(
                    "too_many_members",
                    _("More than %(n)d members: consider a general branch or splitting.")
                    % {"n": MAX_BRANCH_MEMBERS},
                )
            )
        if facts.has_committee and facts.full_members < COMMITTEE_REQUIRED_FROM:
            warnings.append(
                StructureWarning(
                    "committee_below_threshold",
                    _(
                        "A branch committee kept with fewer than %(n)d full members: such a "
                        "branch has a secretary (and a deputy if needed), no committee."
                    )
                    % {"n": COMMITTEE_REQUIRED_FROM},
                )
            )
        if facts.is_joint and facts.covered_units > MAX_JOINT_UNITS:
            warnings.append(
                StructureWarning(
                    "joint_too_many_units",
                    _("A joint branch covers more than %(n)d units.") % {"n": MAX_JOINT_UNITS},
                )
            )
    if facts.has_committee and facts.committee_size is not None:
        if facts.committee_size < COMMITTEE_MIN_SIZE:
            warnings.append(
                StructureWarning(
                    "committee_too_small",
                    _("The committee has %(size)d members: it should have %(min)d to %(max)d.")
                    % {
                        "size": facts.committee_size,
                        "min": COMMITTEE_MIN_SIZE,
                        "max": COMMITTEE_NORMAL_MAX_SIZE,
                    },
                )
            )
        elif facts.committee_size > COMMITTEE_MAX_SIZE:
            warnings.append(
                StructureWarning(
                    "committee_too_large",
                    _("The committee has %(size)d members: at most %(max)d are allowed.")
                    % {"size": facts.committee_size, "max": COMMITTEE_MAX_SIZE},
                )
            )
    limits = facts.limits
    if facts.kind == "general_branch" and not (
        limits.general_branch_min <= facts.total_members <= limits.general_branch_max
    ):
        warnings.append(
            StructureWarning(
                "general_branch_size",
                _("A general branch has %(min)d to %(max)d members; this one has %(n)d.")
                % {
                    "min": limits.general_branch_min,
                    "max": limits.general_branch_max,
                    "n": facts.total_members,
                },
            )
        )
    if facts.kind == "committee" and facts.total_members < limits.committee_min:
        warnings.append(
            StructureWarning(
                "party_committee_too_small",
                _("A grassroots party committee has at least %(min)d members; this one has %(n)d.")
                % {"min": limits.committee_min, "n": facts.total_members},
            )
        )
    if (
        facts.is_temporary
        and facts.founded_on is not None
        and facts.ends_on is not None
        and facts.ends_on < add_months(facts.founded_on, TEMPORARY_MIN_MONTHS)
    ):
        warnings.append(
            StructureWarning(
                "temporary_too_short",
                _(
                    "A project branch planned for less than %(n)d months: one is set up only "
                    "for work lasting at least %(n)d months."
                )
                % {"n": TEMPORARY_MIN_MONTHS},
            )
        )
    if facts.is_temporary and facts.ends_on is not None and facts.ends_on < today:
        warnings.append(
            StructureWarning("temporary_past_end", _("A temporary branch past its end date."))
        )
    if facts.term_planned_end is not None and facts.term_planned_end < today:
        # Overdue: the term (with any extension the level above approved) has ended and no
        # election is recorded; an election opens a new term, which clears it.
        warnings.append(
            StructureWarning(
                "election_overdue",
                _(
                    "Election overdue: the committee's term ended on %(day)s and no election "
                    "has been recorded (%(days)d days)."
                )
                % {
                    "day": facts.term_planned_end.isoformat(),
                    "days": (today - facts.term_planned_end).days,
                },
            )
        )
    return warnings
