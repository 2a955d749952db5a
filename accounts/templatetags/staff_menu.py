"""The workbench menu.

The menu is ~50 links, each shown only if its page's view allows the user (config/menu.py). Which
entries a user may open depends only on their permissions and roles, so config/menu.py works it
out once per permission set and process, and writes its markup once per permission set and
language; a request only marks the current entry. It is not kept in the page cache: it does not
depend on the data, so the data versions that key that cache would only throw it away at every
write.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from config import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_sidebar(context: template.Context) -> SafeString:
    return menu.sidebar(context["request"])


@register.simple_tag(takes_context=True)
def staff_home_url(context: template.Context) -> str:
    """The workbench home for this user: the dashboard, or their first menu entry if they may not
    open the dashboard (a unit liaison works in the regional pages only)."""
    return menu.home_url(context["request"])
