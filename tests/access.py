"""The access-matrix helper every staff page and API endpoint test uses.

A matrix maps each role fixture name to the status that role must get; on any refusal the test
also asserts that nothing changed, through a snapshot callable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.test import Client

ROLES = ("anonymous", "resident", "other_secretary", "secretary", "staff")
# A matrix may add roles whose pages differ from the resident's: a member bound to an account
# (`member_user`: a member of the secretary's branch).
OPTIONAL_ROLES = ("member",)


def assert_access(
    clients: Mapping[str, Client],
    url: str,
    expected: Mapping[str, int],
    *,
    method: str = "get",
    data: Any = None,
    snapshot: Callable[[], Any] | None = None,
    content_type: str | None = None,
) -> None:
    roles = ROLES + tuple(role for role in OPTIONAL_ROLES if role in expected)
    assert set(expected) == set(roles), f"the matrix must cover every role: {ROLES}"
    failures = []
    for role in roles:
        before = snapshot() if snapshot else None
        kwargs: dict[str, Any] = {}
        if data is not None:
            kwargs["data"] = data
        if content_type:
            kwargs["content_type"] = content_type
        response = getattr(clients[role], method)(url, **kwargs)
        if response.status_code != expected[role]:
            failures.append(f"{role}: expected {expected[role]}, got {response.status_code}")
        if snapshot and response.status_code >= 300 and snapshot() != before:
            failures.append(f"{role}: refused with {response.status_code} but data changed")
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)
