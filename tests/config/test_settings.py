"""Start-up refuses bad configuration with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point to"),
        ({"DEBUG": "true", "REDIS_URL": "http://127.0.0.1"}, "REDIS_URL must start with"),
        ({"DEBUG": "true", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"DEBUG": "true", "EMAIL_PORT": "70000"}, "EMAIL_PORT must be at most 65535"),
        ({"DEBUG": "true", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"DEBUG": "true", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "cannot both be true"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x"},
            "MEMBER_ID_ENCRYPTION_KEYS and MEMBER_ID_HASH_KEY must be set",
        ),
        ({"DEBUG": "true", "MEMBER_ID_ENCRYPTION_KEYS": "short"}, "must hold Fernet keys"),
        ({"DEBUG": "true", "MEMBER_ID_HASH_KEY": "short"}, "at least 32 characters"),
        (
            {"DEBUG": "true", "AUDIT_RETENTION_DAYS": "90"},
            "AUDIT_RETENTION_DAYS must be at least 180",
        ),
        ({"DEBUG": "true", "LOGIN_FAILURE_LIMIT": "1"}, "LOGIN_FAILURE_LIMIT must be at least 3"),
        (
            {"DEBUG": "true", "API_THROTTLE_RESIDENT": "lots"},
            "API_THROTTLE_RESIDENT must look like",
        ),
        (
            {"DEBUG": "true", "STAFF_SESSION_MAX_HOURS": "48"},
            "STAFF_SESSION_MAX_HOURS must be at most",
        ),
        (
            {"DEBUG": "true", "REPORT_DATABASE_URL": "mysql://u@h/db"},
            "REPORT_DATABASE_URL must point to a PostgreSQL replica",
        ),
        (
            {"DEBUG": "true", "DATABASE_URL": "", "REPORT_DATABASE_URL": "postgres://h/db"},
            "REPORT_DATABASE_URL must point to a PostgreSQL replica",
        ),
        (
            {"DEBUG": "true", "REPORT_PRIMARY_PIN_SECONDS": "0"},
            "REPORT_PRIMARY_PIN_SECONDS must be at least 1",
        ),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_development_defaults_load():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="a-long-random-production-key-0123456789-ABCDEFGHIJ-xyz!",
        ALLOWED_HOSTS="portal.example.org",
        MEMBER_ID_ENCRYPTION_KEYS="0Q9cY0cUq3m2s1Xb3b6uQ0H2p9o8vV3kq2nGJ6kq0wM=",
        MEMBER_ID_HASH_KEY="a-production-hmac-key-0123456789-abcdefghij",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
