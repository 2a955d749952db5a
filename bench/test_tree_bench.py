"""The organisation tree at city-district scale (seed_scale: ~3,000 organisations, ~30,000
members): the tree page, the structure-health page and the API list, for sub-district staff of
one sub-district and for a superuser who sees all of it."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from branches.models import Organization, SubDistrict
from demo import scale
from tests.accounts.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_tree_pages_at_district_scale(timer, django_assert_max_num_queries):
    counts = scale.build()
    assert counts["organizations"] >= 3000 and counts["members"] >= 30000
    sub_district = SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).first()
    staff = UserFactory(username="bench_tree_staff", is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    root = UserFactory(username="bench_root", is_superuser=True, is_staff=True)
    staff_client, root_client = Client(), Client()
    staff_client.force_login(staff)
    root_client.force_login(root)
    branch = Organization.objects.filter(sub_district=sub_district, kind="branch").first()

    timer.measure(
        "tree, one sub-district (staff)", lambda: staff_client.get("/staff/branches/tree/")
    )
    timer.measure(
        "tree, whole district (superuser)",
        lambda: root_client.get("/staff/branches/tree/"),
        repeat=5,
    )
    timer.measure(
        "tree as of 2016-01-01 (staff)",
        lambda: staff_client.get("/staff/branches/tree/", {"on": "2016-01-01"}),
    )
    timer.measure(
        "structure health, one sub-district", lambda: staff_client.get("/staff/branches/health/")
    )
    timer.measure(
        "organisation page (branch)",
        lambda: staff_client.get(f"/staff/branches/organizations/{branch.pk}/"),
    )
    timer.measure(
        "API organisations, page 1 (superuser)", lambda: root_client.get("/api/v1/organizations/")
    )
    # The query count at full scale is the same small number as in the unit tests.
    with django_assert_max_num_queries(12):
        root_client.get("/staff/branches/tree/")
