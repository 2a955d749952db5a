"""The workbench menu, rendered once and cached.

The menu is ~40 links, each asking its page's view whether the user may open it
(config/menu.py), plus an "active" test; building it costs more than many a page's own content.
What it shows depends only on the user's permissions and roles, the page and the language, so it
is cached under exactly those (config/pagecache.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.utils.safestring import SafeString

from config import menu, pagecache

register = template.Library()


def _who(user: Any) -> tuple[Any, ...]:
    """What decides which pages a user may open."""
    permissions = hashlib.blake2b(
        "\n".join(sorted(user.get_all_permissions())).encode(), digest_size=16
    ).hexdigest()
    roles = ",".join(sorted(user.active_roles))
    return (permissions, roles, user.is_active, user.is_staff, user.is_superuser)


@register.simple_tag(takes_context=True)
def staff_sidebar(context: template.Context) -> SafeString:
    request = context["request"]
    user = context["user"]
    match = getattr(request, "resolver_match", None)
    parts = (request.path, match.view_name if match else "", *_who(user))

    def build() -> SafeString:
        sidebar = context.template.engine.get_template("staff/_sidebar.html")
        with context.push(menu=menu.menu_for(request)):
            return sidebar.render(context)

    return pagecache.cached("staff-menu", user, parts, build)


@register.simple_tag(takes_context=True)
def staff_home_url(context: template.Context) -> str:
    """The workbench home for this user: the dashboard, or their first menu entry if they may not
    open the dashboard (a unit liaison works in the regional pages only)."""
    request = context["request"]

    def build() -> str:
        for section in menu.menu_for(request):
            for entry in section["entries"]:
                return str(entry["url"])
        return ""

    return pagecache.cached("staff-home", context["user"], _who(context["user"]), build)
