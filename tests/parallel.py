"""Run callables at the same instant in real threads, each on its own database connection.

For tests of rules that must hold under parallel requests: mark the test
`@pytest.mark.django_db(transaction=True)` (a thread cannot see the test's open transaction)
and skip it off PostgreSQL, whose row locks are what is being tested.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Release every call at once (a barrier) and return, in order, what each returned or the
    exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - handed back to the test to assert on
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
