"""The rules of branch structure (支部条例): pure functions, no ORM. The term rules (任期意见)
live in `committees.rules`.

Figures here are firm national ones (shared/domain/RULES.md), so they are named constants; local
figures live in settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# 党支部 needs at least 3 full members; below that, units form a joint branch.
MIN_FULL_MEMBERS = 3
# A branch committee is required from 7 full members.
COMMITTEE_REQUIRED_FROM = 7
# The normal maximum size of a 党支部.
MAX_BRANCH_MEMBERS = 50
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
        if facts.is_joint and facts.covered_units > MAX_JOINT_UNITS:
            warnings.append(
                StructureWarning(
                    "joint_too_many_units",
                    _("A joint branch covers more than %(n)d units.") % {"n": MAX_JOINT_UNITS},
                )
            )
    if facts.is_temporary and facts.ends_on is not None and facts.ends_on < today:
        warnings.append(
            StructureWarning("temporary_past_end", _("A temporary branch past its end date."))
        )
    if facts.term_planned_end is not None and facts.term_planned_end < today:
        warnings.append(StructureWarning("term_expired", _("The committee's term has expired.")))
    return warnings
