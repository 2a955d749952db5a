"""Display screens (数据大屏): a hall's TV opens a secret link and shows a place's figures."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import Scope, ScopedQuerySet


def token_digest(token: str) -> str:
    """What is stored of a screen's secret: its SHA-256 (the link is shown once, when made)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DisplayScreenQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = "sub_district__"

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q()

    def live(self) -> DisplayScreenQuerySet:
        return self.filter(revoked_at__isnull=True)


class DisplayScreen(models.Model):
    """One hall screen: a sub-district's figures, or one community's. Opened without sign-in by
    whoever holds the link; revoking it (`revoked_at`) turns the link off for good."""

    name = models.CharField(_("name"), max_length=60)
    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="display_screens",
        verbose_name=_("sub-district"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="display_screens",
        verbose_name=_("community"),
        help_text=_("Empty: the whole sub-district."),
    )
    token_hash = models.CharField(_("link digest"), max_length=64, unique=True, editable=False)
    refresh_seconds = models.PositiveIntegerField(_("refresh every (seconds)"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last shown at"), null=True, blank=True)

    objects = DisplayScreenQuerySet.as_manager()

    class Meta:
        verbose_name = _("display screen")
        verbose_name_plural = _("display screens")
        ordering = ["sub_district", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="display_screen_refresh_range",
                condition=Q(refresh_seconds__gte=15, refresh_seconds__lte=3600),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        return str(self.community or self.sub_district)


from charts.exports.models import CodeEntry, ExportTemplate  # noqa: E402  (Django registers them)

__all__ = ["CodeEntry", "DisplayScreen", "ExportTemplate"]
