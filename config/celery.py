"""The Celery application, and the one way the portal enqueues work.

Tasks are enqueued only after the surrounding transaction commits, and a broker that is down
never fails the user's request: the row that describes the work is already saved, and the periodic
scan that owns each kind of work picks it up once the broker is back.
"""

from __future__ import annotations

import logging
import os
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


def send_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits; never raise if the broker is down.

    The caller must have saved enough state for a periodic scan to redo the work, so a lost
    message only delays it.
    """

    def _send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception as exc:  # kombu/redis raise many types for "broker unreachable"
            logger.warning(
                "broker unavailable, %s left for the periodic scan: %s",
                task.name,
                exc.__class__.__name__,
            )

    transaction.on_commit(_send)
