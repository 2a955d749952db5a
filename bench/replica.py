"""Report builds on a streaming replica while the primary takes the booking load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal python bench/replica.py [--small]

Starts a throw-away streaming replica from this machine's PostgreSQL binaries
(/usr/lib/postgresql/*/bin) with `pg_basebackup -R` into a temporary directory, on a port of its
own, waits until it streams, and then runs two phases of the same length:

1. booking load on the primary (bench/load.py's open-loop client, `--rate` req/s of
   `POST /api/v1/bookings/` through gunicorn) while a worker process builds report packs of one
   sub-district (figures + XLSX, as `reports.services.build_export` does) reading the primary;
2. the same, with the builds reading the replica (`REPORT_DATABASE_URL`, config/dbrouter.py).

It prints, per phase, the bookings' p50/p95 and errors, the builds' median time and how many of
their queries each database ran, the replica's replay lag at the end, and the load average beside
each figure; then stops everything it started and removes the directory (also on Ctrl-C).

Where the replica comes from. Replicating the machine's own cluster needs a `replication` line
in its pg_hba.conf for the bench user over 127.0.0.1 (`host replication postgres 127.0.0.1/32
trust`, or scram), `wal_level = replica` and a free `max_wal_senders` slot; `--machine` uses it
when it is there. This machine's pg_hba.conf has no replication line, and the bench does not
change the machine's configuration, so by default it starts a private primary too: `initdb` in
the same temporary directory, the bench database copied into it with `pg_dump | pg_restore`, and
the replica taken from that primary. Both clusters then run on this machine's cores, beside
gunicorn and the client: the figures show the replica taking the report reads off the primary,
not the speed of a second machine (docs/scaling.md extrapolates).
"""

from __future__ import annotations

import argparse
import atexit
import glob
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: the database, sessions, load generator)

ROOT = load.ROOT


def pg_bin() -> Path:
    """The newest PostgreSQL on the machine that has pg_basebackup."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_basebackup")
    if which:
        return Path(which).parent
    sys.exit("no PostgreSQL binaries found (looked in /usr/lib/postgresql/*/bin and PATH)")


class Clusters:
    """The private primary (unless --machine) and the replica, in one temporary directory."""

    def __init__(self, bindir: Path) -> None:
        self.bin = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="portal-replica-"))
        self.started: list[Path] = []
        # PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        atexit.register(self.cleanup)

    def run(self, program: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [*self.as_user, str(self.bin / program), *args], check=True, **kwargs
        )

    def start(self, datadir: Path, port: int) -> None:
        with (datadir / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\n"
            )
        self.run("pg_ctl", "-D", str(datadir), "-l", str(datadir / "log"), "-w", "start")
        self.started.append(datadir)

    def private_primary(self, port: int) -> Path:
        datadir = self.dir / "primary"
        self.run(
            "initdb", "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        # initdb's pg_hba.conf already lets 127.0.0.1 replicate with --auth=trust.
        with (datadir / "postgresql.auto.conf").open("a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\n")
        self.start(datadir, port)
        return datadir

    def replica_of(self, host: str, port: int, replica_port: int) -> Path:
        datadir = self.dir / "replica"
        self.run(
            "pg_basebackup", "-h", host, "-p", str(port), "-U", "postgres", "-D", str(datadir),
            "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        self.start(datadir, replica_port)
        return datadir

    def cleanup(self) -> None:
        for datadir in reversed(self.started):
            subprocess.run(  # noqa: S603
                [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.started.clear()
        shutil.rmtree(self.dir, ignore_errors=True)


def machine_allows_replication(host: str, port: int) -> bool:
    import psycopg2

    try:
        psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres",
                         replication="true", connect_timeout=3).close()  # fmt: skip
    except psycopg2.Error:
        return False
    return True


def sql(url: str, query: str):
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone() if cursor.description else None


def wait_streaming(primary_url: str, replica_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            streaming = sql(primary_url, "SELECT count(*) FROM pg_stat_replication "
                                         "WHERE state = 'streaming'")[0]  # fmt: skip
            recovering = sql(replica_url, "SELECT pg_is_in_recovery()")[0]
            if streaming and recovering:
                return
        except Exception:  # noqa: S110 (not up yet)
            pass
        time.sleep(0.5)
    sys.exit("the replica did not start streaming within a minute")


def with_db(url: str, port: int, name: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username or 'postgres'}@127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{name or parts.path.lstrip('/')}"))


# --- the build worker: a separate process, so its settings see REPORT_DATABASE_URL -----------


# Statements the primary answers in a replica build: the catch-up check (config/dbrouter.py).
CATCH_UP_QUERIES = 2


def build_worker(seconds: float) -> None:
    """Build report packs of the first sub-district of the scale district for `seconds`;
    print their timings and the queries each database ran, as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from io import BytesIO

    from django.db import connections, reset_queries
    from django.test.utils import CaptureQueriesContext

    from branches.models import SubDistrict
    from config.dbrouter import replica_reads
    from demo.scale import SCALE_DISTRICT
    from reports.figures import build_figures
    from reports.scope import ReportScope
    from reports.services import last_finished_quarter
    from reports.writers import WRITERS

    sub_district = SubDistrict.objects.filter(district__name=SCALE_DISTRICT).order_by("pk").first()
    year, number = last_finished_quarter()
    timings, primary_queries, replica_queries = [], 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or not timings:
        # The query log holds 9,000 statements; once full, a capture's slice of it is empty.
        reset_queries()
        began = time.perf_counter()
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
            replica_reads(),
        ):
            figures = build_figures(ReportScope(sub_district=sub_district), year, number)
        meta = {"version": "1", "generated_at": "", "generated_by": "bench"}
        WRITERS["xlsx"](figures, BytesIO(), meta)
        timings.append((time.perf_counter() - began) * 1000)
        primary_queries, replica_queries = len(primary), len(replica)
    print(json.dumps({"timings": timings, "primary": primary_queries, "replica": replica_queries}))


# --- the bench --------------------------------------------------------------------------------


def phase(
    port: int, ctx: dict, env: dict, args, *, primary_url: str, replica_url: str | None
) -> dict:
    booking = next(e for e in load.endpoints(ctx) if e.name == "booking creation (API)")
    lag = [0.0]
    done = threading.Event()

    def sample_lag() -> None:
        """The replica's replay lag as the primary sees it, sampled twice a second."""
        while not done.wait(0.5):
            try:
                value = sql(
                    primary_url,
                    "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) "
                    "FROM pg_stat_replication",
                )[0]
                lag[0] = max(lag[0], float(value or 0))
            except Exception:  # noqa: S112 (a missed sample)
                continue

    sampler = threading.Thread(target=sample_lag, daemon=True)
    sampler.start()
    worker_env = env | {"REPORT_DATABASE_URL": replica_url or ""}
    builder = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--build-worker", str(args.seconds)],
        cwd=ROOT,
        env=worker_env | {"LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        text=True,
    )
    result = load.run(
        port, booking, rate=args.rate, seconds=args.seconds, threads=args.threads,
        offset=phase.offset,
    )  # fmt: skip
    phase.offset += int(args.rate * args.seconds) + 1
    out, _ = builder.communicate(timeout=args.seconds * 4 + 600)
    done.set()
    sampler.join()
    built = json.loads(out.strip().splitlines()[-1])
    ok = [s for s in result.statuses if 200 <= s < 300]
    return {
        "bookings_p50_ms": round(statistics.median(result.latencies or [0]), 1),
        "bookings_p95_ms": round(load.percentile(result.latencies or [0], 0.95), 1),
        "bookings_errors": len(result.statuses) - len(ok) + result.dropped,
        "bookings": len(result.statuses),
        "bookings_statuses": {
            str(code): result.statuses.count(code) for code in sorted(set(result.statuses))
        },
        "builds": len(built["timings"]),
        "build_median_ms": round(statistics.median(built["timings"]), 1),
        "build_queries_primary": built["primary"],
        "build_queries_replica": built["replica"],
        "replica_lag_max_ms": round(lag[0] * 1000, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


phase.offset = 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="bookings per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--small", action="store_true", help="a small data set (development)")
    parser.add_argument("--skip-seed", action="store_true", help="the bench database is seeded")
    parser.add_argument(
        "--machine", action="store_true",
        help="replicate the machine's own cluster (needs a replication line in its pg_hba.conf)",
    )  # fmt: skip
    parser.add_argument("--build-worker", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_worker is not None:
        build_worker(args.build_worker)
        return 0

    source = load.bench_database_url(small=args.small)
    if source is None:
        print("bench/replica.py needs DATABASE_URL (or BENCH_DATABASE_URL) on PostgreSQL.")
        return 2
    env = load.bench_env(source)
    if not args.skip_seed:
        load.seed(env, small=args.small)

    clusters = Clusters(pg_bin())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = urlsplit(source)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    started = time.monotonic()
    try:
        if args.machine:
            if not machine_allows_replication(host, port):
                print(
                    f"{host}:{port} refuses replication connections for postgres: add\n"
                    "  host replication postgres 127.0.0.1/32 trust   (or scram-sha-256)\n"
                    "to its pg_hba.conf and reload; wal_level must be replica or logical and "
                    "max_wal_senders > 0. Without --machine the bench starts its own primary."
                )
                return 2
            primary_url = source
            clusters.replica_of(host, port, replica_port := load.free_port())
        else:
            primary_port = load.free_port()
            clusters.private_primary(primary_port)
            primary_url = with_db(source, primary_port)
            name = parts.path.lstrip("/")
            clusters.run("createdb", "-h", "127.0.0.1", "-p", str(primary_port), "-U",
                         "postgres", name)  # fmt: skip
            dump = subprocess.Popen(  # noqa: S603
                [str(clusters.bin / "pg_dump"), "-Fc", "-d", source], stdout=subprocess.PIPE
            )
            subprocess.run(  # noqa: S603
                [str(clusters.bin / "pg_restore"), "--no-owner", "-d", primary_url],
                stdin=dump.stdout, check=True,
            )  # fmt: skip
            dump.wait()
            sql(primary_url, "ANALYZE")
            clusters.replica_of("127.0.0.1", primary_port, replica_port := load.free_port())
        replica_url = with_db(primary_url, replica_port)
        wait_streaming(primary_url, replica_url)
        print(f"replica streaming after {time.monotonic() - started:.0f} s ({clusters.dir})")

        env = load.bench_env(primary_url)
        ctx = load.prepare(env)
        with load.gunicorn(env, workers=args.workers, threads=2, log_level="ERROR") as http_port:
            booking = next(e for e in load.endpoints(ctx) if e.name == "booking creation (API)")
            load.run(
                http_port, booking, rate=args.rate, seconds=2, threads=args.threads, offset=10**6
            )  # fmt: skip  (warm-up, far from the measured slots)
            rows = {
                name: phase(http_port, ctx, env, args, primary_url=primary_url, replica_url=target)
                for name, target in (
                    ("builds on the primary", None),
                    ("builds on the replica", replica_url),
                )
            }
    finally:
        clusters.cleanup()

    print(
        f"\nreport builds (figures + XLSX of one sub-district) beside {args.rate:g} bookings/s, "
        f"{args.seconds:g} s per phase"
    )
    print(
        f"  {'phase':<22} {'book p50':>8} {'p95':>7} {'err':>4} {'builds':>6} {'build p50':>9} "
        f"{'q primary':>9} {'q replica':>9} {'lag max':>7}  {'booking p95 goal':<16} "
        f"{'routing':<10} {'load':>5}"
    )
    missed = 0
    for name, row in rows.items():
        # The bookings keep the APIs' goal while the reports build (issue 16, part 8).
        met = row["bookings_p95_ms"] < load.API_P95_MS
        goal = f"<{load.API_P95_MS} " + ("ok" if met else "MISSED")
        # Each build reads where the router sends it: on the replica phase the primary answers
        # only the catch-up check.
        primary_q, replica_q = row["build_queries_primary"], row["build_queries_replica"]
        if name == "builds on the replica":
            routed = replica_q > 0 and primary_q <= CATCH_UP_QUERIES
        else:
            routed = primary_q > 0 and replica_q == 0
        missed += (not met) + (not routed)
        routing = "ok" if routed else "MISSED"
        busy = " busy" if row["load_average"] >= load.QUIET_LOAD else ""
        print(
            f"  {name:<22} {row['bookings_p50_ms']:>8} {row['bookings_p95_ms']:>7} "
            f"{row['bookings_errors']:>4} {row['builds']:>6} {row['build_median_ms']:>9} "
            f"{row['build_queries_primary']:>9} {row['build_queries_replica']:>9} "
            f"{row['replica_lag_max_ms']:>7}  {goal:<16} {routing:<10} "
            f"{row['load_average']:>5}{busy}"
        )
    print(
        "  (times in ms; err: non-2xx bookings, 409 included (a slot or a limit taken), and "
        "dropped;\n   q: queries of one build on each database (on the replica phase the primary "
        f"answers\n   the {CATCH_UP_QUERIES} queries of the catch-up check); lag: the replica's "
        "replay lag, max; routing: the build read where the router sends it)"
    )
    load.RESULTS.mkdir(exist_ok=True)
    (load.RESULTS / "replica.json").write_text(
        json.dumps({"rate": args.rate, "seconds": args.seconds, "phases": rows}, indent=2)
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
