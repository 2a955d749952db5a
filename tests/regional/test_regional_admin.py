from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from tests.regional.regional_setup import build, snapshot

pytestmark = pytest.mark.django_db

MODELS = [
    ("regionalcommittee", "committee", "如意湖"),
    ("cobuildingunit", "unit", "儿童医院"),
    ("regionalmembership", "seat", "儿童医院"),
    ("parttimemember", "part_time_member", "陈静"),
    ("unitvisit", "visit", "李一"),
    ("pairing", "pairing", "天路"),
]

# The admin's URLs follow the app that owns the model (co-building units stay in branches).
APP = {"cobuildingunit": "branches"}


def admin(model: str, view: str) -> str:
    return f"admin:{APP.get(model, 'regional')}_{model}_{view}"


@pytest.fixture
def w(sub_district):
    return build(sub_district)


@pytest.mark.parametrize(("model", "row", "query"), MODELS, ids=[m[0] for m in MODELS])
def test_admin_lists_only_rows_of_the_staff_sub_district(clients, w, model, row, query):
    url = reverse(admin(model, "changelist"))
    response = clients["staff"].get(url)
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert getattr(w, row).pk in shown
    assert getattr(w, f"other_{row}").pk not in shown
    searched = clients["staff"].get(url, {"q": query})
    assert getattr(w, row).pk in {obj.pk for obj in searched.context["cl"].result_list}
    other = reverse(admin(model, "change"), args=[getattr(w, f"other_{row}").pk])
    assert clients["staff"].get(other).status_code == 302  # admin's "does not exist" redirect


@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("regionalcommittee", {"level": "community"}),
        ("cobuildingunit", {"unit_type": "hospital"}),
        ("regionalmembership", {"left_on__isempty": "1"}),
        ("unitvisit", {"follow_up_done_on__isempty": "1"}),
    ],
)
def test_admin_filters_work(clients, w, model, params):
    response = clients["staff"].get(reverse(admin(model, "changelist")), params)
    assert response.status_code == 200  # an unknown filter would redirect to ?e=1
    assert response.context["cl"].result_count >= 0


def test_dated_history_is_read_only_in_the_admin(clients, w):
    for model in ("regionalmembership", "parttimemember", "pairing"):
        assert clients["staff"].get(reverse(admin(model, "add"))).status_code == 403
    before = snapshot()
    url = reverse("admin:regional_regionalmembership_change", args=[w.seat.pk])
    assert clients["staff"].post(url, {"joined_on": "2010-01-01"}).status_code == 403
    assert snapshot() == before
    # The only trace is the audited refusal.
    assert AuditEntry.objects.latest("pk").action == "access.denied"


def test_secretaries_have_no_admin(clients, w):
    url = reverse("admin:regional_regionalcommittee_changelist")
    assert clients["secretary"].get(url).status_code == 302


def test_committee_admin_refuses_a_founding_date_after_a_member_joined(clients, w):
    url = reverse("admin:regional_regionalcommittee_change", args=[w.committee.pk])
    before = snapshot()
    response = clients["staff"].post(
        url,
        {
            "sub_district": w.sub_district.pk,
            "level": "sub_district",
            "name": w.committee.name,
            "founded_on": "2018-01-01",
            "note": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "part_time_members-TOTAL_FORMS": "0",
            "part_time_members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "成员单位的加入日期不能早于区域党委成立日期（2018-01-01）。" in response.content.decode()
    assert snapshot() == before


def test_unit_admin_offers_only_liaisons(clients, w):
    response = clients["staff"].get(
        reverse("admin:branches_cobuildingunit_change", args=[w.unit.pk])
    )
    choices = list(response.context["adminform"].form.fields["liaison"].queryset)
    assert choices == [w.liaison]


def test_old_admin_addresses_of_the_moved_models_redirect_to_their_new_app(clients, w):
    response = clients["staff"].get(f"/admin/branches/regionalcommittee/{w.committee.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/regional/regionalcommittee/{w.committee.pk}/change/"
    unit = clients["staff"].get(reverse("admin:branches_cobuildingunit_changelist"))
    assert unit.status_code == 200  # co-building units stayed in branches
