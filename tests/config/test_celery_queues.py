"""Every task of the project lands on a Celery queue that some worker consumes: in docker
compose (one worker per queue), in `make run` and in the integration tests (workers started
without -Q, which consume every queue of CELERY_TASK_QUEUES)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _project_tasks() -> list[str]:
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def _compose_queues() -> dict[str, set[str]]:
    """{service: the queues its `celery worker` consumes} from docker-compose.yml."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    consumed = {}
    for name, service in services.items():
        command = service.get("command") or []
        if "celery" in command and "worker" in command:
            queues = [arg.split("=", 1)[1] for arg in command if arg.startswith("--queues=")]
            consumed[name] = set(",".join(queues).split(",")) if queues else set()
    return consumed


def test_the_project_has_tasks_to_route():
    assert len(_project_tasks()) >= 20


@pytest.mark.parametrize("task_name", _project_tasks())
def test_each_task_goes_to_a_queue_a_compose_worker_consumes(task_name):
    queue = _queue_of(task_name)
    assert queue in settings.CELERY_QUEUE_NAMES
    consumers = [name for name, queues in _compose_queues().items() if queue in queues]
    assert consumers, f"{task_name} goes to {queue}, which no worker in docker compose consumes"


def test_the_split_is_the_one_documented():
    assert _queue_of("accounts.tasks.deliver_email") == "notifications"
    assert _queue_of("accounts.tasks.deliver_pending_sms") == "notifications"
    assert _queue_of("venues.tasks.send_booking_reminders") == "notifications"
    assert _queue_of("reports.tasks.build_export") == "reports"
    assert _queue_of("members.tasks.run_import_job") == "reports"
    assert _queue_of("volunteers.tasks.build_certificate") == "recomputes"
    assert _queue_of("members.tasks.expire_transfers") == "recomputes"


def test_every_beat_task_is_registered_and_routed():
    tasks = set(_project_tasks())
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks, entry["task"]
        assert _queue_of(entry["task"]) in settings.CELERY_QUEUE_NAMES


def test_each_queue_has_exactly_one_compose_worker_and_none_consumes_the_old_default():
    consumed = _compose_queues()
    assert all(queues for queues in consumed.values()), "a compose worker without --queues"
    for queue in settings.CELERY_QUEUE_NAMES:
        assert sum(queue in queues for queues in consumed.values()) == 1, queue
    assert not any("celery" in queues for queues in consumed.values())


def test_an_unrestricted_worker_consumes_every_queue():
    """What `make run`'s worker and the integration tests' workers (no -Q) consume."""
    assert set(app.amqp.queues) == set(settings.CELERY_QUEUE_NAMES)
    assert settings.CELERY_TASK_DEFAULT_QUEUE in settings.CELERY_QUEUE_NAMES


def test_make_run_and_the_integration_workers_are_not_restricted_to_a_queue():
    makefile = (ROOT / "Makefile").read_text()
    run_worker = re.search(r"^\t.*celery -A config worker.*$", makefile, re.M)
    assert run_worker and not re.search(r"\s(-Q|--queues)\b", run_worker.group(0))
    for path in (ROOT / "tests" / "integration").glob("*.py"):
        source = path.read_text()
        assert not re.search(r"""["'](-Q|--queues)""", source), path.name
        assert "queues=" not in source, path.name
