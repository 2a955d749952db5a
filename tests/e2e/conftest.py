"""End-to-end harness: Playwright drives Debian's Chromium headless against a live server.

Screenshots land in tests/e2e/artifacts/ (ignored by git, kept by CI as artefacts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _OneRequestAtATime(WSGIServer):
    """The live server without request threads (Django closes each connection after its answer
    when the server does not thread, so a browser's kept-alive connection cannot hold it)."""

    def __init__(self, *args: object, connections_override: object = None, **kwargs: object):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _live_server_for_the_database():
    """On SQLite the test database lives in memory and every request thread of the live server
    shares its one connection: two requests at once (a page's three charts load in parallel)
    then wait on each other for good, and `make test` hung on the workbench's charts. There the
    server answers one request at a time; on PostgreSQL (CI) it keeps its threads."""
    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = _OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it; its absence there is a broken build
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, request):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def pass_two_factor(page, username: str) -> None:
    """The second sign-in step, as a person with an authenticator app would do it.

    On the enrolment page the key is read off the page and the code computed from it (real
    TOTP, django_otp.oath); on the verification page the code comes from the user's device.
    Nothing happens for a user who has no second factor.
    """
    import base64
    import time

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_load_state()
    if "/accounts/two-factor/enrol/" in page.url:
        secret = page.inner_text("[data-testid=totp-secret]").replace(" ", "")
        page.fill("input[name=token]", f"{totp(base64.b32decode(secret)):06d}")
        page.click("#submit-id-submit")
        page.click("[data-testid=continue]")
        page.wait_for_load_state()
    elif "/accounts/two-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        now_t = int((time.time() - device.t0) // device.step)
        # A code works once: after a sign-in in this time step, use the next step's code
        # (inside the device's tolerance of one step).
        t = max(now_t + device.drift, device.last_t + 1)
        code = totp(device.bin_key, device.step, device.t0, device.digits, t - now_t)
        page.fill("input[name=token]", f"{code:0{device.digits}d}")
        page.click("#submit-id-submit")
        page.wait_for_load_state()
