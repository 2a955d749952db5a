"""The Celery application, and the one way the portal enqueues work.

Tasks are enqueued only after the surrounding transaction commits, and a broker that is down
never fails the user's request: the row that describes the work is already saved, and the periodic
scan that owns each kind of work picks it up once the broker is back.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Iterable
from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@setup_logging.connect
def use_django_logging(**kwargs: Any) -> None:
    """Workers log like the web process: JSON on stdout, personal data redacted."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


class _BrokerOutage:
    """Remembers, per process, that the broker just failed, so that a request queueing several
    messages (an email and an SMS, say) waits for one failed connection at most, and the
    requests that follow for `CELERY_PUBLISH_SKIP_SECONDS` wait for none."""

    def __init__(self) -> None:
        self.until = 0.0

    def active(self) -> bool:
        return time.monotonic() < self.until

    def start(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def reset(self) -> None:
        self.until = 0.0


broker_outage = _BrokerOutage()


def task_named(task: Any) -> Any:
    """The registered task of that name (a task object is returned as it is).

    Services enqueue by the task's name so that they never import their app's `tasks` module,
    which imports them: the task module sits above its services (no import circle).
    """
    if not isinstance(task, str):
        return task
    if task not in app.tasks:  # a process that has not imported the task's module yet
        importlib.import_module(task.rpartition(".")[0])
    return app.tasks[task]


def send_each(task: Any, ids: Iterable[Any]) -> int:
    """Enqueue `task` once for each primary key, now: a periodic scan handing rows to workers.

    Stops at the first broker error (logged): the rows stay as they are and the next scan hands
    them on. Returns how many were sent."""
    task_ = task_named(task)
    sent = 0
    for pk in ids:
        try:
            task_.apply_async(args=[pk], retry=False)
        except Exception as exc:  # kombu/redis raise many types for "broker unreachable"
            logger.warning(
                "broker unavailable, %s %s waits for the next scan: %s",
                task_.name,
                pk,
                exc.__class__.__name__,
            )
            break
        sent += 1
    return sent


def send_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` (a task or its registered name) once the current transaction commits;
    never raise if the broker is down.

    The caller must have saved enough state for a periodic scan to redo the work, so a lost
    message only delays it. Publishing uses a connection that gives up at the first failure
    (`CELERY_PUBLISH_TRANSPORT_OPTIONS`), not kombu's default of retrying until the connect
    timeout, so a request is never held up by more than one short connection attempt.
    """

    def _send() -> None:
        from django.conf import settings

        task_ = task_named(task)
        if broker_outage.active():
            logger.info("broker marked down, %s left for the periodic scan", task_.name)
            return
        try:
            with app.connection_for_write(
                transport_options=settings.CELERY_PUBLISH_TRANSPORT_OPTIONS
            ) as connection:
                task_.apply_async(args=args, kwargs=kwargs, retry=False, connection=connection)
        except Exception as exc:  # kombu/redis raise many types for "broker unreachable"
            broker_outage.start(settings.CELERY_PUBLISH_SKIP_SECONDS)
            logger.warning(
                "broker unavailable, %s left for the periodic scan: %s",
                task_.name,
                exc.__class__.__name__,
            )

    transaction.on_commit(_send)
