"""Where apps above `branches` take part in the tree without `branches` importing them
(docs/architecture.md: an app imports only apps below it).

- `members`: a merge or a split moves the branch's members to the new organisation, each with a
  line in their history: `members.services.reassign_members` does it, and `MembersConfig.ready()`
  registers it here. The member model itself is named through the app registry (`apps.get_model`)
  for the member counts and the split form.
- `committees`: the structure figures read each organisation's current term, archiving an
  organisation ends its term, and the organisation page shows its committee;
  `committees/organization.py` does each, and `CommitteesConfig.ready()` registers it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from branches.models import Organization

# reassign(*, members, to, actor, reason) -> number of members moved, inside the caller's
# transaction.
MemberMover = Callable[..., int]
_member_mover: list[MemberMover] = []


def set_member_mover(mover: MemberMover) -> None:
    _member_mover[:] = [mover]


def reassign_members(*, members: Any, to: Any, actor: Any, reason: str) -> int:
    if not _member_mover:
        raise ImproperlyConfigured("The members app registers its member mover on ready().")
    return _member_mover[0](members=members, to=to, actor=actor, reason=reason)


def member_model() -> type[Model]:
    """`members.Member`, by the app registry."""
    return apps.get_model("members", "Member")


class CurrentTerm(NamedTuple):
    planned_end_on: dt.date
    size: int


@dataclass(frozen=True)
class Committees:
    """What the tree needs of branch committees.

    `current_terms(organization_ids)`: the planned end and the size (positions held) of each
    organisation's current term, for those that have one (one query);
    `end_terms(organization, on)`: end the organisation's current term on `on`, inside the
    caller's transaction (an archived organisation has no committee);
    `section(request, organization)`: the committee section of the organisation page, as HTML.
    """

    current_terms: Callable[[Collection[int]], dict[int, CurrentTerm]]
    end_terms: Callable[[Organization, dt.date], None]
    section: Callable[[HttpRequest, Organization], str]


_committees: list[Committees] = []


def set_committees(committees: Committees) -> None:
    _committees[:] = [committees]


def committees() -> Committees:
    if not _committees:
        raise ImproperlyConfigured("The committees app registers its committees on ready().")
    return _committees[0]
