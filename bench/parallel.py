"""Run one callable per client in real threads, released together by a barrier."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_parallel(workers: list[Callable[[], Any]]) -> tuple[float, list[Any]]:
    """Start every worker at once; return the wall-clock seconds and their results."""
    barrier = threading.Barrier(len(workers) + 1)
    results: list[Any] = [None] * len(workers)

    def run(index: int, worker: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = worker()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, results
