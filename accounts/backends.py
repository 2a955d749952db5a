from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.http import HttpRequest

from accounts.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Django's model backend plus the permissions that follow from a user's active roles.

    A user signs in with their username or their mobile phone number.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None or not username or not password:
            return user
        model = get_user_model()
        try:
            candidate = model._default_manager.get(phone=username.strip())
        except model.DoesNotExist:
            model().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if candidate.check_password(password) and self.user_can_authenticate(candidate):
            return candidate
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):  # the attribute Django's backend caches in
            user_obj._perm_cache = self._granted_permissions(user_obj)
        if not hasattr(user_obj, "_role_perm_cache"):
            perms: set[str] = set()
            for role in user_obj.active_roles:
                perms |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._role_perm_cache = perms
        return user_obj._perm_cache | user_obj._role_perm_cache

    def _granted_permissions(self, user_obj: Any) -> set[str]:
        """The permissions granted in the admin to the user and to their groups (all of them to
        a superuser), in one statement: Django's backend reads the two in two, on every staff
        page's permission test."""
        labels = ("content_type__app_label", "codename")
        if user_obj.is_superuser:
            rows = Permission.objects.values_list(*labels).order_by()
        else:
            fields = get_user_model()._meta
            own = fields.get_field("user_permissions").related_query_name()
            via_groups = "group__" + fields.get_field("groups").related_query_name()
            rows = (
                Permission.objects.filter(**{own: user_obj})
                .values_list(*labels)
                .order_by()
                .union(
                    Permission.objects.filter(**{via_groups: user_obj})
                    .values_list(*labels)
                    .order_by()
                )
            )
        return {f"{app_label}.{codename}" for app_label, codename in rows}
