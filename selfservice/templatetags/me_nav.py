from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from selfservice.navigation import TABS

register = template.Library()


@register.inclusion_tag("public/selfservice/_nav.html", takes_context=True)
def me_nav(context: dict[str, Any]) -> dict[str, Any]:
    match = getattr(context.get("request"), "resolver_match", None)
    current = f"public:{match.url_name}" if match else ""
    return {
        "tabs": [
            (reverse(tab.url_name), tab.label, current in (tab.url_name, *tab.also_active_on))
            for tab in TABS
        ]
    }
