from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from branches.models import Community, Grid
from tests.access import assert_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(sub_district):
    return Community.objects.create(sub_district=sub_district, name="联盟新城社区")


def test_community_list_access_matrix(clients, community):
    assert_access(
        clients,
        "/api/v1/communities/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_only_staff_create_places_and_it_is_audited(clients, community):
    def snapshot():
        return list(Grid.objects.values_list("pk", "name"))

    assert_access(
        clients,
        "/api/v1/grids/",
        {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 201},
        method="post",
        data={"community": community.pk, "name": "第一网格", "leader_name": "周红"},
        content_type="application/json",
        snapshot=snapshot,
    )
    assert AuditEntry.objects.filter(action="place.created").count() == 1


def test_staff_cannot_place_a_community_in_another_sub_district(clients, other_sub_district_branch):
    response = clients["staff"].post(
        "/api/v1/communities/",
        {"sub_district": other_sub_district_branch.sub_district_id, "name": "越界社区"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "sub_district" in response.json()
    assert not Community.objects.filter(name="越界社区").exists()


def test_duplicate_community_name_is_refused(clients, community):
    response = clients["staff"].post(
        "/api/v1/communities/",
        {"sub_district": community.sub_district_id, "name": community.name},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Community.objects.filter(name=community.name).count() == 1


def test_places_of_another_sub_district_are_404(clients, other_sub_district_branch):
    other = Community.objects.create(
        sub_district=other_sub_district_branch.sub_district, name="鑫苑社区"
    )
    assert clients["staff"].get(f"/api/v1/communities/{other.pk}/").status_code == 404
