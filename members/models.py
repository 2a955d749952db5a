"""Party members. The members issue grows this record (identity, pipeline, transfers, history)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.querysets import MemberQuerySet


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Member(models.Model):
    """A party member whose record a branch keeps (`organization`), optionally in a party group."""

    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("branch"),
    )
    party_group = models.ForeignKey(
        "branches.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("party group"),
    )
    full_name = models.CharField(_("name"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed as full member on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organization", "full_name"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.full_name
