"""Writes of sealed minutes that are not recording, signing off or attaching (those are
`activities.services`'): removing an attachment, and the audit entries of verification and
printing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from activities.minutes.sealing import seal
from activities.minutes.verification import Verification
from activities.models import Attachment, Meeting
from activities.services import MeetingRuleBroken, _lock_meeting, begin_sealed_change
from branches.models import Organization
from config import pagecache


@pagecache.writes_within_organization(lambda kwargs: kwargs["attachment"])
@transaction.atomic
def remove_attachment(
    *, attachment: Attachment, actor: User | None, change_reason: str = ""
) -> Meeting:
    """Remove an attachment from a meeting. On signed-off minutes it needs a reason and seals
    the next version (the earlier versions keep the file's name and SHA-256); the stored file
    is deleted once the transaction commits, never for a rolled-back removal."""
    meeting = _lock_meeting(attachment.meeting)
    try:
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, meeting=meeting)
    except Attachment.DoesNotExist:
        raise MeetingRuleBroken(_("The attachment was already removed.")) from None
    reason = begin_sealed_change(meeting, change_reason) if meeting.is_signed_off else ""
    data: dict[str, Any] = {"name": attachment.original_name, "sha256": attachment.sha256}
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
    if meeting.is_signed_off:
        revision = seal(meeting=meeting, reason=reason, actor=actor)
        data.update(version=revision.version, hash=revision.hash)
    record_audit(actor=actor, action="meeting.attachment_removed", target=meeting, data=data)
    return meeting


def record_verification(*, meeting: Meeting, result: Verification, actor: User | None) -> None:
    """An audit entry saying who verified which minutes and what they found."""
    record_audit(
        actor=actor,
        action="meeting.minutes_verified",
        target=meeting,
        data={"state": result.state, "link": result.link, "head": result.head},
    )


def record_export(
    *,
    actor: User | None,
    meeting: Meeting | None = None,
    organization: Organization | None = None,
    year: int | None = None,
    count: int = 1,
) -> None:
    """An audit entry for minutes printed as DOCX: one meeting's, or a branch's year."""
    target: Any = meeting if meeting is not None else organization
    record_audit(
        actor=actor,
        action="meeting.minutes_exported",
        target=target,
        data={"year": year, "meetings": count} if year is not None else {},
    )
