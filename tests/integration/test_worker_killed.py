"""A worker killed mid-task: the task runs again and its effect happens once.

A real Celery worker process (prefork, one child) starts sending an outbox email to an SMTP
server that hangs; the child is SIGKILLed mid-send. acks_late + reject_on_worker_lost put the
message back, the row lock the dead child held is gone with its database connection, and the
next child sends the email: once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import OutgoingEmail
from accounts.services import queue_email
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_an_email_whose_worker_is_killed_mid_send_is_sent_once(own_redis, smtp_sink):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: PostgreSQL")
    smtp_sink.stall.set()
    smtp_sink.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": own_redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "DEBUG": "true",
        "LOG_FORMAT": "text",
        "DB_CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork"]
        + ["--concurrency", "1", "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        with transaction.atomic():
            email = queue_email(to="secretary@example.org", subject="换届提醒", body="正文")
        assert wait_for(lambda: smtp_sink.connections >= 1, timeout=90), "no send started"
        (child,) = children(worker.pid)
        os.kill(child, signal.SIGKILL)
        time.sleep(1)
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.PENDING
        assert email.attempts == 0  # the dead child's claim rolled back with its connection

        smtp_sink.stall.clear()
        assert wait_for(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT,
            timeout=60,
        ), "the task did not run again"
        time.sleep(2)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    email.refresh_from_db()
    # The effect happens once: one message arrives. The re-run may have connected before the
    # stall was lifted (a loaded machine restarts the child fast); that connection times out,
    # is recorded as one failed attempt, and the retry after backoff delivers.
    assert smtp_sink.received_by("secretary@example.org") == 1
    assert email.status == OutgoingEmail.Status.SENT
    assert 1 <= email.attempts <= 2
    assert smtp_sink.connections == email.attempts + 1
