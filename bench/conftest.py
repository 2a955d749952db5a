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

    def record(self, label: str, **figures: float) -> None:
        """Keep figures measured once (throughput, counts) next to the timed rows."""
        self.rows[label] = {key: round(value, 2) for key, value in figures.items()}

    def write(self) -> None:
        if not self.rows:
            return
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{self.name}.json").write_text(json.dumps(self.rows, indent=2))
        width = max(len(label) for label in self.rows)
        print(f"\n{self.name}")
        for label, row in self.rows.items():
            if "median_ms" in row:
                median, p95 = row["median_ms"], row["p95_ms"]
                print(f"  {label:<{width}}  median {median:>8} ms  p95 {p95:>8} ms")
            else:
                figures = "  ".join(f"{key} {value}" for key, value in row.items())
                print(f"  {label:<{width}}  {figures}")


@pytest.fixture
def timer(request):
    timer = Timer(request.node.name)
    yield timer
    timer.write()


@pytest.fixture(autouse=True)
def _build_every_time(settings):
    """The timed benchmarks measure building a page; `bench/load.py` measures pages served as in
    production, their cached summaries included (config/pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0
