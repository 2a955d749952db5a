"""Names printed side by side: "休闲吧 · 休闲吧" when a room is named after its kind, a hall after
its community. `{% joined hall.name room.name %}` prints each name once, empty ones left out."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def distinct(*names: Any) -> list[str]:
    """The non-empty names in order, each once (compared without surrounding spaces)."""
    seen: list[str] = []
    for name in names:
        text = str(name).strip() if name is not None else ""
        if text and text not in seen:
            seen.append(text)
    return seen


@register.simple_tag
def joined(*names: Any, sep: str = " · ") -> SafeString:
    parts = distinct(*names)
    first = format_html_join("", "{}", ((n,) for n in parts[:1]))
    rest = format_html_join("", "{}{}", ((sep, n) for n in parts[1:]))
    return first + rest
