from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Django's model backend plus the permissions that follow from a user's active roles."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms: set[str] = set()
            for role in user_obj.active_roles:
                perms |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._role_perm_cache = perms
        return super().get_all_permissions(user_obj, obj) | user_obj._role_perm_cache
