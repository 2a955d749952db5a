"""Real infrastructure for the fault tests: a Redis of our own, and a way to point Celery at it.

The machine's shared Redis (port 6379) is never stopped; each test that needs a broker outage
starts its own `redis-server` on a free port and stops that one.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import socketserver
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import kombu.pools
import pytest
from django.db import OperationalError, connection

from config.celery import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll `predicate` until it holds (True) or `timeout` seconds pass (False).

    On SQLite the test database is in memory with a shared cache, where a read while the
    worker's thread holds a write lock fails at once ("database table is locked") instead of
    waiting: such a poll counts as "not yet". PostgreSQL never raises it; any other error
    is raised."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
        time.sleep(0.2)
    return False


class OwnRedis:
    """A throw-away redis-server (no persistence) that can be stopped and started again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, timeout=10), "redis-server did not start"

    def kill(self) -> None:
        """SIGKILL, as a crash would: no goodbye to connected clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        assert not self._answers()


def reset_broker_pools() -> None:
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point the Celery app (web side and in-process workers) at `url`, with fresh pools."""
    # Settings come in under the CELERY_ namespace, and that key wins over `broker_url`.
    original = app.conf.CELERY_BROKER_URL
    reset_broker_pools()
    app.conf.CELERY_BROKER_URL = url
    assert app.connection_for_write().as_uri() == url
    try:
        yield
    finally:
        reset_broker_pools()
        app.conf.CELERY_BROKER_URL = original


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(free_port())
    redis.start()
    try:
        with broker_at(redis.url):
            yield redis
    finally:
        redis.kill()


class SmtpSink:
    """A minimal SMTP server (enough for smtplib) that keeps what it receives.

    `stall` makes it accept connections and never greet, like a server that hangs; `stop` makes
    the port refuse connections, like a server that is down.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.connections = 0
        self.stall = threading.Event()
        self.server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> None:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink.connections += 1
                if sink.stall.is_set():
                    # Hold the connection until the client goes away (or the test ends).
                    self.request.settimeout(30)
                    with contextlib.suppress(OSError):
                        self.request.recv(1)
                    return
                self.wfile.write(b"220 sink ready\r\n")
                sender, recipients = "", []
                while line := self.rfile.readline():
                    command = line.decode().strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.wfile.write(b"250 sink\r\n")
                    elif verb == "MAIL":
                        sender, recipients = command[10:].strip("<>"), []
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == "RCPT":
                        recipients.append(command[8:].strip("<>"))
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == "DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        sink.messages.append((sender, recipients, data))
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def received_by(self, address: str) -> int:
        return sum(address in recipients for _, recipients, _ in self.messages)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(free_port())  # not started: the port refuses connections
    try:
        yield sink
    finally:
        sink.stall.clear()
        sink.stop()


def pytest_collection_modifyitems(items) -> None:
    """Under pytest-xdist (`--dist loadgroup`) the tests that start real workers, brokers and
    mail sinks run one after another on one xdist worker: they share the broker's queues."""
    for item in items:
        if "tests/integration/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("integration"))
