"""Volunteer hours always carry their unit: `{{ total|hours }}` prints "32.6 小时", not "32.6"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def hours(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return gettext("%(hours)s hours") % {"hours": value}
