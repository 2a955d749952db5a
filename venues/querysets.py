"""Read logic and scope of the venues models.

Scope: sub-district staff manage the halls of their sub-districts; a secretary sees the halls
of the sub-district their branch lies in (read-only) and the bookings of their own branch.
Residents never go through `visible_to`: their pages use `public()` and `of_resident()`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.scope import Scope, ScopedQuerySet


def _secretary_sub_district_q(scope: Scope, prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in scope.organization_paths:
        q |= Q(**{f"{prefix}sub_district__organizations__path": path})
    return q


class SubDistrictOwnedQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class ServiceHallQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q() | _secretary_sub_district_q(scope, "")

    def public(self) -> ServiceHallQuerySet:
        return self.filter(is_active=True)


class HallChildQuerySet(ScopedQuerySet):
    """Rows that belong to a hall's room (waiting list) or hall (hours, closed dates)."""

    def scope_filter(self, scope: Scope) -> Q:
        prefix = "room__hall__" if self.model._meta.model_name == "waitlistentry" else "hall__"
        return scope.sub_district_q(prefix) | _secretary_sub_district_q(scope, prefix)


class HallPhotoQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("hall__") | _secretary_sub_district_q(scope, "hall__")

    def public(self) -> HallPhotoQuerySet:
        """Photos anyone may see: those of an open hall."""
        return self.filter(hall__is_active=True)


class RoomPhotoQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("room__hall__") | _secretary_sub_district_q(
            scope, "room__hall__"
        )

    def public(self) -> RoomPhotoQuerySet:
        """Photos anyone may see: those of a room residents may see (`RoomQuerySet.public`)."""
        return self.filter(room__is_active=True, room__hall__is_active=True).exclude(
            room__audience="staff"
        )


class RoomQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("hall__") | _secretary_sub_district_q(scope, "hall__")

    def public(self) -> RoomQuerySet:
        """Rooms a resident may see and book: active, in an open hall, not staff-only."""
        return self.filter(is_active=True, hall__is_active=True).exclude(audience="staff")

    def family_ids(self, room: Any) -> set[int]:
        """The room, the whole it is part of, and its own parts: whatever shares its floor."""
        ids = {room.pk}
        if room.parent_id:
            ids.add(room.parent_id)
        ids.update(self.filter(parent_id=room.pk).values_list("pk", flat=True))
        return ids


class BookingQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        q = scope.sub_district_q("room__hall__")
        for path in scope.organization_paths:
            q |= Q(organization__path__startswith=path)
        return q

    def holding(self) -> BookingQuerySet:
        return self.filter(status__in=["held", "pending", "confirmed", "checked_in"])

    def of_resident(self, user: Any) -> BookingQuerySet:
        return self.filter(resident=user, kind="resident")

    def overlapping(self, starts_at: dt.datetime, ends_at: dt.datetime) -> BookingQuerySet:
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def upcoming(self) -> BookingQuerySet:
        return self.filter(ends_at__gt=timezone.now())
