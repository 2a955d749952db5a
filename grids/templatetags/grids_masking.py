from django import template

from grids.rules import mask_name as _mask_name

register = template.Library()


@register.filter
def mask_name(name: str) -> str:
    """A dispute party's name as pages show it: 张** ."""
    return _mask_name(name)
