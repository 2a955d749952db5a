"""`Client.force_login` past the second factor, for the suite and the benchmarks.

Staff roles must sign in with a second factor (accounts/sessions.py); without it every staff page
redirects to the enrolment page, and a test or a benchmark that forgets this times a redirect.
Both `tests/conftest.py` and `bench/conftest.py` import the fixture below, so `force_login` there
also marks the session as past the second factor, as if the user had entered a code from a real
(confirmed) TOTP device. Tests of the two-factor flow itself sign in through the forms
(tests/accounts/test_two_factor.py)."""

from __future__ import annotations

import pytest
from django.test import Client


def pass_second_factor(client: Client, user: object) -> None:
    """Mark the client's session as past the second factor, where the user's role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import sessions

    session = client.session
    if not (session.get(sessions.OTP_REQUIRED) or session.get(sessions.OTP_ENROLLED)):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[sessions.OTP_ENROLLED] = True
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
