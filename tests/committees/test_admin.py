"""The committee terms' admin under its new app label, and the old addresses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.services.terms import start_committee_term

pytestmark = pytest.mark.django_db


def test_the_term_admin_lives_under_committees_and_old_addresses_redirect(clients, branch):
    term = start_committee_term(organization=branch, started_on=dt.date(2024, 3, 1), actor=None)
    changelist = clients["staff"].get(reverse("admin:committees_committeeterm_changelist"))
    assert changelist.status_code == 200
    assert term.pk in {obj.pk for obj in changelist.context["cl"].result_list}
    assert reverse("admin:committees_committeeterm_change", args=[term.pk]) == (
        f"/admin/committees/committeeterm/{term.pk}/change/"
    )
    response = clients["staff"].get(f"/admin/branches/committeeterm/{term.pk}/change/?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/committees/committeeterm/{term.pk}/change/?x=1"
    tree = clients["staff"].get(reverse("admin:branches_organization_changelist"))
    assert tree.status_code == 200  # organisations stayed in branches
