from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.signin import _force_login_passes_two_factor  # noqa: F401 (an autouse fixture)

RESULTS = Path(__file__).parent / "results"
QUIET_LOAD = 2.0  # figures taken at a higher load average are not the measure

# Each benchmark's table (its node id, its lines, the load average when it was written) and each
# benchmark's outcome: printed together at the end of the run (`pytest_terminal_summary`), so
# `make bench` shows every figure without `-s`. A benchmark asserts its own goals (the ratio to
# its floor, the p95, the statement count), so its outcome is the verdict: ok, or MISSED.
_TABLES: list[tuple[str, list[str], float]] = []
_OUTCOMES: dict[str, str] = {}


class Timer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[str, dict[str, float]] = {}

    def measure(self, label: str, func: Callable[[], object], *, repeat: int = 20) -> None:
        """Time `func`; a page or API call must answer 200, or the figure would time a redirect
        (to sign-in or the second factor) or an error page."""
        answer = func()  # warm-up
        status = getattr(answer, "status_code", 200)
        assert status == 200, f"{label}: answered {status}, not 200; nothing would be measured"
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

    def write(self, nodeid: str = "") -> None:
        if not self.rows:
            return
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{self.name}.json").write_text(json.dumps(self.rows, indent=2))
        width = max(len(label) for label in self.rows)
        lines = []
        for label, row in self.rows.items():
            if "median_ms" in row:
                median, p95 = row["median_ms"], row["p95_ms"]
                lines.append(f"  {label:<{width}}  median {median:>8} ms  p95 {p95:>8} ms")
            else:
                figures = "  ".join(f"{key} {value}" for key, value in row.items())
                lines.append(f"  {label:<{width}}  {figures}")
        print(f"\n{self.name}")
        print("\n".join(lines))
        _TABLES.append((nodeid or self.name, lines, os.getloadavg()[0]))


@pytest.fixture
def timer(request):
    timer = Timer(request.node.name)
    yield timer
    timer.write(request.node.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.failed or report.skipped:
        _OUTCOMES.setdefault(report.nodeid, report.outcome)
        if report.failed:
            _OUTCOMES[report.nodeid] = "failed"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Every benchmark's figures (beside its floor where it has one), its verdict (ok: every
    goal it asserts was met; MISSED: one was not, see its failure above) and the load average."""
    if not _OUTCOMES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("bench figures")
    tables = {nodeid: (lines, load) for nodeid, lines, load in _TABLES}
    busy = 0
    for nodeid, outcome in _OUTCOMES.items():
        verdict = {"passed": "ok", "failed": "MISSED"}.get(outcome, outcome)
        lines, load = tables.get(nodeid, ([], os.getloadavg()[0]))
        busy += load >= QUIET_LOAD
        flag = " busy" if load >= QUIET_LOAD else ""
        write(f"{nodeid}: goals {verdict} (load average {load:.2f}{flag})")
        for line in lines:
            write(line)
    if busy:
        write(
            f"{busy} benchmark(s) ran at load average ≥ {QUIET_LOAD:g} (busy): not the issue's "
            "measure, run again on a quiet machine"
        )


@pytest.fixture(autouse=True)
def _build_every_time(settings):
    """The timed benchmarks measure building a page; `bench/load.py` measures pages served as in
    production, their cached summaries included (config/pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0
