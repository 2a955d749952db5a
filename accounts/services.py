"""Writes of the accounts app: role grants, audit entries and the email outbox."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.locks import lock_key
from accounts.models import (
    AuditEntry,
    OutgoingEmail,
    OutgoingSms,
    PhoneVerification,
    ResidentProfile,
    RoleAssignment,
    User,
)
from accounts.outbox import Outbox
from accounts.roles import Role
from accounts.sms import send_sms

logger = logging.getLogger(__name__)


def record_audit(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append an audit entry. Call it inside the transaction of the change it records, so the
    change and its trace commit or roll back together."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        data=data or {},
        ip_address=ip_address,
    )


AUDIT_MINIMUM_DAYS = 180


def prune_audit_log(*, batch: int = 5000) -> int:
    """Delete audit entries older than the retention setting, in batches.

    The law asks for at least six months of logs (网络安全法 art. 21), so whatever the setting
    says, nothing younger than `AUDIT_MINIMUM_DAYS` is ever deleted. Returns how many went.
    """
    days = max(int(settings.AUDIT_RETENTION_DAYS), AUDIT_MINIMUM_DAYS)
    cutoff = timezone.now() - timedelta(days=days)
    total = 0
    while True:
        ids = list(
            AuditEntry.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        total += AuditEntry.objects.filter(pk__in=ids).delete()[0]


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: Role,
    granted_by: User | None,
    sub_district: Any = None,
    organization: Any = None,
    unit: Any = None,
) -> RoleAssignment:
    """Give `user` a role over one scope; sub-district staff also get the admin site.

    Granting a role the user already holds changes nothing and writes no audit entry.
    """
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        sub_district=sub_district,
        organization=organization,
        unit=unit,
        defaults={"is_active": True},
    )
    changed = created or not assignment.is_active
    if not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    if role == Role.SUB_DISTRICT_STAFF and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if changed:
        record_audit(actor=granted_by, action="role.granted", target=user, data={"role": str(role)})
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, revoked_by: User | None) -> None:
    """End a role. The row stays, inactive, so the history of who held what is kept."""
    RoleAssignment.objects.filter(pk=assignment.pk).update(is_active=False)
    user = assignment.user
    still_staff = user.role_assignments.filter(
        is_active=True, role=Role.SUB_DISTRICT_STAFF
    ).exists()
    if assignment.role == Role.SUB_DISTRICT_STAFF and not still_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    record_audit(
        actor=revoked_by, action="role.revoked", target=user, data={"role": assignment.role}
    )


def queue_email(*, to: str, subject: str, body: str) -> OutgoingEmail:
    """Save an email to the outbox and enqueue its delivery after commit.

    The row is the promise: if the broker is down, `deliver_pending_emails` sends it later.
    """
    from accounts.tasks import deliver_email
    from config.celery import send_after_commit

    email = OutgoingEmail.objects.create(to=to, subject=subject, body=body)
    send_after_commit(deliver_email, email.pk)
    return email


class EmailOutbox(Outbox[OutgoingEmail]):
    model = OutgoingEmail
    task_path = "accounts.tasks.deliver_email"

    def transmit(self, message: OutgoingEmail) -> None:
        send_mail(message.subject, message.body, None, [message.to], fail_silently=False)


EMAIL_OUTBOX = EmailOutbox()
MAX_EMAIL_ATTEMPTS = EmailOutbox.max_attempts


def deliver_outgoing_email(*, email_id: int) -> bool:
    """Send one outbox email exactly once, even if two workers pick it up together.

    Returns False when there was nothing to send. Transport errors are recorded on the row
    (with the time of the next attempt) and re-raised so the task can retry with backoff.
    """
    return EMAIL_OUTBOX.deliver(email_id)


# --- SMS outbox -----------------------------------------------------------------------------


def queue_sms(
    *, to: str, body: str, sensitive: bool = False, expires_at: Any = None
) -> OutgoingSms:
    """Save a text message to the outbox and enqueue its delivery after commit.

    Like `queue_email`: the row is the promise, `deliver_pending_sms` sends it if the broker
    was down. A `sensitive` body (a verification code) is blanked once the message is done.
    """
    from accounts.tasks import deliver_sms
    from config.celery import send_after_commit

    sms = OutgoingSms.objects.create(to=to, body=body, sensitive=sensitive, expires_at=expires_at)
    send_after_commit(deliver_sms, sms.pk)
    return sms


REDACTED = "[redacted]"
EXPIRED = "expired before it could be sent"


class SmsOutbox(Outbox[OutgoingSms]):
    """SMS: an expired message (a code nobody can use any more) is never sent, and a sensitive
    body is blanked once the message is done, whichever way."""

    model = OutgoingSms
    task_path = "accounts.tasks.deliver_sms"

    def transmit(self, message: OutgoingSms) -> None:
        send_sms(to=message.to, body=message.body)

    def skip(self, message: OutgoingSms, now: datetime) -> dict[str, Any] | None:
        if message.expires_at is not None and message.expires_at <= now:
            return {"last_error": EXPIRED, **self.failed_fields(message)}
        return None

    def sent_fields(self, message: OutgoingSms) -> dict[str, Any]:
        return {"body": REDACTED} if message.sensitive else {}

    def failed_fields(self, message: OutgoingSms) -> dict[str, Any]:
        return {"body": REDACTED} if message.sensitive else {}

    def before_scan(self, now: datetime) -> None:
        OutgoingSms.objects.filter(sensitive=True, expires_at__lt=now).exclude(
            body=REDACTED
        ).update(body=REDACTED)
        OutgoingSms.objects.filter(status=OutgoingSms.Status.PENDING, expires_at__lt=now).update(
            status=OutgoingSms.Status.FAILED, last_error=EXPIRED
        )


SMS_OUTBOX = SmsOutbox()
MAX_SMS_ATTEMPTS = SmsOutbox.max_attempts


def deliver_outgoing_sms(*, sms_id: int) -> bool:
    """Send one outbox SMS exactly once, even if two workers pick it up together; an expired
    message is closed unsent. Transport errors are recorded and re-raised so the task retries."""
    return SMS_OUTBOX.deliver(sms_id)


def notify_user(*, user: User, subject: str, body: str) -> None:
    """Tell a user something through every channel they have (email and SMS), after commit.

    Never raises for a missing channel and never blocks on the broker: rows go to the outbox.
    """
    if user.email:
        queue_email(to=user.email, subject=subject, body=body)
    if user.phone:
        queue_sms(to=user.phone, body=f"【{subject}】{body}"[:500])


# --- Phone verification and resident self-registration ----------------------------------------


def _hash_code(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("accounts.phone-verification", f"{purpose}:{phone}:{code}").hexdigest()


def send_verification_code(*, phone: str, purpose: str) -> PhoneVerification:
    """Create a fresh code for `phone` and queue it by SMS; only its hash is stored.

    Rate-limited per phone (one per SMS_CODE_RESEND_SECONDS, SMS_CODE_MAX_PER_HOUR an hour),
    so the endpoint cannot be used to flood someone's phone. Earlier codes stop working.
    """
    with transaction.atomic():
        # Locking the existing rows is not enough: with none yet, parallel requests lock
        # nothing and all pass. The phone itself is the owner; it may belong to no one yet.
        lock_key("accounts.phone-verification", phone)
        now = timezone.now()  # read after the wait, or a queued request looks older than its peers
        recent = PhoneVerification.objects.filter(
            phone=phone, created_at__gte=now - timedelta(hours=1)
        ).select_for_update()
        recent_times = sorted((v.created_at for v in recent), reverse=True)
        if (
            recent_times
            and (now - recent_times[0]).total_seconds() < settings.SMS_CODE_RESEND_SECONDS
        ):
            wait = settings.SMS_CODE_RESEND_SECONDS - int((now - recent_times[0]).total_seconds())
            raise DomainError(
                _("A code was just sent. Please wait %(seconds)s seconds before asking again.")
                % {"seconds": max(wait, 1)},
                field="phone",
            )
        if len(recent_times) >= settings.SMS_CODE_MAX_PER_HOUR:
            raise DomainError(
                _("Too many codes were sent to this phone. Please try again in an hour."),
                field="phone",
            )
        PhoneVerification.objects.filter(phone=phone, purpose=purpose, used_at=None).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        expires_at = now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS)
        verification = PhoneVerification.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash_code(phone, purpose, code),
            expires_at=expires_at,
        )
        minutes = settings.SMS_CODE_TTL_SECONDS // 60
        queue_sms(
            to=phone,
            body=str(
                _(
                    "Your verification code is %(code)s, valid for %(minutes)s minutes. "
                    "Do not share it with anyone."
                )
                % {"code": code, "minutes": minutes}
            ),
            sensitive=True,
            expires_at=expires_at,
        )
    return verification


def consume_verification_code(*, phone: str, purpose: str, code: str) -> None:
    """Accept the latest live code for `phone` once, or raise with a message the person can act on.

    Runs inside the caller's transaction; a wrong entry raises `WrongCode`, which the caller
    counts after its rollback (`count_wrong_code`), so the limit holds whatever happens.
    """
    now = timezone.now()
    verification = (
        PhoneVerification.objects.select_for_update()
        .filter(phone=phone, purpose=purpose, used_at=None, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if verification is None:
        raise DomainError(
            _("The verification code has expired or was never sent. Please ask for a new one."),
            field="code",
        )
    if verification.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
        raise DomainError(
            _("Too many wrong codes. Please ask for a new one."),
            field="code",
        )
    if not constant_time_compare(verification.code_hash, _hash_code(phone, purpose, code.strip())):
        left = settings.SMS_CODE_MAX_ATTEMPTS - verification.attempts - 1
        raise WrongCode(
            _("The verification code is wrong (%(left)s tries left).") % {"left": max(left, 0)},
            field="code",
            verification_id=verification.pk,
        )
    PhoneVerification.objects.filter(pk=verification.pk).update(used_at=now)


class WrongCode(DomainError):
    """A wrong code: the attempt counter must survive the rollback of the registration."""

    def __init__(self, message: str, *, field: str | None = None, verification_id: int) -> None:
        super().__init__(message, field=field)
        self.verification_id = verification_id


def count_wrong_code(exc: WrongCode) -> None:
    PhoneVerification.objects.filter(pk=exc.verification_id).update(
        attempts=models.F("attempts") + 1
    )


def register_resident(
    *, phone: str, password: str, code: str, full_name: str, community: Any = None
) -> User:
    """Create a resident account from a verified phone number, with their profile.

    The phone is the sign-in name. A phone already registered is refused without saying more
    than that (the person can reset their password).
    """
    try:
        with transaction.atomic():
            consume_verification_code(
                phone=phone, purpose=PhoneVerification.Purpose.REGISTER, code=code
            )
            if User.objects.filter(models.Q(phone=phone) | models.Q(username=phone)).exists():
                raise DomainError(
                    _("This phone number is already registered. Sign in or reset your password."),
                    field="phone",
                )
            user = User(username=phone, phone=phone, full_name=full_name)
            user.set_password(password)
            user.save()
            ResidentProfile.objects.create(
                user=user, community=community, phone_verified_at=timezone.now()
            )
            record_audit(actor=user, action="resident.registered", target=user)
    except WrongCode as exc:
        count_wrong_code(exc)
        raise
    return user
