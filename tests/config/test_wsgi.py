"""The WSGI entry point loads the whole URL configuration and freezes what it loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import config.wsgi
from django.urls import get_resolver
print(gc.get_freeze_count())
print(sum(1 for name in sys.modules if name.endswith(".views") or ".views." in name))
"""


def test_the_wsgi_application_starts_with_every_view_loaded_and_frozen():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env | {"DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, view_modules = (int(line) for line in result.stdout.split())
    # Django, the apps and their views: far more than the few thousand objects of a bare
    # interpreter, and all of them out of the collector's generations.
    assert frozen > 100_000
    assert view_modules >= 15  # every app's views imported before the first request
