"""Writes of the accounts app: role grants, audit entries and the email outbox."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from accounts.models import AuditEntry, OutgoingEmail, RoleAssignment, User
from accounts.roles import Role

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
