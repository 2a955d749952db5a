"""The workbench menu, rendered once and cached.

The menu is ~40 links, each behind a permission check and an "active" test; building it costs
more than many a page's own content. What it shows depends only on the user's permissions and
roles, the page and the language, so it is cached under exactly those (config/pagecache.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.utils.safestring import SafeString

from config import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_sidebar(context: template.Context) -> SafeString:
    request = context["request"]
    user = context["user"]
    match = getattr(request, "resolver_match", None)
    permissions = hashlib.blake2b(
        "\n".join(sorted(user.get_all_permissions())).encode(), digest_size=16
    ).hexdigest()
    parts: tuple[Any, ...] = (
        request.path,
        match.url_name if match else "",
        permissions,
        user.is_staff,
        user.is_superuser,
        user.uses_workbench,
    )

    def build() -> SafeString:
        menu = context.template.engine.get_template("staff/_sidebar.html")
        return menu.render(context)

    return pagecache.cached("staff-menu", user, parts, build)
