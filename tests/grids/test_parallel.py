"""The 联系户 and 3+2+1 limits hold when two assignments for one member arrive at once.

The interleaving is forced, not hoped for: the first assignment runs inside a transaction that
stays open (its row lock on the member held, its new row not yet committed) while the second
one is attempted on another connection. Under the lock the second waits, then counts the first
and is refused; without the lock it would count only the committed rows and pass the limit.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from accounts.errors import DomainError
from grids import services
from grids.models import AssistancePairing, ContactAssignment, GridSettings
from tests.grids.conftest import make_household

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.date(2025, 1, 1)


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def hold_then_try(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run `first` in a transaction kept open until `second` (started on another connection
    once `first` is done) has finished or is seen waiting on a lock; then commit `first`.
    Return what each returned or raised."""
    first_done, second_done = threading.Event(), threading.Event()
    outcomes: list[Any] = [None, None]

    def hold() -> None:
        try:
            with transaction.atomic():
                outcomes[0] = first()
                first_done.set()
                deadline = time.monotonic() + 10
                while not second_done.is_set() and time.monotonic() < deadline:
                    if _someone_waits_on_a_lock():
                        break
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcomes[0] = exc
        finally:
            first_done.set()
            connections.close_all()

    def attempt() -> None:
        try:
            first_done.wait(10)
            outcomes[1] = second()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcomes[1] = exc
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=hold), threading.Thread(target=attempt)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes[0], outcomes[1]


@pytest.fixture
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")


@pytest.mark.usefixtures("_postgres_only")
def test_contact_limit_holds_when_a_second_assignment_arrives_mid_transaction(
    clock, grid, member, staff
):
    clock.set(dt.date(2026, 3, 16))
    limit = GridSettings(sub_district_id=grid.community.sub_district_id).contact_max_households
    homes = [make_household(grid, address=f"{n}号楼") for n in range(limit + 1)]
    for home in homes[: limit - 1]:
        services.assign_contact(member=member, household=home, actor=staff, started_on=START)

    def assign(home):  # noqa: ANN001, ANN202
        return lambda: services.assign_contact(
            member=member, household=home, actor=staff, started_on=START
        )

    first, second = hold_then_try(assign(homes[-2]), assign(homes[-1]))
    assert isinstance(first, ContactAssignment), first
    assert isinstance(second, DomainError), second
    assert str(limit) in second.message
    assert ContactAssignment.objects.filter(member=member).count() == limit


@pytest.mark.usefixtures("_postgres_only")
def test_pairing_limit_holds_when_a_second_pairing_arrives_mid_transaction(
    clock, grid, member, staff
):
    clock.set(dt.date(2026, 3, 16))
    homes = [make_household(grid, address=f"{n}号楼", is_low_income=True) for n in range(2)]

    def pair(home):  # noqa: ANN001, ANN202
        return lambda: services.pair_for_assistance(
            member=member, household=home, tier="member", actor=staff, started_on=START
        )

    first, second = hold_then_try(pair(homes[0]), pair(homes[1]))
    assert isinstance(first, AssistancePairing), first
    assert isinstance(second, DomainError), second
    assert AssistancePairing.objects.filter(member=member).count() == 1
