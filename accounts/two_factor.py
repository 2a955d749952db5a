"""Two-factor sign-in (TOTP, with one-time backup codes) on django-otp's devices.

A user enrols an authenticator app by scanning a QR code and entering the code it shows; only
then is the device confirmed, and ten backup codes (django-otp's static device) are issued for
when the phone is lost. Sub-district staff and superusers must enrol; secretaries and liaisons
may. An administrator can remove a user's devices (a lost phone and no backup code left); the
user then enrols again at the next sign-in.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit

TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is enrolling (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def enrolment_status(*, user: User) -> dict | None:
    """What an enrolled user is shown instead of a new key: since when their authenticator is on
    and how many backup codes are left. None when the user has no confirmed authenticator."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if device is None:
        return None
    return {
        "since": device.created_at,
        "last_used": device.last_used_at,
        "backup_codes_left": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    }


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no inline style, CSP-safe)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the enrolling device with a code from the app; returns fresh backup codes.

    Any other authenticator of the user is removed, so one phone is the factor at a time.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token((token or "").strip()):
        raise DomainError(
            _("The code does not match. Check the phone's clock and enter the newest code."),
            field="token",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = issue_backup_codes(user=user)
    record_audit(actor=user, action="auth.2fa_enrolled", target=user)
    return codes


@transaction.atomic
def issue_backup_codes(*, user: User) -> list[str]:
    """Replace the user's backup codes with `OTP_STATIC_BACKUP_CODES` new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(settings.OTP_STATIC_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def reset_two_factor(*, user: User, actor: User | None) -> int:
    """Remove every second factor of `user` (audited). Returns how many devices were removed."""
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    removed = totp.count() + static.count()
    totp.delete()
    static.delete()
    record_audit(actor=actor, action="auth.2fa_reset", target=user, data={"devices": removed})
    return removed
