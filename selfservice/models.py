"""The member side's own rows: wrong check-in codes (the attempt counter of the check-in lockout)
and the claims that a member is told once that their reported service was reviewed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckInFailure(models.Model):
    """One wrong check-in code typed by a member: the only row a refused check-in writes. The
    lockout counts these per member and meeting and per IP address within a window
    (`selfservice.checkin.check_in_limited`); rows older than a day are pruned by the scan."""

    meeting = models.ForeignKey(
        "activities.Meeting", on_delete=models.CASCADE, related_name="+", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("party member")
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("wrong check-in code")
        verbose_name_plural = _("wrong check-in codes")
        indexes = [
            models.Index(fields=["member", "meeting", "created_at"], name="checkin_fail_member"),
            models.Index(fields=["ip_address", "created_at"], name="checkin_fail_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.meeting_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ServiceReviewNotice(models.Model):
    """The claim that the member was told their community service was reviewed: inserted with
    ON CONFLICT DO NOTHING by the scan, so each review is told once."""

    service = models.OneToOneField(
        "members.CommunityService",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("community service"),
    )
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("service review notice")
        verbose_name_plural = _("service review notices")

    def __str__(self) -> str:
        return f"{self.service_id} · {self.created_at:%Y-%m-%d %H:%M}"
