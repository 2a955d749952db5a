"""Writes of the accounts app: role grants, audit entries and the email outbox."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import (
    AuditEntry,
    OutgoingEmail,
    OutgoingSms,
    PhoneVerification,
    ResidentProfile,
    RoleAssignment,
    User,
)
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


MAX_EMAIL_ATTEMPTS = 5


def deliver_outgoing_email(*, email_id: int) -> bool:
    """Send one outbox email exactly once, even if two workers pick it up together.

    The claim is a conditional update, so only one caller gets to send. Returns False when
    there was nothing to send. Transport errors are recorded on the row and re-raised so the
    task can retry with backoff.
    """
    now = timezone.now()
    stale = now - timedelta(minutes=10)
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=stale))
        .update(claimed_at=now, attempts=models.F("attempts") + 1)
    )
    if claimed != 1:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        send_mail(email.subject, email.body, None, [email.to], fail_silently=False)
    except Exception as exc:
        failed = email.attempts >= MAX_EMAIL_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id).update(
            claimed_at=None,
            last_error=f"{exc.__class__.__name__}: {exc}"[:300],
            status=OutgoingEmail.Status.FAILED if failed else OutgoingEmail.Status.PENDING,
        )
        logger.warning("email %s not sent (attempt %s)", email_id, email.attempts)
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


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


MAX_SMS_ATTEMPTS = 5
REDACTED = "[redacted]"


def deliver_outgoing_sms(*, sms_id: int) -> bool:
    """Send one outbox SMS exactly once, even if two workers pick it up together.

    Claimed by a conditional update; an expired message (a code nobody can use any more) is
    not sent at all. Transport errors are recorded and re-raised so the task retries.
    """
    now = timezone.now()
    stale = now - timedelta(minutes=10)
    claimed = (
        OutgoingSms.objects.filter(pk=sms_id, status=OutgoingSms.Status.PENDING)
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=stale))
        .update(claimed_at=now, attempts=models.F("attempts") + 1)
    )
    if claimed != 1:
        return False
    sms = OutgoingSms.objects.get(pk=sms_id)
    if sms.expires_at is not None and sms.expires_at <= now:
        OutgoingSms.objects.filter(pk=sms_id).update(
            status=OutgoingSms.Status.FAILED,
            last_error="expired before it could be sent",
            body=REDACTED if sms.sensitive else sms.body,
        )
        return False
    try:
        send_sms(to=sms.to, body=sms.body)
    except Exception as exc:
        failed = sms.attempts >= MAX_SMS_ATTEMPTS
        update: dict[str, Any] = {
            "claimed_at": None,
            "last_error": f"{exc.__class__.__name__}: {exc}"[:300],
            "status": OutgoingSms.Status.FAILED if failed else OutgoingSms.Status.PENDING,
        }
        if failed and sms.sensitive:
            update["body"] = REDACTED
        OutgoingSms.objects.filter(pk=sms_id).update(**update)
        logger.warning("sms %s not sent (attempt %s)", sms_id, sms.attempts)
        raise
    OutgoingSms.objects.filter(pk=sms_id).update(
        status=OutgoingSms.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        body=REDACTED if sms.sensitive else sms.body,
    )
    return True


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
    now = timezone.now()
    with transaction.atomic():
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
