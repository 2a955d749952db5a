"""Addresses of detail pages for pages that link hundreds of rows at once.

`reverse()` resolves the URL configuration on every call; the heat map (82 branches), the tree
(250 organisations) and the member list reverse a detail address once and fill in each id.
"""

from __future__ import annotations

from django.urls import reverse


def detail_url_template(name: str) -> str:
    """The address of the URL pattern `name` (one integer argument) with `{}` where the id
    goes."""
    return reverse(name, args=[0]).replace("/0/", "/{}/")


def organization_url_template() -> str:
    """The address of an organisation's staff page with `{}` where its id goes."""
    return detail_url_template("staff:organization-detail")
