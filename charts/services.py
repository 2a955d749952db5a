"""Display screen links: made and revoked by sub-district staff, each with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.services import record_audit
from branches.models import Community, SubDistrict
from charts.models import DisplayScreen, new_token, token_digest


class ScreenRefused(DomainError):
    pass


def create_screen(
    *,
    name: str,
    sub_district: SubDistrict,
    community: Community | None = None,
    refresh_seconds: int = 60,
    actor: Any,
) -> tuple[DisplayScreen, str]:
    """Make a screen and its secret; return the secret once (only its digest is stored, so a
    lost link is revoked and made again, never read back)."""
    name = name.strip()
    if not name:
        raise ScreenRefused(_("Give the screen a name."), field="name")
    if community is not None and community.sub_district_id != sub_district.pk:
        raise ScreenRefused(
            _("The community is not in the screen's sub-district."), field="community"
        )
    if not 15 <= refresh_seconds <= 3600:
        raise ScreenRefused(_("Refresh between 15 and 3600 seconds."), field="refresh_seconds")
    token = new_token()
    with transaction.atomic():
        screen = DisplayScreen.objects.create(
            name=name,
            sub_district=sub_district,
            community=community,
            refresh_seconds=refresh_seconds,
            token_hash=token_digest(token),
            created_by=actor,
        )
        record_audit(
            actor=actor,
            action="charts.screen_created",
            target=screen,
            data={"place": screen.place},
        )
    return screen, token


def revoke_screen(*, screen: DisplayScreen, actor: Any) -> DisplayScreen:
    """Turn a screen's link off for good (a conditional update: revoking twice is refused)."""
    with transaction.atomic():
        changed = DisplayScreen.objects.filter(pk=screen.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not changed:
            raise ScreenRefused(_("This link is already revoked."))
        record_audit(actor=actor, action="charts.screen_revoked", target=screen)
    screen.refresh_from_db()
    return screen


def screen_for_token(token: str) -> DisplayScreen | None:
    """The live screen whose link carries `token`, or None (unknown and revoked look alike)."""
    if not token or len(token) > 100:
        return None
    return (
        DisplayScreen.objects.live()
        .select_related("sub_district", "community")
        .filter(token_hash=token_digest(token))
        .first()
    )
