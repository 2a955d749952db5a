"""The quarterly report pack of one sub-district of the seed_scale district, at 1x and at 2x.

1. Seeds the district (`demo.scale.build_all`: members with their history, a year of meetings
   with attendance, bookings, volunteer hours) and analyses it.
2. At 1x, for each format (xlsx, docx, csv, pack): the build (figures + writer) alternated with
   its SQL floor, A B A B, `BENCH_ROUNDS` rounds; the median of the per-round ratios build /
   floor, goal <= 3. The floor is the SQL the build runs, replayed through a bare cursor (every
   row fetched, no ORM, no Python): what the database must do for these figures, so the ratio is
   what the ORM, the figures' Python and the writer add on top. The DOCX (and the pack, which
   holds it) also draws its charts as pictures (issue 25, ADR 0010), work with no SQL beside it:
   their floor adds the same pictures drawn bare (`_bare_pictures`: the same bars, labels and
   size through matplotlib, nothing else), and the DOCX without its pictures is printed beside
   the SQL floor alone.
3. Grows the district to 2x (`--factor 2`: as many sub-districts again, of the same size; the
   measured sub-district is unchanged), analyses, and builds the same pack again: the ratio of
   the median builds 2x / 1x, goal <= 1.3.
4. At both sizes: EXPLAIN of the members-on-the-roll query must read members through an index,
   branch by branch, never a sequential scan of the whole table.

Each figure is printed with the load average beside it, and ok or MISSED. Sizes:
BENCH_REPORT_SUB_DISTRICTS (default 12, as seed_scale) and BENCH_REPORT_YEARS (years of
meetings, default 1: the quarter measured is the last finished one).
"""

from __future__ import annotations

import io
import os
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import SubDistrict
from config.periods import quarter
from demo import scale
from reports.figures import build_figures, in_memory_planning, roll_of
from reports.pictures import DPI, HEIGHT_IN, WIDTH_IN, table_picture
from reports.scope import ReportScope
from reports.services import last_finished_quarter
from reports.writers import CHARTED_TABLES, WRITERS

pytestmark = pytest.mark.django_db

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
SHAPE = scale.ScaleShape(
    sub_districts=int(os.environ.get("BENCH_REPORT_SUB_DISTRICTS", "12")),
    years_of_meetings=int(os.environ.get("BENCH_REPORT_YEARS", "1")),
)
META = {"version": "1", "generated_at": "bench", "generated_by": "bench"}
GROWTH_GOAL = 1.3
FLOOR_GOAL = 3.0
# The pack's statements: a fixed number whatever the size of the sub-district (asserted again at
# 2x below, and in tests/reports/test_figures.py); it grows with the pack's tables (118 in
# December 2026, with grids, opinions, courses, campaigns and care money), not with the data.
MAX_STATEMENTS = 130


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


# The goals this run missed: asserted at the end, once every figure is printed, so the summary's
# verdict (conftest.py) says MISSED when one line does.
_MISSED: list[str] = []


def _verdict(ratio: float, goal: float, what: str = "") -> str:
    if ratio <= goal:
        return "ok"
    _MISSED.append(f"{what} {ratio:.2f} > {goal:g}")
    return "MISSED"


def _ms(func: Callable[[], Any]) -> float:
    started = time.perf_counter()
    func()
    return (time.perf_counter() - started) * 1000


def _verdict_of(passed: bool, what: str = "") -> str:
    if not passed:
        _MISSED.append(what)
    return "ok" if passed else "MISSED"


def _seed(factor: int) -> float:
    started = time.perf_counter()
    scale.build_all(SHAPE, factor=factor)  # ends with ANALYZE on PostgreSQL
    return time.perf_counter() - started


SERVER_CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ', re.S)


def _replay(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(SERVER_CURSOR.sub("", sql))  # an .iterator() read, fetched whole
            if cursor.description is not None:
                cursor.fetchall()


def _bare_pictures(charted: list[tuple[dict, tuple]]) -> None:
    """The floor of the DOCX's pictures: each chart's values and category labels drawn by
    matplotlib at the same size and resolution, with the same font, and saved as PNG, with nothing
    a reader would add (no title, legend, colours, layout pass or rotated labels): what the
    library must do for these pictures at the least."""
    from matplotlib.figure import Figure

    from reports.pictures import _font, _number

    font = _font()
    for table, (kind, category_column, value_columns) in charted:
        labels = [str(row[category_column]) for row in table["rows"]]
        values = [_number(row[value_columns[0]]) or 0 for row in table["rows"]]
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        axes = figure.subplots()
        if kind == "pie":
            axes.pie(values, labels=labels, textprops={"fontproperties": font})
        else:
            for offset, column in enumerate(value_columns):
                series = [_number(row[column]) or 0 for row in table["rows"]]
                axes.bar([i + offset * 0.4 for i in range(len(labels))], series, width=0.4)
            axes.set_xticks(range(len(labels)), labels, fontproperties=font)
        figure.savefig(io.BytesIO(), format="png", dpi=DPI)


def _roll_plan(scope: ReportScope, year: int, number: int) -> str:
    with CaptureQueriesContext(connection) as captured:
        roll_of(scope, quarter(year, number))
    sql = next(q["sql"] for q in captured.captured_queries if '"roll_from" <=' in q["sql"])
    with in_memory_planning(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _members_read_by_index(plan: str) -> bool:
    return "Seq Scan on members_member" not in plan and "on members_member" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner figures need PostgreSQL")
def test_report_pack_beside_its_floor_and_at_twice_the_district(
    timer, capsys, django_assert_max_num_queries
):
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        with capsys.disabled():
            print(line, flush=True)

    seconds = _seed(1)
    sub_district = (
        SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).order_by("pk").first()
    )
    scope = ReportScope(sub_district=sub_district)
    year, number = last_finished_quarter()
    say(f"\nreport pack, {sub_district.name}, {year} Q{number}; 1x seeded in {seconds:.0f} s")

    # A bounded number of queries, whatever the size of the sub-district.
    with (
        django_assert_max_num_queries(MAX_STATEMENTS),
        CaptureQueriesContext(connection) as captured,
    ):
        figures = build_figures(scope, year, number)
    statements = [q["sql"] for q in captured.captured_queries]
    life = next(s for s in figures["sections"] if s["key"] == "organisational_life")
    branches = len(life["tables"][0]["rows"])
    assert branches > 20
    say(
        f"  {len(statements)} queries; {branches} branches; members on the roll "
        f"{figures['sections'][0]['figures']['members']}; attendance rate "
        f"{life['figures']['attendance_rate']}%"
    )

    plan_1x = _roll_plan(scope, year, number)
    read = _verdict_of(_members_read_by_index(plan_1x), "1x roll plan")
    say(f"  1x roll plan reads members by index: {read}")

    # The charts the DOCX draws as pictures (ADR 0010); a table with nothing to draw has none.
    charted = [
        (table, CHARTED_TABLES[section["key"], table["key"]])
        for section in figures["sections"]
        for table in section["tables"]
        if (section["key"], table["key"]) in CHARTED_TABLES
        and table_picture(table, *CHARTED_TABLES[section["key"], table["key"]]) is not None
    ]
    drawn = statistics.median(
        _ms(lambda: [table_picture(table, *spec) for table, spec in charted]) for _ in range(ROUNDS)
    )

    # Each format beside its floor, alternated. The DOCX's and the pack's floor also draws their
    # pictures bare: matplotlib's least for the same pictures, as the SQL is the database's least.
    pictured = {"docx", "pack"}
    for name, write in WRITERS.items():

        def build(write=write) -> None:
            write(build_figures(scope, year, number), io.BytesIO(), META)

        def floor(name=name) -> None:
            _replay(statements)
            if name in pictured:
                _bare_pictures(charted)

        build()
        floor()  # warm-up
        builds, floors, ratios = [], [], []
        for _ in range(ROUNDS):
            a = _ms(build)
            b = _ms(floor)
            builds.append(a)
            floors.append(b)
            ratios.append(a / b)
        ratio = statistics.median(ratios)
        what = "SQL + bare pictures floor" if name in pictured else "SQL floor"
        timer.record(
            f"{name}: build vs {what}",
            build_ms=statistics.median(builds),
            floor_ms=statistics.median(floors),
            median_ratio=ratio,
            load=os.getloadavg()[0],
        )
        say(
            f"  {name:<5} build {statistics.median(builds):7.1f} ms  {what} "
            f"{statistics.median(floors):6.1f} ms  median ratio {ratio:4.2f} "
            f"(goal <= {FLOOR_GOAL:g}) {_verdict(ratio, FLOOR_GOAL, name)}  {_load()}"
        )

    # The DOCX's own writing, judged against the SQL alone: its build less its pictures.
    bare = statistics.median(_ms(lambda: _bare_pictures(charted)) for _ in range(ROUNDS))
    sql_floor = statistics.median(_ms(lambda: _replay(statements)) for _ in range(ROUNDS))
    docx = timer.rows["docx: build vs SQL + bare pictures floor"]
    without = docx["build_ms"] - drawn
    say(
        f"  docx pictures: {len(charted)} charts drawn in {drawn:.1f} ms (bare: {bare:.1f} ms, "
        f"x{drawn / bare:.2f}); the docx without them {without:.1f} ms, "
        f"{without / sql_floor:.2f}x the SQL floor ({sql_floor:.1f} ms) "
        f"{_verdict(without / sql_floor, FLOOR_GOAL, 'docx without pictures')}"
    )

    def whole_pack() -> None:
        WRITERS["pack"](build_figures(scope, year, number), io.BytesIO(), META)

    one = statistics.median(_ms(whole_pack) for _ in range(ROUNDS))
    say(f"  1x: whole pack {one:.1f} ms (median of {ROUNDS})  {_load()}")

    seconds = _seed(2)
    say(f"  2x seeded in {seconds:.0f} s")
    plan_2x = _roll_plan(scope, year, number)
    read = _verdict_of(_members_read_by_index(plan_2x), "2x roll plan")
    say(f"  2x roll plan reads members by index: {read}")
    whole_pack()  # warm-up
    two = statistics.median(_ms(whole_pack) for _ in range(ROUNDS))
    growth = two / one
    say(f"  2x: whole pack {two:.1f} ms (median of {ROUNDS})  {_load()}")
    verdict = _verdict(growth, GROWTH_GOAL, "growth")
    say(f"  growth 2x / 1x {growth:.2f} (goal <= {GROWTH_GOAL:g}) {verdict}")
    timer.record("whole pack 1x vs 2x", one_ms=one, two_ms=two, ratio=growth)
    with django_assert_max_num_queries(len(statements)):
        build_figures(scope, year, number)
    if SHAPE.sub_districts >= 12:  # a sub-district of a smaller district is rightly read whole
        assert _members_read_by_index(plan_1x), plan_1x
        assert _members_read_by_index(plan_2x), plan_2x
    assert not _MISSED, "goals missed: " + "; ".join(_MISSED)
