"""Load benchmark: the portal under gunicorn on PostgreSQL, at a steady rate of parallel clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make bench   (or bench/load.py alone)

Steps: create, migrate and `seed_scale` a bench database (BENCH_DATABASE_URL, by default the
DATABASE_URL database's name + "_bench", so the data never lands in a working database;
idempotent, a few minutes the first time); sign in a sub-district staff member, a branch
secretary and residents by writing their sessions; start gunicorn in bench mode
(config/bench.py: an X-Query-Count header, /bench/floor/ and /bench/floor-sql/); then for
each endpoint send `--rate` requests a second for `--seconds` from a pool of threads (plain
http.client, open loop: a slow answer does not slow the schedule down).

Prints, per endpoint, requests per second, p50 and p95, errors, queries per request, and the
ratio of its p50 to the floor's p50 measured in the same run; writes the figures to
bench/results/latest.json. Pure Python: nothing to install beyond the project.

The query count of each staff page is also taken for a secretary (one branch) and compared with
sub-district staff (a whole sub-district of ~250 organisations): equal counts mean the number of
queries does not grow with the rows in scope.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BENCH_PURPOSE = "压测预约"
PAGE_P95_MS = 200
API_P95_MS = 100


@dataclass
class Endpoint:
    name: str
    kind: str  # "page", "api" or "floor"
    request: Callable[[int], tuple[str, str, bytes | None, dict[str, str]]]
    floor: str = "floor (minimal view)"
    small_scope: Callable[[], tuple[str, str, bytes | None, dict[str, str]]] | None = None


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    dropped: int = 0  # never sent: the server fell so far behind that the phase ran out of time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def bench_database_url() -> str | None:
    """BENCH_DATABASE_URL, or DATABASE_URL's server with "<name>_bench"; created if missing."""
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        return None
    name = parts.path.lstrip("/")
    if not os.environ.get("BENCH_DATABASE_URL"):
        name = f"{name}_bench"
        url = urlunsplit(parts._replace(path=f"/{name}"))
    import psycopg2

    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return url


def prepare(env: dict[str, str]) -> dict:
    """Users, sessions, rooms and free slots, straight through the ORM."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import sessions
    from accounts.models import RoleAssignment, User
    from accounts.roles import Role
    from branches.models import District, Organization, OrganizationKind, SubDistrict
    from demo.scale import SCALE_DISTRICT
    from venues.models import Booking, Room

    district = District.objects.get(name=SCALE_DISTRICT)
    sub_district = SubDistrict.objects.filter(district=district).order_by("pk").first()
    branch = (
        Organization.objects.filter(sub_district=sub_district, kind=OrganizationKind.BRANCH)
        .order_by("path")
        .first()
    )
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"full_name": "压测"})
    RoleAssignment.objects.get_or_create(
        user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district
    )
    secretary, _ = User.objects.get_or_create(username="bench-secretary")
    RoleAssignment.objects.get_or_create(user=secretary, role=Role.SECRETARY, organization=branch)

    def session_for(user: User) -> str:
        """A signed-in session as the login view leaves it, second factor passed for staff."""
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.RoleBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        stamp = sessions.now()
        store[sessions.STARTED] = store[sessions.LAST_SEEN] = stamp
        store[sessions.PASSWORD_CONFIRMED] = stamp
        store[sessions.STAFF] = sessions.is_staff_session(user)
        store[sessions.OTP_REQUIRED] = sessions.requires_two_factor(user)
        store[sessions.OTP_ENROLLED] = store[sessions.STAFF]
        if store[sessions.STAFF]:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="bench", defaults={"confirmed": True}
            )
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        return store.session_key

    residents = list(
        User.objects.filter(username__startswith="scale-resident-").order_by("pk")[:1500]
    )
    Booking.objects.filter(purpose=BENCH_PURPOSE).delete()  # an earlier run's bookings
    rooms = list(
        Room.objects.filter(hall__sub_district__district=district)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    # The seeded bookings take 9–11, 14–16 and 19–21; these hours are free in every room.
    slots = [
        (room, dt.datetime.combine(today + dt.timedelta(days=d), dt.time(h), tz))
        for d in range(1, 13)
        for h in (8, 11, 12, 13, 16, 17, 18)
        for room in rooms
    ]
    return {
        "sub_district": sub_district.pk,
        "staff": session_for(staff),
        "secretary": session_for(secretary),
        "residents": [session_for(r) for r in residents],
        "room": rooms[0],
        "slots": [
            (room, start.isoformat(), (start + dt.timedelta(hours=1)).isoformat())
            for room, start in slots
        ],
        "csrf": _get_new_csrf_string(),
        "today": today.isoformat(),
    }


def endpoints(ctx: dict) -> list[Endpoint]:
    def cookies(session: str) -> dict[str, str]:
        return {"Cookie": f"sessionid={session}; csrftoken={ctx['csrf']}"}

    def get(path: str, session: str) -> Callable[[int], tuple[str, str, None, dict[str, str]]]:
        return lambda i: ("GET", path, None, cookies(session))

    def book(i: int) -> tuple[str, str, bytes, dict[str, str]]:
        room, starts, ends = ctx["slots"][i % len(ctx["slots"])]
        body = json.dumps(
            {
                "room": room,
                "starts_at": starts,
                "ends_at": ends,
                "attendees": 3,
                "purpose": BENCH_PURPOSE,
            }
        ).encode()
        session = ctx["residents"][i % len(ctx["residents"])]
        headers = cookies(session) | {
            "Content-Type": "application/json",
            "X-CSRFToken": ctx["csrf"],
        }
        return "POST", "/api/v1/bookings/", body, headers

    today = dt.date.fromisoformat(ctx["today"])
    availability = "/api/v1/rooms/{}/availability/?{}".format(
        ctx["room"],
        urlencode({"start": today.isoformat(), "end": (today + dt.timedelta(days=6)).isoformat()}),
    )
    staff, secretary = ctx["staff"], ctx["secretary"]

    def page(name: str, path: str, floor: str = "floor (minimal view)") -> Endpoint:
        return Endpoint(
            name, "page", get(path, staff), floor=floor, small_scope=lambda: get(path, secretary)(0)
        )

    return [
        Endpoint("floor (minimal view)", "floor", get("/bench/floor/", staff)),
        Endpoint(
            "floor (hand-written SQL)",
            "floor",
            get(f"/bench/floor-sql/?sub_district={ctx['sub_district']}", staff),
        ),
        page("staff dashboard", "/staff/", floor="floor (hand-written SQL)"),
        page("member list", "/staff/members/"),
        page(
            "compliance heat map", "/staff/activities/compliance/", floor="floor (hand-written SQL)"
        ),
        page("organisation tree", "/staff/branches/tree/", floor="floor (hand-written SQL)"),
        Endpoint(
            "room availability (API, 7 days)",
            "api",
            # Many residents, as on the public site: one alone would meet the API throttle.
            lambda i: get(availability, ctx["residents"][-1 - i % len(ctx["residents"])])(i),
        ),
        Endpoint("booking creation (API)", "api", book),
    ]


def send(conn: http.client.HTTPConnection, request: tuple) -> tuple[int, int]:
    method, path, body, headers = request
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, int(response.getheader("X-Query-Count") or -1)


def run(
    port: int, endpoint: Endpoint, *, rate: float, seconds: float, threads: int, offset: int
) -> Result:
    total = int(rate * seconds)
    result = Result()
    lock = threading.Lock()
    counter = iter(range(total))
    start = time.perf_counter() + 0.1
    # A server that cannot keep up would make the phase last for ever: stop sending at twice
    # the planned time and count what was left as dropped (an error).
    deadline = start + 2 * seconds + 5

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
                if i is not None and time.perf_counter() > deadline:
                    result.dropped += 1
                    continue
            if i is None:
                break
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            try:
                status, queries = send(conn, endpoint.request(offset + i))
            except (OSError, http.client.HTTPException):
                status, queries = 0, -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            took = time.perf_counter() - began
            with lock:
                result.latencies.append(took * 1000)
                result.statuses.append(status)
                result.queries.append(queries)
        conn.close()

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.elapsed = time.perf_counter() - start
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="per endpoint")
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    # As the production image runs it (Dockerfile): WEB_CONCURRENCY=3 workers, two threads each.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--server-threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--skip-seed", action="store_true", help="the database is seeded already")
    args = parser.parse_args()

    database_url = bench_database_url()
    if database_url is None:
        print("bench/load.py needs DATABASE_URL (or BENCH_DATABASE_URL) on PostgreSQL.")
        return 2
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},  # embedded broker
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        # Bench-only keys (production settings refuse to start without them).
        "MEMBER_ID_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
            b"bench-only-key".ljust(32, b"0")
        ).decode(),
        "MEMBER_ID_HASH_KEY": "bench-only-hash-key-" + "y" * 32,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_MODE": "true",
        "LOG_FORMAT": "json",
        "DB_CONN_MAX_AGE": "60",
        "SMS_BACKEND": "accounts.sms.LocmemBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if os.environ.get("REDIS_URL"):
        # The shared cache on the machine's Redis, in a database of its own, emptied first; the
        # broker stays embedded (nothing consumes the tasks a booking queues during the run).
        from urllib.parse import urlsplit, urlunsplit

        import redis

        parts = urlsplit(os.environ["REDIS_URL"])
        env["CACHE_REDIS_URL"] = urlunsplit(parts._replace(path="/14"))

        redis.Redis.from_url(env["CACHE_REDIS_URL"]).flushdb()
    if not args.skip_seed:
        started = time.monotonic()
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_scale", env=env)
        print(f"migrate + seed_scale: {time.monotonic() - started:.0f} s")
    ctx = prepare(env)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(args.workers)]
        + ["--threads", str(args.server_threads)]
        + [
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env | {"LOG_LEVEL": "WARNING"},
    )
    rows: dict[str, dict] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("gunicorn did not start")
                    return 1
                time.sleep(0.3)
        offset = 0
        for endpoint in endpoints(ctx):
            # Warm every worker (imports, connections, caches) before measuring.
            run(
                port,
                endpoint,
                rate=args.rate,
                seconds=min(2.0, args.seconds),
                threads=args.threads,
                offset=offset,
            )
            offset += int(args.rate * min(2.0, args.seconds))
            result = run(
                port,
                endpoint,
                rate=args.rate,
                seconds=args.seconds,
                threads=args.threads,
                offset=offset,
            )
            offset += int(args.rate * args.seconds)
            # A redirect is an error too: a page that sends the client to sign in was not measured.
            ok = [s for s in result.statuses if 200 <= s < 300]
            print(f"  measured {endpoint.name}", file=sys.stderr, flush=True)
            counted = [q for q in result.queries if q >= 0]
            row = {
                "kind": endpoint.kind,
                "requests": len(result.statuses),
                "rps": round(len(result.statuses) / result.elapsed, 1),
                "p50_ms": round(statistics.median(result.latencies or [0]), 1),
                "p95_ms": round(percentile(result.latencies or [0], 0.95), 1),
                "errors": len(result.statuses) - len(ok) + result.dropped,
                "dropped": result.dropped,
                "statuses": {
                    str(s): result.statuses.count(s) for s in sorted(set(result.statuses))
                },
                # The usual count (an occasional request also saves its session: one more).
                "queries": statistics.mode(counted) if counted else None,
                "queries_max": max(counted) if counted else None,
            }
            if endpoint.small_scope is not None:
                # Twice, so the second visit meets a warm cache like the measured ones did.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                send(conn, endpoint.small_scope())
                status, small = send(conn, endpoint.small_scope())
                conn.close()
                row["queries_one_branch"] = small
                row["query_count_grows"] = small != row["queries"]
            if endpoint.kind != "floor":
                floor = rows[endpoint.floor]["p50_ms"]
                row["floor"] = endpoint.floor
                row["ratio_to_floor"] = round(row["p50_ms"] / floor, 1) if floor else None
                target = PAGE_P95_MS if endpoint.kind == "page" else API_P95_MS
                row["target_p95_ms"] = target
                row["meets_target"] = row["p95_ms"] < target and row["errors"] == 0
            rows[endpoint.name] = row
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    RESULTS.mkdir(exist_ok=True)
    report = {
        "rate": args.rate,
        "seconds": args.seconds,
        "threads": args.threads,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.server_threads,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "endpoints": rows,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    width = max(len(name) for name in rows)
    print(
        f"\nload at {args.rate:g} req/s for {args.seconds:g} s each, "
        f"{args.workers} gunicorn workers × {args.server_threads} threads"
    )
    print(
        f"  {'endpoint':<{width}}  {'rps':>6} {'p50':>7} {'p95':>7} {'err':>4} "
        f"{'queries':>7} {'×floor':>7}  target"
    )
    for name, row in rows.items():
        queries = row["queries"]
        if row.get("query_count_grows"):
            queries = f"{queries}/{row['queries_one_branch']}!"
        verdict = "" if row["kind"] == "floor" else ("ok" if row["meets_target"] else "MISSED")
        print(
            f"  {name:<{width}}  {row['rps']:>6} {row['p50_ms']:>7} {row['p95_ms']:>7} "
            f"{row['errors']:>4} {queries!s:>7} {row.get('ratio_to_floor', ''):>7}  {verdict}"
        )
    print(f"written to {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
