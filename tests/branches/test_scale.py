from __future__ import annotations

import pytest

from branches import scale
from branches.models import Organization, OrganizationPeriod
from members.models import Member

pytestmark = pytest.mark.django_db


def test_scale_data_builds_a_consistent_tree_and_is_idempotent(work_committee):
    shape = scale.ScaleShape(
        sub_districts=2,
        general_branches=1,
        branches_per_general=2,
        direct_branches=3,
        members_per_branch=4,
    )
    counts = scale.build(shape)
    assert counts == {
        "sub_districts": 2,
        "organizations": shape.organizations,
        "members": shape.members,
    }
    assert Organization.find_problems() == ([], [], [], [], [])
    assert scale.build(shape) == counts
    periods = OrganizationPeriod.objects.filter(
        organization__sub_district__district__name=scale.SCALE_DISTRICT
    )
    assert periods.count() == shape.organizations
    # The pre-existing tree is untouched and new roots come after it.
    assert Organization.objects.get(pk=work_committee.pk).path == work_committee.path
    assert Member.objects.count() == shape.members


def test_the_default_shape_is_district_scale():
    shape = scale.ScaleShape()
    assert shape.sub_districts >= 12
    assert shape.organizations >= 3000
    assert shape.members >= 30000
