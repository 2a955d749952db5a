from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

RESULTS = Path(__file__).parent / "results"


class Timer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[str, dict[str, float]] = {}

    def measure(self, label: str, func: Callable[[], object], *, repeat: int = 20) -> None:
        func()  # warm-up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            samples.append((time.perf_counter() - start) * 1000)
        self.rows[label] = {
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(sorted(samples)[int(len(samples) * 0.95) - 1], 2),
            "runs": repeat,
        }

    def write(self) -> None:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{self.name}.json").write_text(json.dumps(self.rows, indent=2))
        width = max(len(label) for label in self.rows)
        print(f"\n{self.name}")
        for label, row in self.rows.items():
            print(f"  {label:<{width}}  median {row['median_ms']:>8} ms  p95 {row['p95_ms']:>8} ms")


@pytest.fixture
def timer(request):
    timer = Timer(request.node.name)
    yield timer
    timer.write()
