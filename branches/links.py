"""Addresses of the organisation pages for pages that link hundreds of organisations at once.

`reverse()` resolves the URL configuration on every call; the heat map (82 branches) and the tree
(250 organisations) reverse the detail address once and fill in each id.
"""

from __future__ import annotations

from django.urls import reverse


def organization_url_template() -> str:
    """The address of an organisation's staff page with `{}` where its id goes."""
    return reverse("staff:organization-detail", args=[0]).replace("/0/", "/{}/")
