"""Where `members`, above `branches`, takes part in the tree's restructuring without `branches`
importing it (docs/architecture.md: an app imports only apps below it).

A merge or a split moves the branch's members to the new organisation, each with a line in their
history: `members.services.reassign_members` does it, and `MembersConfig.ready()` registers it
here. The member model itself is named through the app registry (`apps.get_model`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Model

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
